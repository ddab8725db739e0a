/* report_xlsx.c — a report as an XLSX workbook (libxlsxwriter): one sheet per table. The first
 * sheet (概况 / Summary) starts with the cover facts and the summary paragraph above the funnel.
 * Numbers are written as numbers, so Excel can sum them; header rows are bold, frozen and
 * filterable. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "report/report.h"

/* Display width of UTF-8 text in Excel columns: wide (CJK) characters count two. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        w += *p >= 0xE0 ? 2.0 : 1.1;
    }
    return w;
}

typedef struct {
    lxw_format *title, *bold, *head, *wrap, *num, *note;
} formats;

static void write_cell(lxw_worksheet *ws, int row, int col, const report_cell *c, formats *f)
{
    if (c->is_num)
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->num, f->num);
    else
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, c->text ? c->text : "", NULL);
}

/* Writes t's title, header and rows from row `row`; returns the row after the last written. */
static int write_table(lxw_worksheet *ws, const report_table *t, int row, formats *f,
                       double *widths)
{
    worksheet_write_string(ws, (lxw_row_t)row, 0, t->title, f->bold);
    row += 1;
    int head = row;
    for (int c = 0; c < t->ncols; c++) {
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, t->cols[c], f->head);
        double w = text_width(t->cols[c]) + 2;
        if (w > widths[c]) widths[c] = w;
    }
    row++;
    for (int r = 0; r < t->nrows; r++, row++)
        for (int c = 0; c < t->ncols; c++) {
            const report_cell *cell = &t->cells[r * t->ncols + c];
            write_cell(ws, row, c, cell, f);
            double w = text_width(cell->text) + 2;
            if (w > widths[c]) widths[c] = w;
        }
    if (t->nrows)
        worksheet_autofilter(ws, (lxw_row_t)head, 0, (lxw_row_t)(row - 1),
                             (lxw_col_t)(t->ncols - 1));
    if (t->note && *t->note) {
        row++;
        worksheet_write_string(ws, (lxw_row_t)row, 0, t->note, f->note);
        row++;
    }
    return row;
}

static void set_widths(lxw_worksheet *ws, const double *widths, int n)
{
    for (int c = 0; c < n; c++) {
        double w = widths[c] < 8 ? 8 : widths[c] > 60 ? 60 : widths[c];
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
}

err_code report_xlsx(const report_data *d, const char *path, err *e)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return err_set(e, ERR_INTERNAL, NULL, "err.internal", "cannot create %s", path);
    formats f;
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 16);
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    f.head = workbook_add_format(wb);
    format_set_bold(f.head);
    format_set_bg_color(f.head, 0xDCE6F1);
    format_set_border(f.head, LXW_BORDER_THIN);
    format_set_text_wrap(f.head);
    f.wrap = workbook_add_format(wb);
    format_set_text_wrap(f.wrap);
    format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
    f.num = workbook_add_format(wb);
    format_set_num_format(f.num, "#,##0.##");
    f.note = workbook_add_format(wb);
    format_set_italic(f.note);
    format_set_font_color(f.note, 0x666666);
    /* libxlsxwriter copies the strings; its struct just is not const */
    lxw_doc_properties props = {.title = (char *)(uintptr_t)d->title,
                                .subject = (char *)(uintptr_t)d->doc_title,
                                .author = (char *)(uintptr_t) "duijie"};
    workbook_set_properties(wb, &props);

    for (int i = 0; i < d->ntables; i++) {
        const report_table *t = &d->tables[i];
        lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
        if (!ws) {
            workbook_close(wb);
            return err_set(e, ERR_INTERNAL, NULL, "err.internal", "bad sheet name %s", t->sheet);
        }
        double widths[32] = {0};
        int ncols = t->ncols < 32 ? t->ncols : 32;
        int row = 0;
        if (i == 0) {
            /* the cover: title, subtitle, facts, the summary paragraph */
            worksheet_write_string(ws, 0, 0, d->title, f.title);
            row = 1;
            if (d->subtitle && *d->subtitle)
                worksheet_write_string(ws, (lxw_row_t)row++, 0, d->subtitle, NULL);
            worksheet_write_string(ws, (lxw_row_t)row++, 0, d->doc_title, f.bold);
            row++;
            for (int k = 0; k < d->nfacts; k++, row++) {
                worksheet_write_string(ws, (lxw_row_t)row, 0, d->facts[k].label, f.bold);
                worksheet_merge_range(ws, (lxw_row_t)row, 1, (lxw_row_t)row, 2, d->facts[k].value,
                                      NULL);
            }
            row++;
            worksheet_write_string(ws, (lxw_row_t)row++, 0, d->summary_heading, f.bold);
            worksheet_merge_range(ws, (lxw_row_t)row, 0, (lxw_row_t)row, 2, d->summary, f.wrap);
            /* about 90 columns of text per line, 15 points a line */
            double lines = text_width(d->summary) / 90.0 + 1;
            worksheet_set_row(ws, (lxw_row_t)row, 15 * (int)lines, NULL);
            row += 2;
            widths[0] = 16;
            widths[1] = 10;
            widths[2] = 60;
        }
        int head = row + 1;
        write_table(ws, t, row, &f, widths);
        worksheet_freeze_panes(ws, (lxw_row_t)(head + 1), 0);
        set_widths(ws, widths, ncols);
        if (i == 0) worksheet_set_column(ws, 2, 2, 80, f.wrap);
    }
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR)
        return err_set(e, ERR_INTERNAL, NULL, "err.internal", "xlsx: %s", lxw_strerror(rc));
    return ERR_OK;
}

err_code report_xlsx_buf(const report_data *d, buf *out, err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/duijie-report-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return err_set(e, ERR_INTERNAL, NULL, "err.internal", "cannot create temp file");
    close(fd);
    err_code rc = report_xlsx(d, path, e);
    if (!rc) {
        FILE *fp = fopen(path, "rb");
        if (!fp) {
            rc = err_set(e, ERR_INTERNAL, NULL, "err.internal", "cannot read %s", path);
        } else {
            char chunk[65536];
            size_t n;
            while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
                buf_putn(out, chunk, n);
            fclose(fp);
        }
    }
    unlink(path);
    return rc;
}
