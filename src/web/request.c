/* request.c — parsing of form bodies and cookies, and parameter lookup. */
#include <string.h>

#include "web/http.h"

static const char *kv_find(const kv *list, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].key, key) == 0) return list[i].val;
    return NULL;
}

const char *req_query(req *r, const char *key)
{
    return kv_find(r->query, r->nquery, key);
}

const char *req_form(req *r, const char *key)
{
    return kv_find(r->form, r->nform, key);
}

const char *req_cookie(req *r, const char *key)
{
    return kv_find(r->cookies, r->ncookies, key);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) ('+' is space) into a new arena string; NULL on bad escapes, UTF-8 or a
 * NUL byte (raw or %00), which would silently cut the value short as a C string. */
static char *url_decode(arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%') {
            int h = i + 1 < n ? hexval(s[i + 1]) : -1, l = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (h < 0 || l < 0) return NULL;
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = 0;
    size_t len = (size_t)(o - out);
    if (memchr(out, 0, len) || !utf8_valid(out, len)) return NULL;
    return out;
}

bool req_parse_urlencoded(arena *a, const char *s, size_t n, kv **out, int *count)
{
    int cap = 16, cnt = 0;
    kv *list = arena_alloc(a, sizeof(kv) * (size_t)cap);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '&')
            j++;
        if (j > i) {
            const char *eq = memchr(s + i, '=', j - i);
            size_t klen = eq ? (size_t)(eq - (s + i)) : j - i;
            char *k = url_decode(a, s + i, klen);
            char *v = eq ? url_decode(a, eq + 1, (size_t)(s + j - eq - 1)) : arena_strdup(a, "");
            if (!k || !v) return false;
            if (cnt == cap) {
                kv *grown = arena_alloc(a, sizeof(kv) * (size_t)cap * 2);
                memcpy(grown, list, sizeof(kv) * (size_t)cap);
                list = grown;
                cap *= 2;
            }
            if (cnt >= 1000) return false;
            list[cnt++] = (kv){k, v};
        }
        i = j + 1;
    }
    *out = list;
    *count = cnt;
    return true;
}

bool req_parse_cookies(arena *a, const char *s, kv **out, int *count)
{
    int cap = 16, cnt = 0;
    kv *list = arena_alloc(a, sizeof(kv) * (size_t)cap);
    while (*s && cnt < cap) {
        while (*s == ' ' || *s == ';')
            s++;
        const char *eq = strchr(s, '='), *end = strchr(s, ';');
        if (!end) end = s + strlen(s);
        if (!eq || eq > end) {
            s = end;
            continue;
        }
        list[cnt++] = (kv){arena_strndup(a, s, (size_t)(eq - s)),
                           arena_strndup(a, eq + 1, (size_t)(end - eq - 1))};
        s = end;
    }
    *out = list;
    *count = cnt;
    return true;
}
