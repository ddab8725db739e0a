/* report.h — the layout layer of reports (src/report/): it lays out, as PDF (cairo + pango,
 * Noto Sans CJK SC) or XLSX (libxlsxwriter), a report_data that domain/report.c filled. It knows
 * nothing of SQL, HTTP or the records: every text, label and number arrives ready in the struct
 * (labels already translated), so this header includes only base/. */
#ifndef DUIJIE_REPORT_REPORT_H
#define DUIJIE_REPORT_REPORT_H

#include "base/base.h"

/* One table cell: text, or a number (is_num) written as a number in XLSX and right-aligned in
 * PDF; text then holds the number as it is printed. */
typedef struct {
    const char *text;
    double num;
    bool is_num;
} report_cell;

/* A table: one XLSX sheet each (sheet = its name, at most 31 characters) and, when in_pdf, a
 * table in the PDF under its title. cells holds nrows × ncols cells, row by row. widths: relative
 * column widths (ncols values, NULL = equal). */
typedef struct {
    const char *sheet, *title, *note; /* note: a line under the table ("" = none) */
    const char **cols;
    int ncols, nrows;
    report_cell *cells;
    const double *widths;
    bool in_pdf;
} report_table;

/* A horizontal bar chart (drawn in the PDF only; the XLSX has the same figures as tables). */
typedef struct {
    const char *title;
    const char **labels;
    const double *values;
    const char **value_text; /* printed at the end of each bar */
    int n;
} report_chart;

/* A label: value line of the cover and of the summary sheet. */
typedef struct {
    const char *label, *value;
} report_fact;

typedef struct {
    const char *lang;      /* "zh-CN" or "en": fonts and the date line */
    const char *doc_title; /* "统计报告" / "Statistical report" */
    const char *title;     /* event title, or the overall title */
    const char *subtitle;  /* e.g. the English title; "" = none */
    report_fact *facts;    /* date, venue, organizers, period, generated */
    int nfacts;
    const char *summary_heading, *summary; /* the news-release paragraph */
    const char *charts_heading;
    report_chart *charts;
    int ncharts;
    report_table *tables; /* the first is the funnel */
    int ntables;
    const char *page_label; /* "第 %d 页，共 %d 页" / "Page %d of %d": two %d, page then total */
    const char *footer;     /* left footer text, e.g. the title */
} report_data;

/* Writes d as PDF to out (appended). ERR_INTERNAL when cairo fails. Owns nothing of d. */
err_code report_pdf(const report_data *d, buf *out, err *e);
/* Writes d as an XLSX workbook to the file path. ERR_INTERNAL when libxlsxwriter fails. */
err_code report_xlsx(const report_data *d, const char *path, err *e);
/* Writes d as XLSX to out (appended), through a temporary file that is removed again. */
err_code report_xlsx_buf(const report_data *d, buf *out, err *e);

/* Releases the caches cairo keeps for the whole process (fonts, patterns). Call once at process
 * end, when no report is being made on any thread (the CLI does; so sanitizer runs see no
 * leaks). Reports can still be made afterwards: the caches fill again. */
void report_release(void);

#endif
