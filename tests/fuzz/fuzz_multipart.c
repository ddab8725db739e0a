/* fuzz_multipart.c — libFuzzer target for req_parse_multipart (web/multipart.c), the first
 * parser an upload's bytes meet, before the router has refused anyone.
 * Input: the Content-Type header up to the first '\n' (or a fixed one when the input has none),
 * then the body. Invariants of a successful parse: at most 64 parts; names and file names are
 * NUL-terminated, valid UTF-8 without control characters, no longer than the input; a file name
 * holds no path separator; text values are valid UTF-8; every file's data lies inside the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

static bool clean(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max || !utf8_valid(s, n)) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 32 || s[i] == 127) return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    const uint8_t *nl = memchr(data, '\n', size < 200 ? size : 200);
    const char *ctype = "multipart/form-data; boundary=XyZ";
    size_t off = 0;
    if (nl) {
        ctype = arena_strndup(a, (const char *)data, (size_t)(nl - data));
        off = (size_t)(nl - data) + 1;
    }
    size_t len = size - off;
    /* the parser must respect len: an exact-size heap block so ASan sees overreads */
    char *body = malloc(len ? len : 1);
    memcpy(body, data + off, len);
    kv *fields = NULL;
    mp_part *files = NULL;
    int nf = 0, np = 0;
    if (req_parse_multipart(a, ctype, body, len, &fields, &nf, &files, &np)) {
        if (nf < 0 || np < 0 || nf + np > 64) abort();
        for (int i = 0; i < nf; i++) {
            if (!clean(fields[i].key, size)) abort();
            size_t vl = strlen(fields[i].val);
            if (vl > len || !utf8_valid(fields[i].val, vl)) abort();
        }
        for (int i = 0; i < np; i++) {
            const mp_part *p = &files[i];
            if (!clean(p->name, size) || !clean(p->filename, size)) abort();
            if (strchr(p->filename, '/') || strchr(p->filename, '\\')) abort();
            if (p->data < body || p->len > len || p->data + p->len > body + len) abort();
        }
    }
    /* a NULL files pointer (the router's call) skips file parts alike */
    if (req_parse_multipart(a, ctype, body, len, &fields, &nf, NULL, NULL) && nf > 64) abort();
    free(body);
    arena_free(a);
    return 0;
}
