/* xlsx.c — XLSX in (minizip over memory + expat, streamed) and out (libxlsxwriter).
 *
 * Reading follows the parts of an Office Open XML workbook: xl/workbook.xml names the sheets in
 * order, xl/_rels/workbook.xml.rels maps the first sheet's r:id to its part, xl/sharedStrings.xml
 * holds the strings cells point to (t="s"), xl/styles.xml says which cell styles are dates.
 * Every part is inflated in 64 KiB chunks straight into expat, so a sheet never sits in memory
 * as XML; the bytes inflated are counted against IO_MAX_UNZIPPED (a zip bomb stops there). A
 * DOCTYPE stops the parser: spreadsheets have none, and entity expansion is an attack. */
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <unzip.h>
#include <xlsxwriter.h>

#include "io/io.h"

size_t io_xlsx_max_unzipped = IO_MAX_UNZIPPED;

/* ---- minizip over a memory buffer ---- */
typedef struct {
    const char *data;
    size_t len, pos;
} memfile;

static voidpf mem_open(voidpf opaque, const void *name, int mode)
{
    (void)name;
    (void)mode;
    memfile *m = opaque;
    m->pos = 0;
    return m;
}
static uLong mem_read(voidpf opaque, voidpf stream, void *out, uLong size)
{
    memfile *m = stream;
    (void)opaque;
    size_t n = m->len - m->pos < size ? m->len - m->pos : size;
    memcpy(out, m->data + m->pos, n);
    m->pos += n;
    return (uLong)n;
}
static uLong mem_write(voidpf opaque, voidpf stream, const void *in, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)in;
    (void)size;
    return 0;
}
static ZPOS64_T mem_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((memfile *)stream)->pos;
}
static long mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    (void)opaque;
    memfile *m = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                    : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
                                                       : m->len;
    if (off > m->len || base + off > m->len) return -1;
    m->pos = base + off;
    return 0;
}
static int mem_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}
static int mem_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

/* ---- a parse: shared state of one workbook read ---- */
typedef struct {
    arena *a;
    unzFile z;
    size_t inflated; /* bytes inflated so far, all parts */
    err *e;
    err_code rc;
    XML_Parser xp;
    /* shared strings */
    const char **sst;
    int nsst, capsst;
    /* styles: date[i] for cell style (xf) i */
    unsigned char *date_xf; /* per cell style: FMT_DATE | FMT_TIME bits, 0 for numbers */
    int nxf, capxf;
    int *fmt_ids;            /* custom number formats that are dates or times … */
    unsigned char *fmt_kind; /* … and which (FMT_* bits) */
    int nfmt, capfmt;
    /* workbook / rels */
    const char *first_rid, *sheet_target;
    /* element state */
    int depth;
    bool in_si, in_t, in_v, in_is, in_cellxfs;
    int rph; /* depth inside <rPh> (phonetic runs: not text) */
    buf text;
    /* sheet */
    int row, col; /* current row (1-based), cell column (0-based) */
    int cell_t;   /* 's' shared, 'i' inline, 'b', 'e', 'd' date text, 'f' formula str, 'n' */
    int cell_s;   /* style index */
    bool cell_open;
    const char **cells; /* cells of the current row (malloc'd, IO_MAX_COLS) */
    int ncells;         /* highest column + 1 in the current row */
    arena *ra;          /* the current row's cell text, freed after each row */
    /* the consumer */
    const io_sink *sink;
    bool have_header;
    int ncols; /* header cells */
    int nrows; /* non-empty rows seen, the header included */
    long hint; /* data rows by <dimension ref="A1:R100001">, -1 when absent */
} xread;

static void fail(xread *x, err_code code, const char *key, const char *msg)
{
    if (x->rc) return;
    x->rc = err_set(x->e, code, NULL, key, "%s", msg);
    if (x->xp) XML_StopParser(x->xp, XML_FALSE);
}

