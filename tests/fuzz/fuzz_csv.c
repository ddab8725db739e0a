/* fuzz_csv.c — libFuzzer target for io_csv_read, io_csv_stream (encoding detection, GB18030 /
 * UTF-16 conversion, libcsv splitting) and io_csv_write.
 * Invariants: a successful read gives at most IO_MAX_COLS columns, valid UTF-8 cells without
 * NUL, increasing row numbers; a stream whose sink stops halfway returns the sink's error at
 * once; writing the table (formula-like cells guarded) and reading it back gives the same table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "stream_stop.h"

static bool has_tab(const io_table *t)
{
    for (int j = 0; j < t->ncols; j++)
        if (strchr(t->header[j], '\t')) return true;
    for (int i = 0; i < t->nrows; i++)
        for (int j = 0; j < t->ncols; j++)
            if (strchr(t->rows[i][j], '\t')) return true;
    return false;
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
