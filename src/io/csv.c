/* csv.c — CSV in (libcsv; UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030) and out (RFC 4180,
 * UTF-8 with BOM). */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "io/io.h"

/* Converts data[0..len) from `from` to UTF-8 with iconv; NULL with *bad_at = the offset of the
 * first byte iconv refused. The result is malloc'd and NUL-terminated. */
static char *convert(const char *from, const char *data, size_t len, size_t *outlen, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *bad_at = 0;
        return NULL;
    }
    size_t cap = len * 2 + 16, used = 0;
    char *out = xmalloc(cap);
    char *in = (char *)data;
    size_t inleft = len;
    while (inleft) {
        char *o = out + used;
        size_t oleft = cap - used - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        used = (size_t)(o - out);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) {
            cap *= 2;
            out = xrealloc(out, cap);
            continue;
        }
        /* EILSEQ (invalid sequence) or EINVAL (truncated at the end) */
        *bad_at = (size_t)(in - data);
        free(out);
        iconv_close(cd);
        return NULL;
    }
    iconv_close(cd);
    out[used] = 0;
    *outlen = used;
    return out;
}

typedef struct {
    arena *a;
    buf cells; /* the current record's cells, each NUL-terminated */
    int ncells;
    const char **cur; /* pointers into a copy, filled at record end */
    /* collected records */
    const char ***recs;
    int *reclen;
    int nrec, cap;
    bool too_wide, too_long, too_many;
} csv_state;

static void on_field(void *s, size_t len, void *data)
{
    csv_state *st = data;
    if (len > IO_MAX_CELL) st->too_long = true;
    if (st->ncells >= IO_MAX_COLS) {
        st->too_wide = true;
        return;
    }
    buf_putn(&st->cells, s ? s : "", s ? len : 0);
    buf_putc(&st->cells, 0);
    st->ncells++;
}

static void on_record(int c, void *data)
{
    (void)c;
    csv_state *st = data;
    if (st->nrec >= IO_MAX_ROWS + 1) {
        st->too_many = true;
        buf_reset(&st->cells);
        st->ncells = 0;
        return;
    }
    if (st->nrec == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 256;
        st->recs = xrealloc(st->recs, (size_t)st->cap * sizeof *st->recs);
        st->reclen = xrealloc(st->reclen, (size_t)st->cap * sizeof *st->reclen);
    }
    const char **cells = arena_alloc(st->a, (size_t)(st->ncells ? st->ncells : 1) * sizeof *cells);
    const char *p = st->cells.s;
    for (int i = 0; i < st->ncells; i++) {
        size_t n = strlen(p);
        char *v = arena_strndup(st->a, p, n);
        /* CR LF inside a quoted cell is one line break */
        char *w = v;
        for (char *r = v; *r; r++)
            if (!(*r == '\r' && r[1] == '\n')) *w++ = *r == '\r' ? '\n' : *r;
        *w = 0;
        cells[i] = str_trim(v);
        p += n + 1;
    }
    st->recs[st->nrec] = cells;
    st->reclen[st->nrec] = st->ncells;
    st->nrec++;
    buf_reset(&st->cells);
    st->ncells = 0;
}

static bool row_empty(const char **cells, int n)
{
    for (int i = 0; i < n; i++)
        if (*cells[i]) return false;
    return true;
}

/* Builds the table from records: the first non-empty record is the header. */
static void build_table(arena *a, csv_state *st, io_table *t)
{
    int h = 0;
    while (h < st->nrec && row_empty(st->recs[h], st->reclen[h]))
        h++;
    memset(t, 0, sizeof *t);
    if (h == st->nrec) {
        t->header = arena_alloc(a, sizeof *t->header);
        t->rows = arena_alloc(a, sizeof *t->rows);
        t->rownum = arena_alloc(a, sizeof *t->rownum);
        return;
    }
    int nc = st->reclen[h];
    while (nc > 0 && !*st->recs[h][nc - 1])
        nc--;
    t->ncols = nc;
    t->header = st->recs[h];
    t->rows = arena_alloc(a, (size_t)(st->nrec - h + 1) * sizeof *t->rows);
    t->rownum = arena_alloc(a, (size_t)(st->nrec - h + 1) * sizeof *t->rownum);
    for (int i = h + 1; i < st->nrec; i++) {
        /* a row with nothing under the headed columns holds nothing to import */
        if (row_empty(st->recs[i], st->reclen[i] < nc ? st->reclen[i] : nc)) continue;
        const char **row = arena_alloc(a, (size_t)(nc ? nc : 1) * sizeof *row);
        for (int j = 0; j < nc; j++)
            row[j] = j < st->reclen[i] ? st->recs[i][j] : "";
        t->rows[t->nrows] = row;
        t->rownum[t->nrows] = i + 1;
        t->nrows++;
    }
}

