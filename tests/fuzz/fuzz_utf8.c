/* fuzz_utf8.c — libFuzzer target for utf8_valid / utf8_valid_text / utf8_count, checked
 * against an independent decoder written from the byte-range table of RFC 3629 §4. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

/* Length of the well-formed sequence at s[0..n) per RFC 3629's table, 0 if ill-formed;
 * *cp receives the code point. */
static size_t ref_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const struct {
        unsigned char lo[4], hi[4];
        size_t len;
    } rows[] = {
        {{0x00}, {0x7f}, 1},
        {{0xc2, 0x80}, {0xdf, 0xbf}, 2},
        {{0xe0, 0xa0, 0x80}, {0xe0, 0xbf, 0xbf}, 3},
        {{0xe1, 0x80, 0x80}, {0xec, 0xbf, 0xbf}, 3},
        {{0xed, 0x80, 0x80}, {0xed, 0x9f, 0xbf}, 3},
        {{0xee, 0x80, 0x80}, {0xef, 0xbf, 0xbf}, 3},
        {{0xf0, 0x90, 0x80, 0x80}, {0xf0, 0xbf, 0xbf, 0xbf}, 4},
        {{0xf1, 0x80, 0x80, 0x80}, {0xf3, 0xbf, 0xbf, 0xbf}, 4},
        {{0xf4, 0x80, 0x80, 0x80}, {0xf4, 0x8f, 0xbf, 0xbf}, 4},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        size_t len = rows[r].len, k;
        if (len > n) continue;
        for (k = 0; k < len; k++)
            if (s[k] < rows[r].lo[k] || s[k] > rows[r].hi[k]) break;
        if (k < len) continue;
        uint32_t v = len == 1 ? s[0] : s[0] & (0xff >> (len + 1));
        for (k = 1; k < len; k++)
            v = (v << 6) | (s[k] & 0x3f);
        *cp = v;
        return len;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *s = malloc(size + 1); /* exact size + NUL for utf8_count */
    memcpy(s, data, size);
    s[size] = 0;
    bool ref_valid = true, ref_text = true;
    size_t points = 0;
    for (size_t i = 0; i < size;) {
        uint32_t cp = 0;
        size_t len = ref_decode(s + i, size - i, &cp);
        if (!len) {
            ref_valid = ref_text = false;
            break;
        }
        bool control =
            (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f);
        if (control) ref_text = false;
        points++;
        i += len;
    }
    bool valid = utf8_valid((const char *)s, size);
    bool text = utf8_valid_text((const char *)s, size);
    if (valid != ref_valid || text != ref_text) abort();
    if (text && !valid) abort();
    if (text && utf8_count((const char *)s) != points) abort(); /* text holds no NUL */
    free(s);
    return 0;
}
