/* page_import.c — the organizer's import and export page (/import): upload an XLSX or CSV
 * file, see the dry run (every bad row with its row number, column and reason; likely
 * duplicates), confirm; download templates and exports. The upload is stored server-side
 * (import_uploads, 1 hour) between preview and confirmation, so the browser sends it once.
 * Also the API face: POST /api/v1/import (multipart) answers the report as JSON. */
#include <string.h>

#include "web/http.h"

/* The preview shows the report's rows: the first IMPORT_PREVIEW_ROWS of the file, then every bad,
 * duplicate or skipped row, up to PREVIEW_MAX in all (the issues table lists every bad cell). */
enum { UPLOAD_TTL = 3600, PREVIEW_MAX = 2000 };

static const char *const import_kinds[] = {"achievements", "needs",        "orgs",
                                           "events",       "participants", "intentions"};
static const char *const export_kinds[] = {"achievements", "needs", "orgs", "events", "intentions"};

static json_t *kind_options(req *r, const char *const *kinds, int n, const char *selected)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "code", kinds[i], "label",
                                             t(r, arena_printf(r->a, "import.kind.%s", kinds[i])),
                                             "selected", str_eq(kinds[i], selected)));
    return arr;
}

/* The page context shared by the form, the preview and the result. */
static json_t *base_ctx(req *r, const char *kind, int64_t event_id)
{
    json_t *tpl = json_array();
    for (size_t i = 0; i < ARRAY_LEN(import_kinds); i++)
        json_array_append_new(
            tpl, json_pack("{s:s,s:s}", "code", import_kinds[i], "label",
                           t(r, arena_printf(r->a, "import.kind.%s", import_kinds[i]))));
    return json_pack("{s:o,s:o,s:o,s:o,s:i}", "kinds",
                     kind_options(r, import_kinds, ARRAY_LEN(import_kinds), kind), "events",
                     view_event_options(r, event_id, NULL), "templates", tpl, "export_kinds",
                     kind_options(r, export_kinds, ARRAY_LEN(export_kinds), ""), "max_mb",
                     WEB_UPLOAD_MAX >> 20);
}

void page_import(req *r)
{
    json_t *ctx = base_ctx(r, req_query(r, "kind"), 0);
    json_object_set_new(ctx, "form", json_true());
    res_page(r, 200, "import", ctx);
}

static void form_error(req *r, const char *kind, int64_t event_id, const err *e)
{
    json_t *ctx = base_ctx(r, kind, event_id);
    json_object_set_new(ctx, "form", json_true());
    json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, e)));
    res_page(r, err_http_status(e->code), "import", ctx);
}

/* Reads kind, event and the file of a multipart upload. */
static err_code read_upload(req *r, const char **kind, int64_t *event_id, mp_part *file, err *e)
{
    kv *fields;
    int nf, np;
    mp_part *files;
    *kind = req_form(r, "kind");
    *event_id = 0;
    if (!r->content_type || !str_starts(r->content_type, "multipart/form-data") ||
        !req_parse_multipart(r->a, r->content_type, r->body, r->body_len, &fields, &nf, &files,
                             &np))
        return err_set(e, ERR_INVALID, "file", "import.err.no_file",
                       "send the file as multipart/form-data");
    if (!*kind || !import_kind_valid(*kind))
        return err_set(e, ERR_INVALID, "kind", "err.choice",
                       "kind must be achievements, needs, orgs, events, participants or "
                       "intentions");
    const char *ev = req_form(r, "event");
    if (ev && *ev && !str_to_i64(ev, 1, INT64_MAX, event_id))
        return err_set(e, ERR_INVALID, "event", "err.choice", "event must be an event id");
    if (str_eq(*kind, "participants") && !*event_id)
        return err_set(e, ERR_INVALID, "event", "import.err.event",
                       "participants are imported into an event: choose the event");
    for (int i = 0; i < np; i++)
        if (str_eq(files[i].name, "file") && files[i].len) {
            *file = files[i];
            return ERR_OK;
        }
    return err_set(e, ERR_INVALID, "file", "import.err.no_file", "choose a file to upload");
}

