/* page_report.c — the report downloads for organizers: GET /events/:id/report.pdf|xlsx and
 * /stats/report.pdf|xlsx (overall), with optional ?from=&to= (a period) and ?lang=zh-CN|en
 * (default: the page language). The route table admits staff only; report_build checks again in
 * the domain, as every face passes through it. */
#include "domain/report.h"
#include "web/http.h"

static void send_report(req *r, int64_t event_id)
{
    err e = {0};
    const char *lang = req_query(r, "lang");
    if (lang && !str_eq(lang, "zh-CN") && !str_eq(lang, "en")) {
        err_set(&e, ERR_INVALID, "lang", "err.choice", "lang must be zh-CN or en");
        return res_error(r, &e);
    }
    report_data d;
    if (report_build(&r->c, event_id, req_query(r, "from"), req_query(r, "to"),
                     lang ? lang : r->lang, i18n_get, &d, &e))
        return res_error(r, &e);
    bool pdf = str_eq(r->route->arg, "pdf");
    buf_reset(&r->out);
    if (pdf ? report_pdf(&d, &r->out, &e) : report_xlsx_buf(&d, &r->out, &e)) {
        buf_reset(&r->out);
        return res_error(r, &e);
    }
    r->status = 200;
    r->ctype = pdf ? "application/pdf"
                   : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res_header(r, "Content-Disposition",
               arena_printf(r->a, "attachment; filename=\"%s\"",
                            report_filename(r->a, event_id, pdf ? "pdf" : "xlsx")));
    res_header(r, "Cache-Control", "no-store");
}

void page_report_event(req *r)
{
    send_report(r, r->ids[0]);
}

void page_report_overall(req *r)
{
    send_report(r, 0);
}