/* The local name of an element: "x:row" → "row". */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (str_eq(local(atts[i]), name)) return atts[i + 1];
    return NULL;
}
/* An attribute with its exact (prefixed) name, e.g. "r:id". */
static const char *attr_suffix(const char **atts, const char *suffix)
{
    size_t n = strlen(suffix);
    for (int i = 0; atts[i]; i += 2) {
        size_t k = strlen(atts[i]);
        if (k > n && atts[i][k - n - 1] == ':' && !strcmp(atts[i] + k - n, suffix))
            return atts[i + 1];
    }
    return NULL;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    fail(ud, ERR_INVALID, "import.err.xlsx", "the workbook's XML holds a DOCTYPE");
}

/* Inflates part `name` into a new expat parser with the given handlers. missing_ok: a part that
 * is not in the zip is fine (returns ERR_OK having parsed nothing). */
static err_code parse_part(xread *x, const char *name, bool missing_ok, XML_StartElementHandler st,
                           XML_EndElementHandler en, XML_CharacterDataHandler ch)
{
    if (x->rc) return x->rc;
    if (unzLocateFile(x->z, name, 2) != UNZ_OK) {
        if (missing_ok) return ERR_OK;
        return x->rc = err_set(x->e, ERR_INVALID, NULL, "import.err.xlsx",
                               "not an Excel workbook: %s is missing", name);
    }
    if (unzOpenCurrentFile(x->z) != UNZ_OK)
        return x->rc = err_set(x->e, ERR_INVALID, NULL, "import.err.xlsx",
                               "cannot open %s in the zip", name);
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) base_oom();
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, st, en);
    XML_SetCharacterDataHandler(p, ch);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    x->xp = p;
    x->depth = 0;
    char chunk[65536];
    int n = 0;
    while (!x->rc && (n = unzReadCurrentFile(x->z, chunk, sizeof chunk)) > 0) {
        x->inflated += (size_t)n;
        if (x->inflated > io_xlsx_max_unzipped) {
            fail(x, ERR_TOO_LARGE, "import.err.xlsx_too_large",
                 "the workbook inflates to too many bytes (a zip bomb?)");
            break;
        }
        if (XML_Parse(p, chunk, n, 0) == XML_STATUS_ERROR && !x->rc)
            x->rc = err_set(
                x->e, ERR_INVALID, NULL, "import.err.xlsx", "broken XML in %s, line %lu: %s", name,
                (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
    }
    if (!x->rc && n < 0)
        x->rc = err_set(x->e, ERR_INVALID, NULL, "import.err.xlsx",
                        "broken zip: cannot inflate %s (%d)", name, n);
    if (!x->rc && XML_Parse(p, "", 0, 1) == XML_STATUS_ERROR)
        x->rc = err_set(
            x->e, ERR_INVALID, NULL, "import.err.xlsx", "broken XML in %s, line %lu: %s", name,
            (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
    int crc = unzCloseCurrentFile(x->z);
    if (!x->rc && crc == UNZ_CRCERROR)
        x->rc = err_set(x->e, ERR_INVALID, NULL, "import.err.xlsx",
                        "broken zip: checksum of %s does not match", name);
    XML_ParserFree(p);
    x->xp = NULL;
    return x->rc;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xread *x = ud;
    if ((x->in_t || x->in_v) && !x->rph) {
        if (x->text.len + (size_t)len > IO_MAX_CELL * 4) {
            fail(x, ERR_TOO_LARGE, "import.err.cell_too_long", "a cell is too long");
            return;
        }
        buf_putn(&x->text, s, (size_t)len);
    }
}

/* ---- workbook.xml and its rels: which part is the first sheet ---- */
static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xread *x = ud;
    if (!x->first_rid && str_eq(local(name), "sheet")) {
        const char *rid = attr_suffix(atts, "id");
        x->first_rid = arena_strdup(x->a, rid ? rid : "");
    }
}
static void XMLCALL no_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}
static void XMLCALL no_text(void *ud, const XML_Char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}
static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xread *x = ud;
    if (x->sheet_target || !x->first_rid || !str_eq(local(name), "Relationship")) return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (id && target && str_eq(id, x->first_rid)) {
        /* targets are relative to xl/, or absolute from the package root */
        x->sheet_target =
            target[0] == '/' ? arena_strdup(x->a, target + 1) : arena_printf(x->a, "xl/%s", target);
    }
}

