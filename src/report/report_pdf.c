/* report_pdf.c — a report as an A4 PDF (cairo PDF surface, text by pango in Noto Sans CJK SC):
 * a cover page (document kind, title, subtitle, facts), the summary paragraph, bar charts drawn
 * with cairo, then the tables marked in_pdf, each with its header repeated after a page break.
 * Every page but the cover carries "page N of M" and the footer text. The document is laid out
 * twice: the first pass, into a discarding stream, counts the pages for "of M". */
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/report.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 56.0
#define TOP 64.0
#define BOTTOM (PAGE_H - 70.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FONT "Noto Sans CJK SC"

typedef struct {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoLayout *layout;
    const report_data *d;
    double y;
    int page, total; /* total 0 in the counting pass */
} pdf;

static void color(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                         (rgb & 255) / 255.0);
}

/* Sets the layout for text at size (points), bold or not, wrapped at width (<= 0: no wrap). */
static void setup(pdf *p, const char *text, double size, bool bold, double width,
                  PangoAlignment align)
{
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(p->layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
    pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(p->layout, align);
    pango_layout_set_text(p->layout, text ? text : "", -1);
}

static double layout_h(pdf *p)
{
    int w, h;
    pango_layout_get_size(p->layout, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Draws text at (x, y); returns its height. */
static double text(pdf *p, double x, double y, double width, const char *s, double size, bool bold,
                   unsigned rgb, PangoAlignment align)
{
    setup(p, s, size, bold, width, align);
    color(p->cr, rgb);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->layout);
    return layout_h(p);
}

static double text_height(pdf *p, double width, const char *s, double size, bool bold)
{
    setup(p, s, size, bold, width, PANGO_ALIGN_LEFT);
    return layout_h(p);
}

static void footer(pdf *p)
{
    if (p->page == 1) return; /* the cover */
    cairo_set_line_width(p->cr, 0.5);
    color(p->cr, 0xB0B0B0);
    cairo_move_to(p->cr, MARGIN, PAGE_H - 50);
    cairo_line_to(p->cr, PAGE_W - MARGIN, PAGE_H - 50);
    cairo_stroke(p->cr);
    char label[128];
    snprintf(label, sizeof label, p->d->page_label, p->page, p->total ? p->total : p->page);
    text(p, MARGIN, PAGE_H - 44, CONTENT_W * 0.7, p->d->footer, 8, false, 0x666666,
         PANGO_ALIGN_LEFT);
    text(p, MARGIN, PAGE_H - 44, CONTENT_W, label, 8, false, 0x666666, PANGO_ALIGN_RIGHT);
}

static void new_page(pdf *p)
{
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
}

/* Starts a new page unless h more points fit on this one. */
static void ensure(pdf *p, double h)
{
    if (p->y + h > BOTTOM) new_page(p);
}

static void heading(pdf *p, const char *s)
{
    double h = text_height(p, CONTENT_W, s, 14, true);
    ensure(p, h + 60); /* never a heading alone at the foot of a page */
    text(p, MARGIN, p->y, CONTENT_W, s, 14, true, 0x1F3864, PANGO_ALIGN_LEFT);
    p->y += h + 4;
    cairo_set_line_width(p->cr, 1.2);
    color(p->cr, 0x2E75B6);
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
    cairo_stroke(p->cr);
    p->y += 10;
}

static void cover(pdf *p)
{
    const report_data *d = p->d;
    color(p->cr, 0x1F3864);
    cairo_rectangle(p->cr, 0, 0, PAGE_W, 12);
    cairo_fill(p->cr);
    double y = 170;
    y += text(p, MARGIN, y, CONTENT_W, d->doc_title, 16, false, 0x2E75B6, PANGO_ALIGN_CENTER);
    y += 18;
    y += text(p, MARGIN, y, CONTENT_W, d->title, 26, true, 0x1F3864, PANGO_ALIGN_CENTER);
    if (d->subtitle && *d->subtitle) {
        y += 10;
        y += text(p, MARGIN, y, CONTENT_W, d->subtitle, 13, false, 0x404040, PANGO_ALIGN_CENTER);
    }
    y += 30;
    cairo_set_line_width(p->cr, 1.5);
    color(p->cr, 0x2E75B6);
    cairo_move_to(p->cr, PAGE_W / 2 - 80, y);
    cairo_line_to(p->cr, PAGE_W / 2 + 80, y);
    cairo_stroke(p->cr);
    y = 470;
    double lw = 110, x = MARGIN + 40, vw = CONTENT_W - 80 - lw;
    for (int i = 0; i < d->nfacts; i++) {
        text(p, x, y, lw, d->facts[i].label, 11, true, 0x404040, PANGO_ALIGN_LEFT);
        double h = text(p, x + lw, y, vw, d->facts[i].value, 11, false, 0x202020, PANGO_ALIGN_LEFT);
        y += (h > 16 ? h : 16) + 8;
    }
}

static const unsigned palette[] = {0x2E75B6, 0x4A90D9, 0x5BA3E0, 0x70AD47, 0xA9D18E,
                                   0xFFC000, 0xED7D31, 0xC55A11, 0x7030A0, 0x8064A2};

static void bar_chart(pdf *p, const report_chart *ch)
{
    if (ch->n == 0) return;
    const double bar = 14, gap = 6, lw = 150;
    double title_h = text_height(p, CONTENT_W, ch->title, 11, true);
    ensure(p, title_h + 8 + (bar + gap) * (ch->n < 4 ? ch->n : 4));
    text(p, MARGIN, p->y, CONTENT_W, ch->title, 11, true, 0x1F3864, PANGO_ALIGN_LEFT);
    p->y += title_h + 8;
    double max = 0;
    for (int i = 0; i < ch->n; i++)
        if (ch->values[i] > max) max = ch->values[i];
    /* room for the value text at the bar's end */
    double area = CONTENT_W - lw - 70;
    double x0 = MARGIN + lw;
    for (int i = 0; i < ch->n; i++) {
        ensure(p, bar + gap);
        double y = p->y;
        setup(p, ch->labels[i], 9, false, lw - 8, PANGO_ALIGN_RIGHT);
        pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_END);
        color(p->cr, 0x303030);
        cairo_move_to(p->cr, MARGIN, y + (bar - layout_h(p)) / 2);
        pango_cairo_show_layout(p->cr, p->layout);
        pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_NONE);
        double w = max > 0 ? area * ch->values[i] / max : 0;
        if (ch->values[i] > 0 && w < 1.5) w = 1.5;
        color(p->cr, palette[i % (int)(sizeof palette / sizeof *palette)]);
        cairo_rectangle(p->cr, x0, y, w, bar);
        cairo_fill(p->cr);
        setup(p, ch->value_text[i], 9, true, -1, PANGO_ALIGN_LEFT);
        color(p->cr, 0x202020);
        cairo_move_to(p->cr, x0 + w + 5, y + (bar - layout_h(p)) / 2);
        pango_cairo_show_layout(p->cr, p->layout);
        p->y += bar + gap;
    }
    /* the axis */
    cairo_set_line_width(p->cr, 0.8);
    color(p->cr, 0x808080);
    cairo_move_to(p->cr, x0, p->y - (bar + gap) * ch->n - 3);
    cairo_line_to(p->cr, x0, p->y - gap + 3);
    cairo_stroke(p->cr);
    p->y += 14;
}

