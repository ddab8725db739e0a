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

/* Whether a cell starting at s would run as a formula in Excel or WPS once leading apostrophes
 * are set aside: = + - @ tab CR. */
static bool formula_like(const char *s)
{
    while (*s == '\'')
        s++;
    return *s && strchr("=+-@\t\r", *s);
}

typedef struct {
    arena *a;  /* the caller's: the header lives here */
    arena *ra; /* the current row's cells, freed after each row */
    const io_sink *sink;
    err *e;
    err_code rc; /* set when the sink or a limit stopped the read */
    buf cells;   /* the current record's cells, each NUL-terminated */
    int ncells;
    int nrec; /* records seen, blank ones and the header included */
    bool have_header;
    int ncols;
    const char *encoding;
    long hint;
    bool too_wide, too_long, too_many;
} csv_state;

static void on_field(void *s, size_t len, void *data)
{
    csv_state *st = data;
    if (st->rc) return;
    if (len > IO_MAX_CELL) st->too_long = true;
    if (st->ncells >= IO_MAX_COLS) {
        st->too_wide = true;
        return;
    }
    buf_putn(&st->cells, s ? s : "", s ? len : 0);
    buf_putc(&st->cells, 0);
    st->ncells++;
}

static bool row_empty(const char *const *cells, int n)
{
    for (int i = 0; i < n; i++)
        if (*cells[i]) return false;
    return true;
}

static void on_record(int c, void *data)
{
    (void)c;
    csv_state *st = data;
    if (st->rc) return;
    st->nrec++;
    if (st->too_wide)
        st->rc = err_set(st->e, ERR_INVALID, NULL, "import.err.too_wide", "more than %d columns",
                         IO_MAX_COLS);
    else if (st->too_long)
        st->rc = err_set(st->e, ERR_TOO_LARGE, NULL, "import.err.cell_too_long",
                         "a cell is longer than %d bytes", IO_MAX_CELL);
    else if (st->nrec > IO_MAX_ROWS + 1)
        st->rc = err_set(st->e, ERR_TOO_LARGE, NULL, "import.err.too_many_rows",
                         "more than %d rows", IO_MAX_ROWS);
    if (st->rc) return;
    int n = st->ncells;
    const char **cells =
        arena_alloc(st->ra, (size_t)(n > st->ncols ? n : st->ncols) * sizeof *cells + 1);
    const char *p = st->cells.s;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(p);
        char *v = arena_strndup(st->ra, p, k);
        /* CR LF inside a quoted cell is one line break */
        char *w = v;
        for (char *r = v; *r; r++)
            if (!(*r == '\r' && r[1] == '\n')) *w++ = *r == '\r' ? '\n' : *r;
        *w = 0;
        v = str_trim(v);
        if (*v == '\'' && formula_like(v + 1)) v++; /* io_csv_write's guard */
        cells[i] = v;
        p += k + 1;
    }
    buf_reset(&st->cells);
    st->ncells = 0;
    if (!st->have_header) {
        /* the first non-empty record is the header; trailing empty header cells are dropped */
        if (row_empty(cells, n)) goto done;
        while (n > 0 && !*cells[n - 1])
            n--;
        const char **h = arena_alloc(st->a, (size_t)(n ? n : 1) * sizeof *h);
        for (int i = 0; i < n; i++)
            h[i] = arena_strdup(st->a, cells[i]);
        st->have_header = true;
        st->ncols = n;
        st->rc = st->sink->header(st->sink->ctx, n, h, st->encoding, st->hint, st->e);
        goto done;
    }
    /* a row with nothing under the headed columns holds nothing to import */
    for (int i = n; i < st->ncols; i++)
        cells[i] = "";
    if (!row_empty(cells, st->ncols)) st->rc = st->sink->row(st->sink->ctx, st->nrec, cells, st->e);
done:
    arena_free(st->ra);
    st->ra = arena_new();
}

/* Non-empty records of text[0..len), the header included (quotes hide line breaks). */
static long count_records(const char *text, size_t len)
{
    long n = 0;
    bool q = false, any = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '"') q = !q;
        if (!q && ch == '\n') {
            n += any;
            any = false;
        } else if (ch != '\r' && ch != ' ' && ch != ',' && ch != '\t') {
            any = true;
        }
    }
    return n + any;
}