void page_import_upload(req *r)
{
    err e = {0};
    const char *kind;
    int64_t event_id;
    mp_part f;
    if (read_upload(r, &kind, &event_id, &f, &e)) return form_error(r, kind, event_id, &e);
    char exp[21];
    time_iso_after(exp, UPLOAD_TTL);
    import_upload_rec u = {.user_id = r->user.id,
                           .event_id = event_id,
                           .kind = kind,
                           .filename = *f.filename ? f.filename : "upload",
                           .expires_at = exp,
                           .data = f.data,
                           .len = f.len};
    int64_t id;
    if (import_upload_save(&r->c, &u, &id, &e)) return res_error(r, &e);
    res_redirect(r, arena_printf(r->a, "/import/%lld", (long long)id));
}

/* The report as page context: counts, issues with localized reasons, preview rows. */
static json_t *report_ctx(req *r, const import_report *rep)
{
    json_t *issues = json_array();
    for (int i = 0; i < rep->nissues; i++) {
        const import_issue *is = &rep->issues[i];
        err e = {.code = ERR_INVALID}; /* no field label: the column says where */
        snprintf(e.key, sizeof e.key, "%s", is->key);
        snprintf(e.msg, sizeof e.msg, "%s", is->msg);
        json_array_append_new(issues,
                              json_pack("{s:i,s:s,s:s}", "row", is->row, "column", is->column,
                                        "reason", i18n_error(r->a, r->lang, &e)));
    }
    json_t *rows = json_array();
    for (int i = 0; rep->rows && i < rep->npreview && i < PREVIEW_MAX; i++) {
        const import_row *ir = &rep->rows[i];
        const char *st = ir->bad ? "bad" : ir->skipped ? "skipped" : *ir->dup_key ? "dup" : "ok";
        json_t *row = json_pack("{s:i,s:s,s:s,s:s,s:s}", "row", ir->row, "title", ir->title, "org",
                                ir->org, "status", st, "status_label",
                                t(r, arena_printf(r->a, "import.status.%s", st)));
        if (*ir->dup_key) {
            const char *of =
                ir->dup_row ? arena_printf(r->a, "%s %d", t(r, "import.dup.row"), ir->dup_row)
                            : arena_printf(r->a, "#%lld %s", (long long)ir->dup_id, ir->dup_title);
            json_object_set_new(row, "dup",
                                json_pack("{s:s,s:s}", "why", t(r, ir->dup_key), "of", of));
        }
        json_array_append_new(rows, row);
    }
    json_t *cols = json_array();
    for (int j = 0; j < rep->ncols; j++)
        json_array_append_new(cols, json_pack("{s:s,s:b}", "header", rep->columns[j], "ignored",
                                              rep->mapped == NULL || rep->mapped[j] == NULL));
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:o,s:o,s:o,s:b,s:b,s:b}", "nrows", rep->nrows,
                     "nok", rep->nok, "nbad", rep->nbad, "ndup", rep->ndup, "nskipped",
                     rep->nskipped, "written", rep->written, "encoding",
                     rep->encoding ? rep->encoding : "", "issues", issues, "rows", rows, "columns",
                     cols, "has_issues", rep->nissues > 0, "more_rows",
                     rep->nrows > (rep->npreview < PREVIEW_MAX ? rep->npreview : PREVIEW_MAX),
                     "can_confirm", rep->nbad == 0 && rep->nrows > 0);
}

static const char *kind_label(req *r, const char *kind)
{
    return t(r, arena_printf(r->a, "import.kind.%s", kind));
}

void page_import_preview(req *r)
{
    err e = {0};
    import_upload_rec u;
    if (import_upload_get(&r->c, r->ids[0], &u, &e)) return res_error(r, &e);
    import_options o = {.kind = u.kind, .event_id = u.event_id, .dry_run = true, .similar = true};
    import_report rep;
    json_t *ctx = base_ctx(r, u.kind, u.event_id);
    if (import_file(&r->c, &o, u.filename, u.data, u.len, &rep, &e)) {
        json_object_set_new(ctx, "form", json_true());
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, &e)));
        return res_page(r, 200, "import", ctx);
    }
    json_object_set_new(ctx, "preview", report_ctx(r, &rep));
    json_object_set_new(ctx, "upload",
                        json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u.id, "filename", u.filename,
                                  "kind", kind_label(r, u.kind)));
    res_page(r, 200, "import", ctx);
}