/* ---- sharedStrings.xml ---- */
static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    xread *x = ud;
    const char *l = local(name);
    if (str_eq(l, "si")) {
        x->in_si = true;
        buf_reset(&x->text);
    } else if (str_eq(l, "rPh")) {
        x->rph++;
    } else if (str_eq(l, "t") && x->in_si) {
        x->in_t = true;
    }
}
static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    xread *x = ud;
    const char *l = local(name);
    if (str_eq(l, "t")) {
        x->in_t = false;
    } else if (str_eq(l, "rPh")) {
        x->rph--;
    } else if (str_eq(l, "si")) {
        x->in_si = false;
        if (x->nsst == x->capsst) {
            if (x->capsst >= IO_MAX_ROWS * 16) {
                fail(x, ERR_TOO_LARGE, "import.err.xlsx_too_large", "too many shared strings");
                return;
            }
            x->capsst = x->capsst ? x->capsst * 2 : 1024;
            x->sst = xrealloc(x->sst, (size_t)x->capsst * sizeof *x->sst);
        }
        x->sst[x->nsst++] = arena_strndup(x->a, x->text.s ? x->text.s : "", x->text.len);
        buf_reset(&x->text);
    }
}

/* ---- styles.xml: which cell styles show dates and times ---- */
enum { FMT_DATE = 1, FMT_TIME = 2 };
/* FMT_* bits of a number format code: y/d/e make a date, h/s a time (m is either, so alone it
 * says nothing); text in quotes, escapes and [colour]/[locale] sections do not count. */
static unsigned format_kind(const char *code)
{
    if (!strcasecmp(code, "General")) return 0;
    unsigned k = 0;
    bool quoted = false;
    int bracket = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (*p == '\\' && p[1])
            p++;
        else if (*p == '[')
            bracket++;
        else if (*p == ']' && bracket)
            bracket--;
        else if (!bracket && strchr("yYdDeE", *p))
            k |= FMT_DATE;
        else if (!bracket && strchr("hHsS", *p))
            k |= FMT_TIME;
    }
    return k;
}
/* The built-in formats (ECMA-376 18.8.30, with the zh-CN ids 27–36 and 50–58). */
static unsigned builtin_kind(int id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
        id == 57 || id == 58)
        return FMT_DATE;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || id == 55 || id == 56) return FMT_TIME;
    if (id == 22) return FMT_DATE | FMT_TIME;
    return 0;
}
static void XMLCALL sty_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xread *x = ud;
    const char *l = local(name);
    if (str_eq(l, "numFmt")) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        unsigned k = id && code ? format_kind(code) : 0;
        if (k) {
            if (x->nfmt == x->capfmt) {
                if (x->capfmt >= 65536) return;
                x->capfmt = x->capfmt ? x->capfmt * 2 : 16;
                x->fmt_ids = xrealloc(x->fmt_ids, (size_t)x->capfmt * sizeof *x->fmt_ids);
                x->fmt_kind = xrealloc(x->fmt_kind, (size_t)x->capfmt * sizeof *x->fmt_kind);
            }
            x->fmt_ids[x->nfmt] = atoi(id);
            x->fmt_kind[x->nfmt++] = (unsigned char)k;
        }
    } else if (str_eq(l, "cellXfs")) {
        x->in_cellxfs = true;
    } else if (str_eq(l, "xf") && x->in_cellxfs) {
        const char *id = attr(atts, "numFmtId");
        int fid = id ? atoi(id) : 0;
        unsigned date = builtin_kind(fid);
        for (int i = 0; i < x->nfmt; i++)
            if (x->fmt_ids[i] == fid) date = x->fmt_kind[i];
        if (x->nxf == x->capxf) {
            if (x->capxf >= 65536) return;
            x->capxf = x->capxf ? x->capxf * 2 : 64;
            x->date_xf = xrealloc(x->date_xf, (size_t)x->capxf * sizeof *x->date_xf);
        }
        x->date_xf[x->nxf++] = (unsigned char)date;
    }
}
static void XMLCALL sty_end(void *ud, const XML_Char *name)
{
    xread *x = ud;
    if (str_eq(local(name), "cellXfs")) x->in_cellxfs = false;
}