err_code io_csv_stream(arena *a, const char *data, size_t len, const io_sink *sink, err *e)
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
    long recs = count_records(text, tlen);
    csv_state st = {.a = a,
                    .ra = arena_new(),
                    .sink = sink,
                    .e = e,
                    .encoding = enc,
                    .hint = recs > 0 ? recs - 1 : 0};
    /* in slices, so that a sink's stop is seen soon */
    size_t off = 0;
    bool broken = false;
    while (off < tlen && !st.rc) {
        size_t n = tlen - off < 65536 ? tlen - off : 65536;
        if (csv_parse(&p, text + off, n, on_field, on_record, &st) != n) {
            broken = true;
            break;
        }
        off += n;
    }
    if (!broken && !st.rc && csv_fini(&p, on_field, on_record, &st) != 0) broken = true;
    err_code out = st.rc;
    if (!out && broken)
        out = err_set(e, ERR_INVALID, NULL, "import.err.csv", "CSV error in row %d: %s",
                      st.nrec + 1, csv_strerror(csv_error(&p)));
    if (!out && !st.have_header) {
        static const char *none[1] = {""};
        out = sink->header(sink->ctx, 0, none, enc, 0, e);
    }
    csv_free(&p);
    arena_free(st.ra);
    buf_free(&st.cells);
    free(conv);
    return out;
}

/* ---- whole tables: a sink that keeps every row ---- */
typedef struct {
    arena *a;
    io_table *t;
    int cap;
} collect;

static err_code collect_header(void *ctx, int ncols, const char *const *header,
                               const char *encoding, long hint, err *e)
{
    (void)hint;
    (void)e;
    collect *c = ctx;
    c->t->ncols = ncols;
    c->t->header = (const char **)header;
    c->t->encoding = encoding;
    return ERR_OK;
}

static err_code collect_row(void *ctx, int rownum, const char *const *cells, err *e)
{
    (void)e;
    collect *c = ctx;
    io_table *t = c->t;
    if (t->nrows + 1 >= c->cap) {
        int ncap = c->cap * 2;
        const char ***rows = arena_alloc(c->a, (size_t)ncap * sizeof *rows);
        int *nums = arena_alloc(c->a, (size_t)ncap * sizeof *nums);
        memcpy(rows, t->rows, (size_t)t->nrows * sizeof *rows);
        memcpy(nums, t->rownum, (size_t)t->nrows * sizeof *nums);
        t->rows = rows;
        t->rownum = nums;
        c->cap = ncap;
    }
    const char **row = arena_alloc(c->a, (size_t)(t->ncols ? t->ncols : 1) * sizeof *row);
    for (int j = 0; j < t->ncols; j++)
        row[j] = *cells[j] ? arena_strdup(c->a, cells[j]) : "";
    t->rows[t->nrows] = row;
    t->rownum[t->nrows++] = rownum;
    return ERR_OK;
}

/* Runs a streaming reader into t: 'c' CSV, 'x' XLSX, 't' by name. */
static err_code read_table(int how, arena *a, const char *name, const char *data, size_t len,
                           io_table *t, err *e)
{
    memset(t, 0, sizeof *t);
    collect c = {.a = a, .t = t, .cap = 64};
    t->rows = arena_alloc(a, (size_t)c.cap * sizeof *t->rows);
    t->rownum = arena_alloc(a, (size_t)c.cap * sizeof *t->rownum);
    io_sink s = {.ctx = &c, .header = collect_header, .row = collect_row};
    err_code rc = how == 'c'   ? io_csv_stream(a, data, len, &s, e)
                  : how == 'x' ? io_xlsx_stream(a, data, len, &s, e)
                               : io_table_stream(a, name, data, len, &s, e);
    if (rc) memset(t, 0, sizeof *t);
    return rc;
}

err_code io_csv_read(arena *a, const char *data, size_t len, io_table *t, err *e)
{
    return read_table('c', a, NULL, data, len, t, e);
}

err_code io_xlsx_read(arena *a, const char *data, size_t len, io_table *t, err *e)
{
    return read_table('x', a, NULL, data, len, t, e);
}

err_code io_table_read(arena *a, const char *name, const char *data, size_t len, io_table *t,
                       err *e)
{
    return read_table('t', a, name, data, len, t, e);
}

err_code io_table_stream(arena *a, const char *name, const char *data, size_t len,
                         const io_sink *sink, err *e)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm")))
        return io_xlsx_stream(a, data, len, sink, e);
    if (dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".txt") || !strcasecmp(dot, ".tsv")))
        return io_csv_stream(a, data, len, sink, e);
    if (dot && !strcasecmp(dot, ".xls"))
        return err_set(e, ERR_INVALID, NULL, "import.err.xls",
                       "old Excel .xls files are not read: save the sheet as .xlsx or CSV");
    if (len >= 4 && !memcmp(data, "PK\3\4", 4)) return io_xlsx_stream(a, data, len, sink, e);
    return io_csv_stream(a, data, len, sink, e);
}

static void put_cell(buf *out, const char *s)
{
    size_t n = strlen(s);
    bool guard = formula_like(s);
    bool quote = n && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n"));
    if (!quote) {
        if (guard) buf_putc(out, '\'');
        buf_putn(out, s, n);
        return;
    }
    buf_putc(out, '"');
    if (guard) buf_putc(out, '\'');
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
