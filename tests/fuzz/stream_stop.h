/* stream_stop.h — shared by the CSV and XLSX fuzz targets: streams an input again through a sink
 * that stops halfway, and aborts unless the reader returns the sink's code at once. */
#ifndef DUIJIE_FUZZ_STREAM_STOP_H
#define DUIJIE_FUZZ_STREAM_STOP_H

#include <stdlib.h>
#include <string.h>

#include "io/io.h"

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

#endif