#define PAD 4.0
#define CELL_SIZE 8.5

/* The width of the widest Latin word (no byte >= 0x80) of s at the cell size: such words must
 * not break inside. CJK text may break between any two characters, so it asks for nothing. */
static double longest_word(pdf *p, const char *s, bool bold)
{
    double best = 0;
    char word[128];
    while (s && *s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        bool latin = n > 0 && n < sizeof word;
        for (size_t i = 0; latin && i < n; i++)
            if ((unsigned char)s[i] >= 0x80) latin = false;
        if (latin) {
            memcpy(word, s, n);
            word[n] = 0;
            setup(p, word, CELL_SIZE, bold, -1, PANGO_ALIGN_LEFT);
            int w, h;
            pango_layout_get_size(p->layout, &w, &h);
            if ((double)w / PANGO_SCALE > best) best = (double)w / PANGO_SCALE;
        }
        s += n;
    }
    return best;
}

/* Column x offsets and widths of t over the content width: every column at least as wide as
 * its longest Latin word (header and the first 200 rows), the rest shared by the relative
 * widths. */
static void columns(pdf *p, const report_table *t, double *x, double *w)
{
    double minw[32], sum = 0, summin = 0;
    for (int c = 0; c < t->ncols; c++) {
        minw[c] = longest_word(p, t->cols[c], true);
        for (int r = 0; r < t->nrows && r < 200; r++) {
            double lw = longest_word(p, t->cells[r * t->ncols + c].text, false);
            if (lw > minw[c]) minw[c] = lw;
        }
        minw[c] += 2 * PAD + 1;
        if (minw[c] > CONTENT_W * 0.3) minw[c] = CONTENT_W * 0.3;
        summin += minw[c];
        sum += t->widths ? t->widths[c] : 1;
    }
    if (summin > CONTENT_W)
        for (int c = 0; c < t->ncols; c++)
            minw[c] = 0;
    /* give each column its share; raise those under their minimum and take the difference
     * from the others in proportion */
    double at = MARGIN, extra = 0, flex = 0;
    for (int c = 0; c < t->ncols; c++) {
        w[c] = CONTENT_W * (t->widths ? t->widths[c] : 1) / sum;
        if (w[c] < minw[c]) {
            extra += minw[c] - w[c];
            w[c] = minw[c];
        } else {
            flex += w[c] - minw[c];
        }
    }
    for (int c = 0; c < t->ncols; c++) {
        if (extra > 0 && flex > 0 && w[c] > minw[c]) w[c] -= extra * (w[c] - minw[c]) / flex;
        x[c] = at;
        at += w[c];
    }
}