/* ---- the sheet ---- */
bool io_excel_date(double serial, char out[11])
{
    if (!(serial >= 1 && serial < 2958466)) return false; /* 1900-01-01 … 9999-12-31 */
    long d = (long)floor(serial);
    if (d == 60) { /* Excel's phantom 1900-02-29 */
        memcpy(out, "1900-02-29", 11);
        return true;
    }
    if (d > 60) d--; /* the phantom day shifts every later serial by one */
    /* days since 1899-12-31 → civil date (Howard Hinnant's algorithm, from 1970-01-01) */
    long z = d - 25568 + 719468; /* serial 1 = 1900-01-01 = day -25567 from 1970 */
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long dd = doy - (153 * mp + 2) / 5 + 1;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    if (mm <= 2) y++;
    char tmp[72];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, mm, dd);
    memcpy(out, tmp, 10);
    out[10] = 0;
    return true;
}

/* "C5" → column 2; -1 when the reference has no letters or too many. */
static int ref_col(const char *r)
{
    int c = 0, n = 0;
    for (; *r >= 'A' && *r <= 'Z'; r++, n++) {
        c = c * 26 + (*r - 'A' + 1);
        if (n > 3) return -1;
    }
    return n ? c - 1 : -1;
}

/* Hands the finished row to the sink: the first non-empty row is the header (kept in x->a),
 * later rows go out when they hold something under the headed columns. */
