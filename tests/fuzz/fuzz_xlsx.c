/* fuzz_xlsx.c — libFuzzer target for io_xlsx_read and io_xlsx_stream (a sink that stops halfway
 * must stop the read at once). Inputs whose first byte is even are read
 * as a zip as they are (zip-level damage); the others are split on NUL bytes into the XML of
 * the sheet, the shared strings, the styles and the workbook, and packed into a stored
 * (uncompressed) zip built here, so the fuzzer works on the XML the reader parses.
 * Invariants: a successful read gives at most IO_MAX_COLS columns, valid UTF-8 cells and
 * increasing row numbers; a failure carries a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io/io.h"
#include "stream_stop.h"

static void put16(buf *b, unsigned v)
{
    buf_putc(b, (char)(v & 0xff));
    buf_putc(b, (char)(v >> 8));
}
static void put32(buf *b, unsigned long v)
{
    put16(b, (unsigned)(v & 0xffff));
    put16(b, (unsigned)(v >> 16));
}

/* A stored zip of n named parts. */
static void make_zip(buf *z, const char *const *names, const char *const *data, const size_t *len,
                     int n)
{
    unsigned long off[8];
    for (int i = 0; i < n; i++) {
        unsigned long crc = crc32(0L, (const Bytef *)data[i], (uInt)len[i]);
        off[i] = z->len;
        put32(z, 0x04034b50);
        put16(z, 20), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0);
        put32(z, crc), put32(z, len[i]), put32(z, len[i]);
        put16(z, (unsigned)strlen(names[i])), put16(z, 0);
        buf_puts(z, names[i]);
        buf_putn(z, data[i], len[i]);
    }
    unsigned long cd = z->len;
    for (int i = 0; i < n; i++) {
        unsigned long crc = crc32(0L, (const Bytef *)data[i], (uInt)len[i]);
        put32(z, 0x02014b50);
        put16(z, 20), put16(z, 20), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0);
        put32(z, crc), put32(z, len[i]), put32(z, len[i]);
        put16(z, (unsigned)strlen(names[i])), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0);
        put32(z, 0), put32(z, off[i]);
        buf_puts(z, names[i]);
    }
    unsigned long cdlen = z->len - cd;
    put32(z, 0x06054b50);
    put16(z, 0), put16(z, 0), put16(z, (unsigned)n), put16(z, (unsigned)n);
    put32(z, cdlen), put32(z, cd), put16(z, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    buf z = {0};
    if (size && (data[0] & 1)) {
        static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                            "xl/styles.xml", "xl/workbook.xml"};
        const char *parts[4] = {"", "", "", "<workbook/>"};
        size_t lens[4] = {0, 0, 0, 11};
        const char *p = (const char *)data + 1, *end = (const char *)data + size;
        for (int i = 0; i < 4 && p <= end; i++) {
            const char *nul = memchr(p, 0, (size_t)(end - p));
            size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
            parts[i] = p;
            lens[i] = n;
            p += n + 1;
        }
        make_zip(&z, names, parts, lens, 4);
    } else {
        buf_putn(&z, (const char *)data, size);
    }
    char *s = malloc(z.len ? z.len : 1); /* exact size: ASan sees overreads */
    memcpy(s, z.s ? z.s : "", z.len);
    io_table t;
    err e = {0};
    if (io_xlsx_read(a, s, z.len, &t, &e) == ERR_OK) {
        if (t.ncols < 0 || t.ncols > IO_MAX_COLS || t.nrows < 0) abort();
        for (int i = 0; i < t.nrows; i++) {
            if (i && t.rownum[i] <= t.rownum[i - 1]) abort();
            for (int j = 0; j < t.ncols; j++)
                if (!t.rows[i][j]) abort();
        }
        stream_and_stop(io_xlsx_stream, s, z.len, &t);
    } else if (!e.msg[0]) {
        abort();
    }
    free(s);
    buf_free(&z);
    arena_free(a);
    return 0;
}