static double row_height(pdf *p, const report_table *t, const char *const *texts, const double *w,
                         bool bold)
{
    double h = 0;
    for (int c = 0; c < t->ncols; c++) {
        double ch = text_height(p, w[c] - 2 * PAD, texts[c], CELL_SIZE, bold);
        if (ch > h) h = ch;
    }
    return h + 2 * PAD;
}

static void draw_row(pdf *p, const report_table *t, const char *const *texts, const bool *nums,
                     const double *x, const double *w, double h, unsigned bg, bool bold)
{
    if (bg != 0xFFFFFF) {
        color(p->cr, bg);
        cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
        cairo_fill(p->cr);
    }
    for (int c = 0; c < t->ncols; c++)
        text(p, x[c] + PAD, p->y + PAD, w[c] - 2 * PAD, texts[c], CELL_SIZE, bold, 0x202020,
             nums && nums[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    cairo_set_line_width(p->cr, 0.4);
    color(p->cr, 0xBFBFBF);
    cairo_move_to(p->cr, MARGIN, p->y + h);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + h);
    cairo_stroke(p->cr);
    p->y += h;
}

static void table(pdf *p, const report_table *t)
{
    double x[32], w[32];
    if (t->ncols > 32) return;
    columns(p, t, x, w);
    heading(p, t->title);
    double hh = row_height(p, t, t->cols, w, true);
    ensure(p, hh * 2);
    /* headers of number columns align with their numbers */
    bool hnum[32];
    for (int c = 0; c < t->ncols; c++)
        hnum[c] = t->nrows > 0 && t->cells[c].is_num;
    draw_row(p, t, t->cols, hnum, x, w, hh, 0xDCE6F1, true);
    const char *texts[32];
    bool nums[32];
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const report_cell *cell = &t->cells[r * t->ncols + c];
            texts[c] = cell->text ? cell->text : "";
            nums[c] = cell->is_num;
        }
        double h = row_height(p, t, texts, w, false);
        if (p->y + h > BOTTOM) {
            new_page(p);
            draw_row(p, t, t->cols, hnum, x, w, hh, 0xDCE6F1, true);
        }
        draw_row(p, t, texts, nums, x, w, h, r % 2 ? 0xF5F8FC : 0xFFFFFF, false);
    }
    if (t->nrows == 0) {
        const char *dash[32];
        for (int c = 0; c < t->ncols; c++)
            dash[c] = c ? "" : "—";
        draw_row(p, t, dash, NULL, x, w, row_height(p, t, dash, w, false), 0xFFFFFF, false);
    }
    if (t->note && *t->note) {
        double h = text_height(p, CONTENT_W, t->note, 8, false);
        ensure(p, h + 4);
        text(p, MARGIN, p->y + 4, CONTENT_W, t->note, 8, false, 0x666666, PANGO_ALIGN_LEFT);
        p->y += h + 4;
    }
    p->y += 18;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    buf_putn(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* One pass over the whole document; returns the number of pages, or -1 when cairo failed. */
static int render(const report_data *d, PangoFontMap *fm, cairo_write_func_t write, void *closure,
                  int total)
{
    pdf p = {.d = d, .page = 1, .total = total, .y = TOP};
    p.surface = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
    if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p.surface);
        return -1;
    }
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT, d->doc_title);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "duijie");
    p.cr = cairo_create(p.surface);
    PangoContext *ctx = pango_font_map_create_context(fm);
    pango_cairo_update_context(p.cr, ctx);
    p.layout = pango_layout_new(ctx);
    PangoContext *pc = pango_layout_get_context(p.layout);
    pango_context_set_language(
        pc, pango_language_from_string(d->lang && strncmp(d->lang, "zh", 2) == 0 ? "zh-cn" : "en"));

    cover(&p);
    new_page(&p);
    heading(&p, d->summary_heading);
    double h = text_height(&p, CONTENT_W, d->summary, 11, false);
    ensure(&p, h);
    setup(&p, d->summary, 11, false, CONTENT_W, PANGO_ALIGN_LEFT);
    pango_layout_set_spacing(p.layout, 4 * PANGO_SCALE);
    h = layout_h(&p);
    color(p.cr, 0x202020);
    cairo_move_to(p.cr, MARGIN, p.y);
    pango_cairo_show_layout(p.cr, p.layout);
    pango_layout_set_spacing(p.layout, 0);
    p.y += h + 22;
    if (d->ncharts) {
        heading(&p, d->charts_heading);
        for (int i = 0; i < d->ncharts; i++)
            bar_chart(&p, &d->charts[i]);
    }
    for (int i = 0; i < d->ntables; i++)
        if (d->tables[i].in_pdf) table(&p, &d->tables[i]);
    footer(&p);
    int pages = p.page;
    g_object_unref(p.layout);
    g_object_unref(ctx);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_status_t st = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);
    return st == CAIRO_STATUS_SUCCESS ? pages : -1;
}

err_code report_pdf(const report_data *d, buf *out, err *e)
{
    /* a font map of our own for both passes, released after them: pango's default one is per
     * thread and lives (holding fontconfig patterns) as long as the thread, which a server's pool
     * threads do */
    PangoFontMap *fm = pango_cairo_font_map_new();
    int pages = render(d, fm, discard, NULL, 0);
    if (pages > 0) pages = render(d, fm, to_buf, out, pages);
    g_object_unref(fm);
    if (pages < 0) return err_set(e, ERR_INTERNAL, NULL, "err.internal", "pdf: cairo failed");
    return ERR_OK;
}

void report_release(void)
{
    cairo_debug_reset_static_data();
}
