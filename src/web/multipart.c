/* multipart.c — multipart/form-data bodies (RFC 7578, RFC 2046 §5.1.1) for file uploads. The
 * whole body is in memory (bounded by WEB_UPLOAD_MAX), so parts are slices of it; no copy of
 * file data.
 *
 * Strict on purpose (the parser sees bodies from anyone before the router refuses them): a
 * delimiter counts only at the start of the body or after CRLF; each part's header block is at
 * most MAX_PART_HEADERS bytes of printable text; a part needs a Content-Disposition of type
 * form-data with a name; parameters are parsed as tokens or quoted strings, so a `name=` inside
 * a quoted filename is not taken for the name; names and file names must be valid UTF-8 without
 * control characters; a file name keeps only its last path component; text fields must be valid
 * UTF-8 without NUL; at most MAX_PARTS parts; the closing delimiter is required. */
#include <string.h>
#include <strings.h>

#include "web/http.h"

enum { MAX_PARTS = 64, MAX_PART_HEADERS = 8192, MAX_PARAM = 1024 };

bool web_upload_path(const char *path)
{
    return str_eq(path, "/import") || str_eq(path, "/api/v1/import");
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 7230 tchar */
static bool is_tchar(unsigned char c)
{
    return c > 32 && c < 127 && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* The value of parameter `name` of a header value like `form-data; name="x"; filename="y"`
 * (h, n bytes; the part before the first ';' is skipped), arena-owned; NULL when absent or
 * malformed (*bad set on a malformed list). Parameter names compare case-insensitively;
 * quoted values may hold backslash escapes. */
static const char *header_param(arena *a, const char *h, size_t n, const char *name, bool *bad)
{
    const char *p = memchr(h, ';', n), *end = h + n;
    size_t k = strlen(name);
    while (p && p < end) {
        p++; /* past ';' */
        while (p < end && is_ws(*p))
            p++;
        const char *pn = p;
        while (p < end && is_tchar((unsigned char)*p))
            p++;
        size_t pl = (size_t)(p - pn);
        while (p < end && is_ws(*p))
            p++;
        if (!pl || p >= end || *p != '=') {
            *bad = true;
            return NULL;
        }
        p++;
        while (p < end && is_ws(*p))
            p++;
        buf v = {0};
        if (p < end && *p == '"') {
            for (p++; p < end && *p != '"'; p++) {
                if (*p == '\\' && p + 1 < end) p++;
                buf_putc(&v, *p);
                if (v.len > MAX_PARAM) break;
            }
            if (p >= end || *p != '"' || v.len > MAX_PARAM) {
                buf_free(&v);
                *bad = true;
                return NULL;
            }
            p++;
        } else {
            const char *vs = p;
            while (p < end && is_tchar((unsigned char)*p))
                p++;
            buf_putn(&v, vs, (size_t)(p - vs));
        }
        while (p < end && is_ws(*p))
            p++;
        if (p < end && *p != ';') {
            buf_free(&v);
            *bad = true;
            return NULL;
        }
        if (pl == k && !strncasecmp(pn, name, k)) {
            /* a NUL byte inside a quoted value would cut it short: refuse it */
            const char *out =
                memchr(v.s ? v.s : "", 0, v.len) ? NULL : arena_strndup(a, v.s ? v.s : "", v.len);
            if (!out) *bad = true;
            buf_free(&v);
            return out;
        }
        buf_free(&v);
        p = p < end ? p : NULL;
    }
    return NULL;
}

/* Text without control characters (C0, DEL) and valid UTF-8. */
static bool clean_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 32 || *p == 127) return false;
    return utf8_valid_text(s, strlen(s));
}

/* The last path component of a client's file name ("C:\\x\\a.xlsx", "../a.xlsx" → "a.xlsx"). */
static const char *base_name(const char *f)
{
    const char *b = f;
    for (const char *p = f; *p; p++)
        if (*p == '/' || *p == '\\') b = p + 1;
    return b;
}