err_code io_csv_read(arena *a, const char *data, size_t len, io_table *t, err *e)
{
    const unsigned char *u = (const unsigned char *)data;
    char *conv = NULL;
    size_t clen = 0, bad = 0;
    const char *enc;
    const char *text = data;
    size_t tlen = len;
    if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
        enc = "utf-8-bom";
        text += 3;
        tlen -= 3;
        if (!utf8_valid(text, tlen))
            return err_set(e, ERR_INVALID, NULL, "import.err.encoding",
                           "the file starts with a UTF-8 mark but is not valid UTF-8");
    } else if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        enc = "utf-16";
        conv = convert(u[0] == 0xff ? "UTF-16LE" : "UTF-16BE", data + 2, len - 2, &clen, &bad);
        if (!conv)
            return err_set(e, ERR_INVALID, NULL, "import.err.encoding",
                           "the file is not valid UTF-16 (byte %zu)", bad + 2);
        text = conv;
        tlen = clen;
    } else if (utf8_valid(data, len)) {
        enc = "utf-8";
    } else {
        enc = "gb18030";
        conv = convert("GB18030", data, len, &clen, &bad);
        if (!conv)
            return err_set(e, ERR_INVALID, NULL, "import.err.encoding",
                           "the file is neither UTF-8 nor GB18030: invalid bytes at offset %zu",
                           bad);
        text = conv;
        tlen = clen;
    }
    if (memchr(text, 0, tlen)) {
        free(conv);
        return err_set(e, ERR_INVALID, NULL, "import.err.encoding",
                       "the file holds NUL bytes: it is not a text CSV file");
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(conv);
        return err_set(e, ERR_INTERNAL, NULL, NULL, "csv_init failed");
    }
    const char *nl = memchr(text, '\n', tlen);
    size_t first = nl ? (size_t)(nl - text) : tlen;
    if (memchr(text, '\t', first) && !memchr(text, ',', first)) csv_set_delim(&p, '\t');
    csv_state st = {.a = a};
    size_t done = csv_parse(&p, text, tlen, on_field, on_record, &st);
    int rc = done == tlen ? csv_fini(&p, on_field, on_record, &st) : -1;
    err_code out = ERR_OK;
    if (rc != 0 || done != tlen)
        out = err_set(e, ERR_INVALID, NULL, "import.err.csv", "CSV error in row %d: %s",
                      st.nrec + 1, csv_strerror(csv_error(&p)));
    else if (st.too_wide)
        out = err_set(e, ERR_INVALID, NULL, "import.err.too_wide", "more than %d columns",
                      IO_MAX_COLS);
    else if (st.too_long)
        out = err_set(e, ERR_TOO_LARGE, NULL, "import.err.cell_too_long",
                      "a cell is longer than %d bytes", IO_MAX_CELL);
    else if (st.too_many)
        out = err_set(e, ERR_TOO_LARGE, NULL, "import.err.too_many_rows", "more than %d rows",
                      IO_MAX_ROWS);
    csv_free(&p);
    if (!out) {
        build_table(a, &st, t);
        t->encoding = enc;
    }
    free(st.recs);
    free(st.reclen);
    buf_free(&st.cells);
    free(conv);
    return out;
}

err_code io_table_read(arena *a, const char *name, const char *data, size_t len, io_table *t,
                       err *e)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm")))
        return io_xlsx_read(a, data, len, t, e);
    if (dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".txt") || !strcasecmp(dot, ".tsv")))
        return io_csv_read(a, data, len, t, e);
    if (dot && !strcasecmp(dot, ".xls"))
        return err_set(e, ERR_INVALID, NULL, "import.err.xls",
                       "old Excel .xls files are not read: save the sheet as .xlsx or CSV");
    if (len >= 4 && !memcmp(data, "PK\3\4", 4)) return io_xlsx_read(a, data, len, t, e);
    return io_csv_read(a, data, len, t, e);
}

static void put_cell(buf *out, const char *s)
{
    size_t n = strlen(s);
    bool quote = n && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n"));
    if (!quote) {
        buf_putn(out, s, n);
        return;
    }
    buf_putc(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}

void io_csv_write(buf *out, int ncols, const char *const *header, int nrows,
                  const char *const *const *rows)
{
    buf_puts(out, "\xef\xbb\xbf");
    for (int j = 0; j < ncols; j++) {
        if (j) buf_putc(out, ',');
        put_cell(out, header[j] ? header[j] : "");
    }
    buf_puts(out, "\r\n");
    for (int i = 0; i < nrows; i++) {
        for (int j = 0; j < ncols; j++) {
            if (j) buf_putc(out, ',');
            put_cell(out, rows[i][j] ? rows[i][j] : "");
        }
        buf_puts(out, "\r\n");
    }
}
