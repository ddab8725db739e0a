/* base.h — the bottom layer: memory, strings, UTF-8, errors, logging, embedded assets.
 * Nothing here knows about HTTP, SQL or the domain. */
#ifndef DUIJIE_BASE_H
#define DUIJIE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DUIJIE_VERSION "0.1.0"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Aborts the process with a message: the single place allocation failure ends up. */
_Noreturn void base_oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* ---- arena: bump allocator whose lifetime is one request or one command ---- */
typedef struct arena arena;
arena *arena_new(void);
/* Frees every block the arena handed out, then the arena itself. NULL is allowed. */
void arena_free(arena *a);
/* Returns zeroed memory aligned to 16 bytes, owned by the arena. Never NULL. */
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- buf: growable byte buffer (malloc-owned, always NUL-terminated) ---- */
typedef struct {
    char *s;
    size_t len, cap;
} buf;
void buf_putn(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_put_html(buf *b, const char *s, size_t n);
/* Appends s percent-encoded for a URL query component. */
void buf_put_urlenc(buf *b, const char *s);
void buf_reset(buf *b);
void buf_free(buf *b);
/* Transfers ownership of the bytes to the caller and empties the buffer. */
char *buf_take(buf *b);

/* ---- UTF-8 ---- */
/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF) and holds no
 * NUL or C0 control other than tab, LF and CR. */
bool utf8_valid_text(const char *s, size_t n);
/* True when s[0..n) is well-formed UTF-8 (controls allowed). */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed s. */
size_t utf8_count(const char *s);

/* ---- strings ---- */
bool str_eq(const char *a, const char *b);
bool str_starts(const char *s, const char *prefix);
/* Trims ASCII and ideographic (U+3000) space at both ends, in place; returns s. */
char *str_trim(char *s);
/* Parses a decimal int64 in [lo,hi]; false on junk, overflow or out of range. */
bool str_to_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void time_now_iso(char out[21]);
/* Offsets now by secs into the same format. */
void time_iso_after(char out[21], long secs);

/* ---- errors: a status plus a message that travels up to the face ---- */
typedef enum {
    ERR_OK = 0,
    ERR_INVALID,   /* 400/422: bad input; field names what was wrong */
    ERR_UNAUTH,    /* 401: not signed in */
    ERR_FORBIDDEN, /* 403: signed in but not allowed */
    ERR_NOT_FOUND, /* 404 */
    ERR_CONFLICT,  /* 409: state does not allow it, or duplicate */
    ERR_TOO_LARGE, /* 413 */
    ERR_RATE,      /* 429 */
    ERR_INTERNAL,  /* 500 */
} err_code;

typedef struct {
    err_code code;
    char field[48]; /* the input field at fault, "" when none */
    char key[48];   /* message catalog key, e.g. "err.required"; "" when only msg applies */
    char msg[256];  /* English detail for logs, CLI and API */
} err;

/* Sets e (if non-NULL) and returns code, so callers can `return err_set(...)`. */
err_code err_set(err *e, err_code code, const char *field, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
const char *err_code_name(err_code c); /* "invalid", "not_found", … */

/* ---- log (stderr, one line each) ---- */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool log_quiet;

/* ---- assets embedded at build time (templates, static files, catalogs, data) ---- */
typedef struct {
    const char *path; /* relative to the repository root, e.g. "web/static/app.css" */
    const unsigned char *data;
    size_t len;
} asset;
/* Returns the asset or NULL. The data is NUL-terminated (len excludes the NUL). */
const asset *asset_get(const char *path);
/* Calls fn for every asset whose path starts with prefix, in path order. */
void asset_each(const char *prefix, void (*fn)(const asset *, void *), void *ctx);

#endif