bool req_parse_multipart(arena *a, const char *ctype, const char *body, size_t len, kv **fields,
                         int *nfields, mp_part **files, int *nfiles)
{
    if (!ctype) return false;
    size_t cl = strlen(ctype);
    bool bad = false;
    const char *boundary = header_param(a, ctype, cl, "boundary", &bad);
    if (bad || !boundary || !*boundary || strlen(boundary) > 70) return false;
    for (const char *b = boundary; *b; b++) /* RFC 2046 bchars */
        if (*b < 32 || *b > 126) return false;
    char delim[80];
    int dl = snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    kv *fl = arena_alloc(a, MAX_PARTS * sizeof *fl);
    mp_part *pl = arena_alloc(a, MAX_PARTS * sizeof *pl);
    int nf = 0, np = 0;
    const char *end = body + len;
    /* the first delimiter: at the very start, or after CRLF (a preamble is ignored) */
    const char *p;
    if (len >= (size_t)dl - 2 && !memcmp(body, delim + 2, (size_t)dl - 2))
        p = body + dl - 2;
    else {
        p = memmem(body, len, delim, (size_t)dl);
        if (!p) return false;
        p += dl;
    }
    for (;;) {
        /* p is just past a delimiter */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') break; /* the closing delimiter */
        while (p < end && is_ws(*p))                           /* transport padding */
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return false;
        p += 2;
        size_t room = (size_t)(end - p);
        const char *hend = NULL;
        if (room >= 2 && p[0] == '\r' && p[1] == '\n')
            hend = p - 2; /* no headers at all */
        else
            hend =
                memmem(p, room < MAX_PART_HEADERS + 4 ? room : MAX_PART_HEADERS + 4, "\r\n\r\n", 4);
        if (!hend) return false; /* no end of headers, or a header block too large */
        const char *data = hend + 4;
        /* the part's content runs to CRLF + the next delimiter */
        const char *next = memmem(data, (size_t)(end - data), delim, (size_t)dl);
        if (!next) return false;
        const char *name = NULL, *filename = NULL, *pct = "";
        bool disposition = false;
        for (const char *h = p; h < hend;) {
            const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
            if (!eol) eol = hend;
            size_t hl = (size_t)(eol - h);
            for (size_t i = 0; i < hl; i++) /* header text: printable and tab, UTF-8 allowed */
                if (((unsigned char)h[i] < 32 && h[i] != '\t') || h[i] == 127) return false;
            if (hl > 20 && !strncasecmp(h, "Content-Disposition:", 20)) {
                if (disposition) return false; /* twice: which one would count? */
                disposition = true;
                const char *v = h + 20;
                while (v < eol && is_ws(*v))
                    v++;
                if ((size_t)(eol - v) < 9 || strncasecmp(v, "form-data", 9) ||
                    (v + 9 < eol && *(v + 9) != ';' && !is_ws(*(v + 9))))
                    return false;
                name = header_param(a, v, (size_t)(eol - v), "name", &bad);
                filename = header_param(a, v, (size_t)(eol - v), "filename", &bad);
                if (bad) return false;
            } else if (hl > 13 && !strncasecmp(h, "Content-Type:", 13)) {
                const char *v = h + 13;
                while (v < eol && is_ws(*v))
                    v++;
                pct = arena_strndup(a, v, (size_t)(eol - v));
            }
            h = eol + 2;
        }
        if (!name || !clean_text(name)) return false;
        if (nf + np >= MAX_PARTS) return false;
        size_t dlen = (size_t)(next - data);
        if (filename) {
            if (!clean_text(filename) || !utf8_valid_text(pct, strlen(pct))) return false;
            pl[np++] = (mp_part){name, base_name(filename), pct, data, dlen};
        } else {
            if (!utf8_valid(data, dlen) || memchr(data, 0, dlen)) return false;
            fl[nf++] = (kv){name, arena_strndup(a, data, dlen)};
        }
        p = next + dl; /* past the delimiter */
    }
    *fields = fl;
    *nfields = nf;
    if (files) {
        *files = pl;
        *nfiles = np;
    }
    return true;
}
