/* io.h — tables of text in and out of files: CSV (UTF-8 with or without BOM, GB18030, UTF-16
 * with BOM) and XLSX. The io layer knows nothing of the domain: a table is a header row plus
 * data rows of UTF-8 cells, each data row remembering the row number a spreadsheet shows.
 *
 * Everything a reader returns lives in the caller's arena. Readers never crash on hostile
 * input: bad bytes, broken quoting, broken zip or XML, missing parts and oversize content are
 * ERR_INVALID (or ERR_TOO_LARGE) with a message that says where. */
#ifndef DUIJIE_IO_H
#define DUIJIE_IO_H

#include "base/base.h"

enum {
    IO_MAX_COLS = 256,           /* columns kept; cells further right are refused */
    IO_MAX_ROWS = 1048576,       /* Excel's own row limit */
    IO_MAX_CELL = 32767,         /* bytes of one cell (Excel: characters) */
    IO_MAX_UNZIPPED = 512 << 20, /* total bytes inflated from one XLSX (zip-bomb cap) */
};

typedef struct {
    int ncols; /* header cells (trailing empty header cells dropped) */
    const char **header;
    int nrows;            /* data rows (rows that are entirely empty are skipped) */
    const char ***rows;   /* rows[i][0..ncols): "" for an empty cell, never NULL */
    int *rownum;          /* rownum[i]: the spreadsheet row number of rows[i] (header = 1) */
    const char *encoding; /* "utf-8", "utf-8-bom", "gb18030", "utf-16", "xlsx" */
} io_table;

/* A consumer of a table as it is read, row by row (the streaming readers below): header is called
 * once, before any row, with the header cells (in the reader's arena, kept), the encoding and
 * an estimate of the data rows (an upper bound from the file's own count: the XLSX dimension,
 * the CSV's non-empty records; -1 when unknown); a file without any non-empty row calls it with
 * ncols 0 at the end. row is called for each data row that has something under the headed
 * columns: cells[0..ncols) ("" for empty, never NULL) and the strings they point to are valid
 * only during the call. Either returning non-zero (with e set) stops the read, and the reader
 * returns that code. */
typedef struct {
    void *ctx;
    err_code (*header)(void *ctx, int ncols, const char *const *header, const char *encoding,
                       long rows_hint, err *e);
    err_code (*row)(void *ctx, int rownum, const char *const *cells, err *e);
} io_sink;

/* Streaming forms of io_csv_read, io_xlsx_read and io_table_read: the same checks, the same
 * cells, handed to sink one row at a time, so memory holds one row (plus, for XLSX, the shared
 * strings; for a non-UTF-8 CSV, the converted text) instead of the table. A file error found
 * after some rows were handed over still returns the error: the consumer undoes what it did. */
err_code io_csv_stream(arena *a, const char *data, size_t len, const io_sink *sink, err *e);
err_code io_xlsx_stream(arena *a, const char *data, size_t len, const io_sink *sink, err *e);
err_code io_table_stream(arena *a, const char *name, const char *data, size_t len,
                         const io_sink *sink, err *e);

/* Parses CSV text data[0..len): detects the encoding (UTF-8 BOM, UTF-16 LE/BE BOM, valid UTF-8,
 * else GB18030, else ERR_INVALID naming the byte offset), converts to UTF-8 and splits records
 * with libcsv (RFC 4180 quoting; the delimiter is a comma, or a tab when the first line has tabs
 * and no commas). The first record is the header. Cells are trimmed of surrounding white space;
 * the apostrophe io_csv_write puts before a formula-like cell is removed. Fills t (arena-owned). */
err_code io_csv_read(arena *a, const char *data, size_t len, io_table *t, err *e);

/* Parses an XLSX workbook data[0..len) (zip in memory): the first sheet of the workbook, shared
 * and inline strings, numbers (whole numbers without ".0"), booleans as "TRUE"/"FALSE", dates
 * (cells with a date number format) as YYYY-MM-DD, times as HH:MM (HH:MM:SS when the seconds
 * are not 0), date-times as "YYYY-MM-DD HH:MM", sparse rows and cells by their r="C5"
 * references. The first non-empty row is the header. Inflated bytes are capped at
 * IO_MAX_UNZIPPED. Fills t (arena-owned). */
err_code io_xlsx_read(arena *a, const char *data, size_t len, io_table *t, err *e);

/* The cap on inflated bytes that io_xlsx_read applies (IO_MAX_UNZIPPED; tests lower it). */
extern size_t io_xlsx_max_unzipped;

/* Reads by the file name's extension (.csv/.txt → CSV, .xlsx → XLSX) or, when the name says
 * nothing, by content (a zip signature means XLSX). */
err_code io_table_read(arena *a, const char *name, const char *data, size_t len, io_table *t,
                       err *e);

/* Writes header + rows as CSV into out: UTF-8 with a BOM (so Excel opens Chinese correctly),
 * CRLF line ends, RFC 4180 quoting of cells holding , " CR LF or leading/trailing space.
 * Formula injection (OWASP "CSV injection"): a cell that starts with = + - @ tab or CR — after
 * any leading apostrophes — gets one more apostrophe in front, so Excel and WPS show it as
 * text instead of running it; io_csv_read / io_csv_stream remove exactly that apostrophe, so a
 * written table reads back unchanged. */
void io_csv_write(buf *out, int ncols, const char *const *header, int nrows,
                  const char *const *const *rows);

/* One sheet for io_xlsx_write. widths may be NULL (then 18 characters each). */
typedef struct {
    const char *name; /* sheet name (≤ 31 characters) */
    int ncols;
    const char *const *header;
    int nrows;
    const char *const *const *rows;
    const double *widths;
} io_sheet;

/* Writes the sheets as an XLSX workbook (libxlsxwriter, constant memory, through a temporary
 * file) into out: bold frozen header row, every cell as text so codes and phone numbers keep
 * their leading zeros. ERR_INTERNAL when the temporary file cannot be written. */
err_code io_xlsx_write(buf *out, const io_sheet *sheets, int nsheets, err *e);

/* Excel serial day (1900 date system) → "YYYY-MM-DD" into out[11]; false outside 1900–9999. */
bool io_excel_date(double serial, char out[11]);

#endif
