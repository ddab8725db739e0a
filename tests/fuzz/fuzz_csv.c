/* fuzz_csv.c — libFuzzer target for io_csv_read, io_csv_stream (encoding detection, GB18030 /
 * UTF-16 conversion, libcsv splitting) and io_csv_write.
 * Invariants: a successful read gives at most IO_MAX_COLS columns, valid UTF-8 cells without
 * NUL, increasing row numbers; a stream whose sink stops halfway returns the sink's error at
 * once; writing the table (formula-like cells guarded) and reading it back gives the same table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"

static bool has_tab(const io_table *t)
{
    for (int j = 0; j < t->ncols; j++)
        if (strchr(t->header[j], '\t')) return true;
    for (int i = 0; i < t->nrows; i++)
        for (int j = 0; j < t->ncols; j++)
            if (strchr(t->rows[i][j], '\t')) return true;
    return false;
}

/* A sink that stops the stream after `left` rows: the reader must return its code at once. */
typedef struct {
    int left, seen;
} stopper;
static err_code stop_header(void *ctx, int ncols, const char *const *header, const char *enc,
                            long hint, err *e)
{
    (void)ctx;
    (void)header;
    (void)enc;
    (void)hint;
    (void)e;
    if (ncols < 0 || ncols > IO_MAX_COLS) abort();
    return ERR_OK;
}
static err_code stop_row(void *ctx, int rownum, const char *const *cells, err *e)
{
    (void)rownum;
    (void)cells;
    stopper *s = ctx;
    s->seen++;
    if (s->left-- > 0) return ERR_OK;
    return err_set(e, ERR_CONFLICT, NULL, "fuzz.stop", "stopped");
}
/* Streams data again and stops halfway through the rows of t. */
static void stream_and_stop(err_code (*stream)(arena *, const char *, size_t, const io_sink *,
                                               err *),
                            const char *s, size_t len, const io_table *t)
{
    if (!t->nrows) return;
    arena *a = arena_new();
    stopper st = {.left = t->nrows / 2};
    io_sink sink = {.ctx = &st, .header = stop_header, .row = stop_row};
    err e = {0};
    if (stream(a, s, len, &sink, &e) != ERR_CONFLICT || st.seen != t->nrows / 2 + 1 ||
        strcmp(e.key, "fuzz.stop"))
        abort();
    arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    char *s = malloc(size ? size : 1); /* exact size: ASan sees overreads */
    memcpy(s, data, size);
    io_table t;
    err e = {0};
    if (io_csv_read(a, s, size, &t, &e) == ERR_OK) {
        if (t.ncols < 0 || t.ncols > IO_MAX_COLS || t.nrows < 0) abort();
        for (int j = 0; j < t.ncols; j++)
            if (!utf8_valid(t.header[j], strlen(t.header[j]))) abort();
        for (int i = 0; i < t.nrows; i++) {
            if (i && t.rownum[i] <= t.rownum[i - 1]) abort();
            for (int j = 0; j < t.ncols; j++)
                if (!t.rows[i][j] || !utf8_valid(t.rows[i][j], strlen(t.rows[i][j]))) abort();
        }
        stream_and_stop(io_csv_stream, s, size, &t);
        if (!has_tab(&t)) {
            buf b = {0};
            io_csv_write(&b, t.ncols, t.header, t.nrows, (const char *const *const *)t.rows);
            io_table u;
            if (io_csv_read(a, b.s, b.len, &u, &e) != ERR_OK) abort();
            if (u.nrows != t.nrows || (t.nrows && u.ncols != t.ncols)) abort();
            for (int i = 0; i < t.nrows; i++)
                for (int j = 0; j < t.ncols; j++)
                    if (strcmp(t.rows[i][j], u.rows[i][j])) abort();
            buf_free(&b);
        }
    } else if (!e.msg[0]) {
        abort(); /* every failure says why */
    }
    free(s);
    arena_free(a);
    return 0;
}