static void end_row(xread *x)
{
    if (!x->ncells || x->rc) return;
    bool any = false;
    for (int i = 0; i < x->ncells && !any; i++)
        any = x->cells[i] && *x->cells[i];
    if (any && ++x->nrows > IO_MAX_ROWS) {
        fail(x, ERR_TOO_LARGE, "import.err.too_many_rows", "too many rows");
        return;
    }
    err_code rc = ERR_OK;
    if (any && !x->have_header) {
        int nc = x->ncells;
        const char **h = arena_alloc(x->a, (size_t)nc * sizeof *h);
        for (int i = 0; i < nc; i++)
            h[i] = x->cells[i] ? arena_strdup(x->a, x->cells[i]) : "";
        x->have_header = true;
        x->ncols = nc;
        rc = x->sink->header(x->sink->ctx, nc, h, "xlsx", x->hint, x->e);
    } else if (any) {
        int nc = x->ncols;
        const char **row = arena_alloc(x->ra, (size_t)(nc ? nc : 1) * sizeof *row);
        bool under = false; /* something under the headed columns */
        for (int j = 0; j < nc; j++) {
            row[j] = j < x->ncells && x->cells[j] ? x->cells[j] : "";
            under = under || *row[j];
        }
        if (under) rc = x->sink->row(x->sink->ctx, x->row, row, x->e);
    }
    if (rc) {
        x->rc = rc;
        if (x->xp) XML_StopParser(x->xp, XML_FALSE);
    }
    memset(x->cells, 0, (size_t)x->ncells * sizeof *x->cells);
    x->ncells = 0;
    arena_free(x->ra);
    x->ra = arena_new();
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xread *x = ud;
    const char *l = local(name);
    if (str_eq(l, "dimension")) {
        const char *ref = attr(atts, "ref"), *colon = ref ? strchr(ref, ':') : NULL;
        if (colon) {
            while (*colon && !(*colon >= '0' && *colon <= '9'))
                colon++;
            long last = atol(colon);
            x->hint = last > 1 ? last - 1 : 0;
        }
    } else if (str_eq(l, "row")) {
        end_row(x);
        const char *r = attr(atts, "r");
        int n = r ? atoi(r) : x->row + 1;
        x->row = n > x->row ? n : x->row + 1;
        x->col = -1;
    } else if (str_eq(l, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        int col = r ? ref_col(r) : x->col + 1;
        if (col < 0) col = x->col + 1;
        x->col = col;
        x->cell_t = !t                       ? 'n'
                    : str_eq(t, "s")         ? 's'
                    : str_eq(t, "inlineStr") ? 'i'
                    : str_eq(t, "b")         ? 'b'
                    : str_eq(t, "e")         ? 'e'
                    : str_eq(t, "d")         ? 'd'
                    : str_eq(t, "str")       ? 'f'
                                             : 'n';
        x->cell_s = s ? atoi(s) : 0;
        x->cell_open = true;
        buf_reset(&x->text);
    } else if (x->cell_open && str_eq(l, "v")) {
        x->in_v = true;
    } else if (x->cell_open && str_eq(l, "is")) {
        x->in_is = true;
    } else if (x->in_is && str_eq(l, "rPh")) {
        x->rph++;
    } else if (x->in_is && str_eq(l, "t")) {
        x->in_t = true;
    }
}

static const char *cell_value(xread *x)
{
    const char *raw = x->text.s ? x->text.s : "";
    switch (x->cell_t) {
    case 's': {
        char *end;
        long i = strtol(raw, &end, 10);
        if (end == raw || *end || i < 0 || i >= x->nsst) {
            fail(x, ERR_INVALID, "import.err.xlsx", "a cell points to a missing shared string");
            return "";
        }
        return x->sst[i];
    }
    case 'b':
        return str_eq(raw, "1") ? "TRUE" : "FALSE";
    case 'd':
        return arena_strndup(x->ra, raw, strlen(raw) >= 10 ? 10 : strlen(raw));
    case 'n': {
        if (!*raw) return "";
        char *end;
        double v = strtod(raw, &end);
        if (end == raw || *end || !isfinite(v)) return arena_strdup(x->ra, raw);
        unsigned k = x->cell_s >= 0 && x->cell_s < x->nxf ? x->date_xf[x->cell_s] : 0;
        char d[11];
        if (k == FMT_DATE && io_excel_date(v, d)) return arena_strdup(x->ra, d);
        if (k & FMT_TIME && v >= 0 && v < 2958466) {
            long secs = lround((v - floor(v)) * 86400.0);
            if (secs >= 86400) secs = 86399;
            const char *hm = arena_printf(x->ra, "%02ld:%02ld", secs / 3600, secs / 60 % 60);
            if (secs % 60) hm = arena_printf(x->ra, "%s:%02ld", hm, secs % 60);
            if (k & FMT_DATE && io_excel_date(v, d)) return arena_printf(x->ra, "%s %s", d, hm);
            if (!(k & FMT_DATE)) return hm;
        }
        if (v == floor(v) && fabs(v) < 1e15) return arena_printf(x->ra, "%.0f", v);
        return arena_printf(x->ra, "%.15g", v);
    }
    default:
        return arena_strndup(x->ra, raw, x->text.len);
    }
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
    xread *x = ud;
    const char *l = local(name);
    if (str_eq(l, "v")) {
        x->in_v = false;
    } else if (str_eq(l, "t")) {
        x->in_t = false;
    } else if (str_eq(l, "rPh")) {
        if (x->rph) x->rph--;
    } else if (str_eq(l, "is")) {
        x->in_is = false;
    } else if (str_eq(l, "c") && x->cell_open) {
        x->cell_open = false;
        const char *v = cell_value(x);
        if (x->rc || !*v) return;
        if (x->col >= IO_MAX_COLS) {
            fail(x, ERR_INVALID, "import.err.too_wide", "the sheet has more than 256 columns");
            return;
        }
        char *t = arena_strdup(x->ra, v);
        x->cells[x->col] = str_trim(t);
        if (x->col + 1 > x->ncells) x->ncells = x->col + 1;
    } else if (str_eq(l, "row")) {
        end_row(x);
    }
}

err_code io_xlsx_stream(arena *a, const char *data, size_t len, const io_sink *sink, err *e)
{
    if (len < 4 || memcmp(data, "PK", 2))
        return err_set(e, ERR_INVALID, NULL, "import.err.xlsx",
                       "not an Excel .xlsx file (no zip signature)");
    memfile mf = {data, len, 0};
    zlib_filefunc64_def io = {mem_open, mem_read,  mem_write, mem_tell,
                              mem_seek, mem_close, mem_error, &mf};
    xread x = {.a = a, .e = e, .sink = sink, .hint = -1};
    x.z = unzOpen2_64("mem", &io);
    if (!x.z)
        return err_set(e, ERR_INVALID, NULL, "import.err.xlsx",
                       "not an Excel .xlsx file: the zip is broken");
    x.cells = xcalloc(IO_MAX_COLS, sizeof *x.cells);
    x.ra = arena_new();
    if (!parse_part(&x, "xl/workbook.xml", false, wb_start, no_end, no_text) && x.first_rid)
        parse_part(&x, "xl/_rels/workbook.xml.rels", true, rels_start, no_end, no_text);
    if (!x.sheet_target) x.sheet_target = "xl/worksheets/sheet1.xml";
    parse_part(&x, "xl/sharedStrings.xml", true, sst_start, sst_end, on_text);
    parse_part(&x, "xl/styles.xml", true, sty_start, sty_end, no_text);
    x.row = 0;
    parse_part(&x, x.sheet_target, false, sh_start, sh_end, on_text);
    if (!x.rc) end_row(&x);
    unzClose(x.z);
    if (!x.rc && !x.have_header) {
        static const char *none[1] = {""};
        x.rc = sink->header(sink->ctx, 0, none, "xlsx", 0, e);
    }
    free(x.sst);
    free(x.date_xf);
    free(x.fmt_ids);
    free(x.fmt_kind);
    free(x.cells);
    arena_free(x.ra);
    buf_free(&x.text);
    return x.rc;
}

/* ---- writing ---- */
err_code io_xlsx_write(buf *out, const io_sheet *sheets, int nsheets, err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/duijie-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot create a temporary file");
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot start the workbook");
    }
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_num_format(head, "@");
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    for (int s = 0; s < nsheets; s++) {
        const io_sheet *sh = &sheets[s];
        lxw_worksheet *ws = workbook_add_worksheet(wb, sh->name);
        if (!ws) continue;
        for (int j = 0; j < sh->ncols; j++)
            worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, sh->widths ? sh->widths[j] : 18,
                                 text);
        worksheet_freeze_panes(ws, 1, 0);
        for (int j = 0; j < sh->ncols; j++)
            worksheet_write_string(ws, 0, (lxw_col_t)j, sh->header[j] ? sh->header[j] : "", head);
        for (int i = 0; i < sh->nrows; i++)
            for (int j = 0; j < sh->ncols; j++) {
                const char *v = sh->rows[i][j];
                if (v && *v) worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)j, v, NULL);
            }
    }
    lxw_error le = workbook_close(wb);
    if (le != LXW_NO_ERROR) {
        unlink(path);
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot write the workbook: %s",
                       lxw_strerror(le));
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        unlink(path);
        return err_set(e, ERR_INTERNAL, NULL, NULL, "cannot read the workbook back");
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_putn(out, chunk, n);
    fclose(f);
    unlink(path);
    return ERR_OK;
}