void page_import_confirm(req *r)
{
    err e = {0};
    import_upload_rec u;
    if (import_upload_get(&r->c, r->ids[0], &u, &e)) return res_error(r, &e);
    import_options o = {.kind = u.kind,
                        .event_id = u.event_id,
                        .similar = true,
                        .skip_duplicates = input_truthy(req_form(r, "skip_duplicates"))};
    import_report rep;
    json_t *ctx = base_ctx(r, u.kind, u.event_id);
    json_object_set_new(ctx, "upload",
                        json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u.id, "filename", u.filename,
                                  "kind", kind_label(r, u.kind)));
    if (import_upload_confirm(&r->c, &u, &o, &rep, &e)) {
        if (e.code == ERR_NOT_FOUND) { /* the other of two confirmations claimed it first */
            json_decref(ctx);
            return res_error(r, &e);
        }
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, &e)));
        if (rep.nrows)
            json_object_set_new(ctx, "preview", report_ctx(r, &rep));
        else
            json_object_set_new(ctx, "form", json_true());
        return res_page(r, 422, "import", ctx);
    }
    json_object_set_new(ctx, "result", report_ctx(r, &rep));
    const char *link = str_eq(u.kind, "achievements") ? "/achievements"
                       : str_eq(u.kind, "needs")      ? "/needs"
                       : str_eq(u.kind, "events")     ? "/events"
                       : str_eq(u.kind, "intentions") ? "/intentions"
                       : str_eq(u.kind, "participants")
                           ? arena_printf(r->a, "/events/%lld/registrations", (long long)u.event_id)
                           : "";
    json_object_set_new(ctx, "link", json_string(link));
    res_page(r, 200, "import", ctx);
}

static void send_file(req *r, buf *out, const char *name, const char *format)
{
    buf_reset(&r->out);
    buf_putn(&r->out, out->s ? out->s : "", out->len);
    r->status = 200;
    r->ctype = str_eq(format, "xlsx")
                   ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
               : str_eq(format, "csv")   ? "text/csv; charset=utf-8"
               : str_eq(format, "jsonl") ? "application/x-ndjson"
                                         : "application/json";
    /* ASCII file name: no header injection, no encoding questions */
    res_header(r, "Content-Disposition",
               arena_printf(r->a, "attachment; filename=\"%s.%s\"", name, format));
    res_header(r, "Cache-Control", "no-store");
}

void page_import_template(req *r)
{
    const char *kind = r->words[0];
    const char *format = req_query(r, "format") ? req_query(r, "format") : "xlsx";
    err e = {0};
    buf out = {0};
    if (import_template(&r->c, kind, format, &out, &e)) {
        buf_free(&out);
        return res_error(r, &e);
    }
    send_file(r, &out, arena_printf(r->a, "duijie-template-%s", kind), format);
    buf_free(&out);
}

void page_export(req *r)
{
    const char *kind = r->words[0];
    const char *format = req_query(r, "format") ? req_query(r, "format") : "xlsx";
    int64_t event_id = 0;
    const char *ev = req_query(r, "event");
    err e = {0};
    if (ev && *ev && !str_to_i64(ev, 1, INT64_MAX, &event_id)) {
        err_set(&e, ERR_INVALID, "event", "err.choice", "event must be an event id");
        return res_error(r, &e);
    }
    buf out = {0};
    if (export_kind(&r->c, kind, event_id, format, &out, &e)) {
        buf_free(&out);
        return res_error(r, &e);
    }
    char day[21];
    time_now_iso(day);
    day[10] = 0;
    send_file(r, &out,
              event_id
                  ? arena_printf(r->a, "duijie-%s-event%lld-%s", kind, (long long)event_id, day)
                  : arena_printf(r->a, "duijie-%s-%s", kind, day),
              format);
    buf_free(&out);
}

void api_import(req *r)
{
    err e = {0};
    const char *kind;
    int64_t event_id;
    mp_part f;
    if (read_upload(r, &kind, &event_id, &f, &e)) return res_error(r, &e);
    import_options o = {.kind = kind,
                        .event_id = event_id,
                        .dry_run = input_truthy(req_form(r, "dry_run")),
                        .skip_duplicates = input_truthy(req_form(r, "skip_duplicates")),
                        .similar = true};
    import_report rep;
    err_code rc =
        import_file(&r->c, &o, *f.filename ? f.filename : "upload", f.data, f.len, &rep, &e);
    if (rc && !rep.nrows) return res_error(r, &e);
    json_t *body = import_report_to_json(&rep, -1);
    if (rc)
        json_object_set_new(
            body, "error",
            json_pack("{s:s,s:s,s:n}", "code", err_code_name(rc), "message", e.msg, "field"));
    res_json(r, rc ? err_http_status(rc) : 200, body);
}
