/* fuzz_urlencoded.c — libFuzzer target for req_parse_urlencoded and req_parse_cookies.
 * Invariants: a successful parse yields at most 1000 pairs of NUL-terminated, well-formed
 * UTF-8 keys and values that are no longer than the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    kv *list = NULL;
    int n = 0;
    /* the parser must respect size: copy into an exact-size heap block so ASan sees overreads */
    char *s = malloc(size ? size : 1);
    memcpy(s, data, size);
    if (req_parse_urlencoded(a, s, size, &list, &n)) {
        if (n < 0 || n > 1000) abort();
        for (int i = 0; i < n; i++) {
            size_t kl = strlen(list[i].key), vl = strlen(list[i].val);
            if (kl > size || vl > size) abort();
            if (!utf8_valid(list[i].key, kl) || !utf8_valid(list[i].val, vl)) abort();
        }
    }
    char *z = arena_strndup(a, s, size); /* cookies come as a NUL-terminated header */
    if (req_parse_cookies(a, z, &list, &n)) {
        if (n < 0 || n > 16) abort();
        for (int i = 0; i < n; i++)
            if (strlen(list[i].key) > size || strlen(list[i].val) > size) abort();
    }
    free(s);
    arena_free(a);
    return 0;
}
