/* multipart.c — multipart/form-data bodies (RFC 7578) for file uploads. The whole body is in
 * memory (bounded by WEB_UPLOAD_MAX), so parts are slices of it; no copy of file data. */
#include <string.h>
#include <strings.h>

#include "web/http.h"

enum { MAX_PARTS = 64 };

bool web_upload_path(const char *path)
{
    return str_eq(path, "/import") || str_eq(path, "/api/v1/import");
}

/* The value of parameter `name` in a header value like `form-data; name="x"; filename="y"`
 * (quoted or token), arena-owned; NULL when absent. */
static const char *header_param(arena *a, const char *h, size_t n, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i + k + 1 < n; i++) {
        if ((i == 0 || h[i - 1] == ';' || h[i - 1] == ' ') && !strncasecmp(h + i, name, k) &&
            h[i + k] == '=') {
            const char *v = h + i + k + 1, *end = h + n;
            if (v < end && *v == '"') {
                buf b = {0};
                for (v++; v < end && *v != '"'; v++) {
                    if (*v == '\\' && v + 1 < end) v++;
                    buf_putc(&b, *v);
                }
                const char *out = arena_strdup(a, b.s ? b.s : "");
                buf_free(&b);
                return out;
            }
            const char *e = v;
            while (e < end && *e != ';' && *e != ' ')
                e++;
            return arena_strndup(a, v, (size_t)(e - v));
        }
    }
    return NULL;
}

bool req_parse_multipart(arena *a, const char *ctype, const char *body, size_t len, kv **fields,
                         int *nfields, mp_part **files, int *nfiles)
{
    const char *bp = strcasestr(ctype, "boundary=");
    if (!bp) return false;
    const char *boundary = header_param(a, bp, strlen(bp), "boundary");
    if (!boundary || !*boundary || strlen(boundary) > 70) return false;
    char delim[80];
    int dl = snprintf(delim, sizeof delim, "--%s", boundary);
    kv *fl = arena_alloc(a, MAX_PARTS * sizeof *fl);
    mp_part *pl = arena_alloc(a, MAX_PARTS * sizeof *pl);
    int nf = 0, np = 0;
    const char *end = body + len;
    const char *p = memmem(body, len, delim, (size_t)dl);
    if (!p) return false;
    for (;;) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') break; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return false;
        p += 2;
        const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend) return false;
        /* the part's content runs to CRLF + the next delimiter */
        char nd[84];
        int ndl = snprintf(nd, sizeof nd, "\r\n%s", delim);
        const char *data = hend + 4;
        const char *next = memmem(data, (size_t)(end - data), nd, (size_t)ndl);
        if (!next) return false;
        const char *name = NULL, *filename = NULL, *pct = "";
        for (const char *h = p; h < hend;) {
            const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
            if (!eol) eol = hend;
            size_t hl = (size_t)(eol - h);
            if (hl > 20 && !strncasecmp(h, "Content-Disposition:", 20)) {
                name = header_param(a, h + 20, hl - 20, "name");
                filename = header_param(a, h + 20, hl - 20, "filename");
            } else if (hl > 13 && !strncasecmp(h, "Content-Type:", 13)) {
                const char *v = h + 13;
                while (v < eol && *v == ' ')
                    v++;
                pct = arena_strndup(a, v, (size_t)(eol - v));
            }
            h = eol + 2;
        }
        if (!name) return false;
        if (nf + np >= MAX_PARTS) return false;
        size_t dlen = (size_t)(next - data);
        if (filename) {
            if (!utf8_valid_text(filename, strlen(filename))) return false;
            pl[np++] = (mp_part){name, filename, pct, data, dlen};
        } else {
            if (!utf8_valid(data, dlen) || memchr(data, 0, dlen)) return false;
            fl[nf++] = (kv){name, arena_strndup(a, data, dlen)};
        }
        p = next + 2; /* at the delimiter */
    }
    *fields = fl;
    *nfields = nf;
    if (files) {
        *files = pl;
        *nfiles = np;
    }
    return true;
}
