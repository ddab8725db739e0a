/* http.h — the request as handlers see it, the route table and the response helpers.
 * Private to web/: nothing below web includes it. */
#ifndef DUIJIE_HTTP_H
#define DUIJIE_HTTP_H

#include <jansson.h>

#include "base/base.h"
#include "domain/domain.h"
#include "web/web.h"

typedef struct {
    const char *key, *val;
} kv;

typedef struct req req;
typedef void (*handler_fn)(req *r);

/* One line of the route table: the router refuses requests that do not pass `roles` (0 =
 * anyone; otherwise one of these role bits, else 401/403) or lack a valid CSRF token. */
typedef struct {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/achievements/:id" — ":id" matches digits, ":w" a word */
    handler_fn fn;
    unsigned roles;
    bool csrf;
    const char *arg; /* handler argument, e.g. the listing kind */
    bool cache;      /* anonymous GETs may be answered from the catalog response cache:
                        the answer depends only on URL, language and catalog (listings, orgs) */
} route;

extern const route web_routes[];

struct req {
    arena *a;
    const web_config *cfg;
    /* parsed request */
    const char *method, *path, *client_ip;
    kv *query, *form, *cookies;
    int nquery, nform, ncookies;
    json_t *json; /* JSON body, or NULL */
    const char *body;
    size_t body_len;
    const char *content_type, *authorization, *csrf_header, *accept;
    int64_t ids[2];       /* ":id" captures */
    const char *words[2]; /* ":w" captures */
    const route *route;
    bool is_api;
    /* who */
    dctx c;
    user_rec user;
    const char *session_token, *csrf; /* csrf: session's, or the pre-session cookie's */
    bool via_bearer;
    const char *lang; /* "zh-CN" or "en" */
    /* response */
    int status;
    buf out;
    const char *ctype;
    kv headers[8];
    int nheaders;
};

/* ---- request accessors (request.c) ---- */
const char *req_query(req *r, const char *key); /* NULL when absent */
const char *req_form(req *r, const char *key);  /* form field, NULL when absent */
const char *req_cookie(req *r, const char *key);
/* Parses "a=1&b=%E4" into kv pairs (arena-owned); false on bad percent-encoding, a NUL byte
 * or invalid UTF-8. */
bool req_parse_urlencoded(arena *a, const char *s, size_t n, kv **out, int *count);
bool req_parse_cookies(arena *a, const char *s, kv **out, int *count);

/* ---- responses (respond.c) ---- */
void res_header(req *r, const char *name, const char *value);
void res_json(req *r, int status, json_t *body); /* steals body */
void res_redirect(req *r, const char *location); /* 303 See Other */
/* Renders web/templates/NAME.html with ctx (stolen) plus the common page context. */
void res_page(req *r, int status, const char *name, json_t *ctx);
/* The error as JSON {"error":{code,message,field}} for the API, or an error page. */
void res_error(req *r, const err *e);
int err_http_status(err_code c);
void res_set_cookie(req *r, const char *name, const char *value, long max_age, bool http_only);

/* ---- templates and messages (template.c, i18n.c) ---- */
/* Renders template `name` against ctx into out; unknown names render nothing. */
void tpl_render(buf *out, const char *name, json_t *ctx, const char *lang);
/* Renders the template text[0..n) (need not be NUL-terminated) like tpl_render; partials
 * it names still come from the embedded templates. Allocates only into out. */
void tpl_render_text(buf *out, const char *text, size_t n, json_t *ctx, const char *lang);
/* Loads the message catalogs from the embedded web/i18n/ catalog files (once). */
void i18n_init(void);
/* Looks up key in lang ("zh-CN" / "en"); falls back to zh-CN, then to the key itself. */
const char *i18n_get(const char *lang, const char *key);
/* The request language's text for key, and for prefix+code (e.g. "event.category." +
 * "university"); is_en: the request is in English (else Chinese). */
static inline const char *t(req *r, const char *key)
{
    return i18n_get(r->lang, key);
}
static inline const char *tf(req *r, const char *prefix, const char *code)
{
    return i18n_get(r->lang, arena_printf(r->a, "%s%s", prefix, code));
}
static inline bool is_en(req *r)
{
    return str_eq(r->lang, "en");
}
/* Message for an error: the catalog text for e->key with the field's label, or e->msg. */
const char *i18n_error(arena *a, const char *lang, const err *e);

/* ---- shared view helpers (view.c) ---- */
/* Adds labels for codes (field name, TRL stage, modes, type, status, org type) to a listing's
 * JSON for the page language. */
void view_decorate_listing(req *r, json_t *l);
/* The option lists for forms and filters, with `selected` set from current values. */
json_t *view_field_options(req *r, const char *selected);
json_t *view_code_options(req *r, const char *prefix, const char *const *codes, int n,
                          const char *selected);
/* The events this viewer may see as <option> rows {id, title (in the page language), date,
 * selected}; *chosen (if not NULL) is set to the selected event's record when it is listed. */
json_t *view_event_options(req *r, int64_t selected, const event_rec **chosen);
json_t *view_pagination(req *r, int64_t total, int page, int per_page);
/* Reads list filters and paging (q, field, stage, mode, org_type, region, type, sort, page,
 * per_page) from the query string; ERR_INVALID names a bad parameter. */
err_code view_filter_from_query(req *r, const char *kind, listing_filter *f, int *page,
                                int *per_page, err *e);
/* A match result as a decorated listing for pages: the listing view plus score, reasons (matched
 * terms and factor labels) and, when q is given, a highlighted snippet
 * [{"t":"text","hit":bool}, …] of the summary or description. */
json_t *view_match(req *r, const match_result *m, const char *q);
/* Collects a listing's form fields into input (web forms). */
void view_listing_input_from_form(req *r, listing_input *in);

/* ---- handlers ---- */
void page_home(req *r);
void page_listing_list(req *r);
void page_listing_detail(req *r);
void page_listing_new(req *r);
void page_listing_create(req *r);
void page_listing_edit(req *r);
void page_listing_update(req *r);
void page_listing_state(req *r);
void page_mine(req *r);
void page_review(req *r);
void page_login(req *r);
void page_login_post(req *r);
void page_logout(req *r);
void page_account(req *r);
void page_account_password(req *r);
void page_token_create(req *r);
void page_token_revoke(req *r);
void page_lang(req *r);
void page_static(req *r);
void page_health(req *r);

void api_fields(req *r);
void api_orgs_list(req *r);
void api_org_get(req *r);
void api_org_create(req *r);
void api_listings_list(req *r);
void api_listing_get(req *r);
void api_listing_create(req *r);
void api_listing_update(req *r);
void api_listing_action(req *r);
void api_listing_history(req *r);
void api_me(req *r);
void api_search(req *r);
void api_listing_matches(req *r);
void api_tokens_list(req *r);
void api_token_create(req *r);
void api_token_revoke(req *r);

/* ---- events (qr.c, page_event.c, api_event.c) ---- */
/* The QR code of text as an inline SVG element px pixels wide (arena-owned markup of fixed
 * tags and numbers only, safe to emit raw); NULL when text is too long to encode. */
const char *qr_svg(arena *a, const char *text, int px);
/* The absolute URL of a local path for QR codes: $DUIJIE_PUBLIC_URL (e.g.
 * https://duijie.example.cn) + path, else http://LISTEN-ADDRESS + path (arena-owned). */
const char *event_public_url(req *r, const char *path);

void page_event_list(req *r);
void page_event_new(req *r);
void page_event_create(req *r);
void page_event_detail(req *r);
void page_event_edit(req *r);
void page_event_update(req *r);
void page_event_state(req *r);
void page_event_register_form(req *r);
void page_event_register(req *r);
void page_event_badge(req *r);
void page_event_registrations(req *r);
void page_event_registration_action(req *r);
void page_event_csv(req *r); /* pages and API: participants as CSV (UTF-8 with BOM) */
void page_event_checkin_scan(req *r);
void page_event_checkin(req *r);
void page_event_dashboard(req *r);
void page_event_agenda_edit(req *r);
void page_event_agenda_create(req *r);
void page_event_agenda_update(req *r);
void page_event_agenda_delete(req *r);
void page_event_ics(req *r); /* pages and API: the agenda as text/calendar */

void api_events_list(req *r);
void api_event_get(req *r);
void api_event_create(req *r);
void api_event_update(req *r);
void api_event_action(req *r);
void api_event_registrations(req *r);
void api_event_register(req *r);
void api_event_registration_get(req *r);
void api_event_registration_action(req *r);
void api_event_counts(req *r);
void api_event_sessions(req *r);
void api_event_session_create(req *r);
void api_event_session_update(req *r);
void api_event_session_delete(req *r);

/* ---- 1:1 meetings and notices (page_meeting.c, api_meeting.c) ---- */
/* Adds "notices_unread" (the signed-in user's unread notice count) to a page context. */
void web_meeting_nav(req *r, json_t *ctx);
void page_meetings(req *r);
void page_meeting_request(req *r);
void page_meeting_action(req *r);
void page_meeting_admin(req *r);
void page_meeting_settings(req *r);
void page_meeting_slot_create(req *r);
void page_meeting_slot_delete(req *r);
void page_meeting_schedule(req *r);
void page_meeting_agenda(req *r);
void page_meeting_ics(req *r); /* pages and API: the viewer's meetings as text/calendar */
void page_notices(req *r);
void page_notices_read(req *r);

void api_meetings_list(req *r);
void api_meeting_request(req *r);
void api_meeting_participants(req *r);
void api_meeting_get(req *r);
void api_meeting_action(req *r);
void api_meeting_settings(req *r);
void api_meeting_settings_update(req *r);
void api_meeting_slots(req *r);
void api_meeting_slot_create(req *r);
void api_meeting_slot_delete(req *r);
void api_meeting_schedule(req *r);
void api_meeting_agenda(req *r);
void api_notices(req *r);
void api_notices_read(req *r);

/* ---- roadshow judging (page_roadshow.c, api_roadshow.c) ---- */
json_t *roadshow_project_json(const rs_project_rec *p);
json_t *roadshow_criterion_json(const rs_criterion_rec *c);
/* One judge's scores of a project as {"code": n}; NULL when they have none (new reference). */
json_t *roadshow_scores_json(const roadshow_view *v, int64_t project_id, int64_t judge_id);
json_t *roadshow_ranking_json(const roadshow_view *v, const roadshow_rank_row *rows);
void page_roadshow(req *r);
void page_roadshow_settings(req *r);
void page_roadshow_criteria(req *r);
void page_roadshow_project_add(req *r);
void page_roadshow_project_delete(req *r);
void page_roadshow_judge_add(req *r);
void page_roadshow_judge_delete(req *r);
void page_roadshow_score_form(req *r);
void page_roadshow_score(req *r);
void page_roadshow_ranking(req *r);
void page_roadshow_csv(req *r); /* pages and API: every score as CSV (UTF-8 with BOM) */
void page_roadshow_judging(req *r);
void api_roadshow_get(req *r);
void api_roadshow_settings(req *r);
void api_roadshow_criteria(req *r);
void api_roadshow_project_create(req *r);
void api_roadshow_project_get(req *r);
void api_roadshow_project_update(req *r);
void api_roadshow_project_delete(req *r);
void api_roadshow_judge_add(req *r);
void api_roadshow_judge_remove(req *r);
void api_roadshow_scores_get(req *r);
void api_roadshow_scores_put(req *r);
void api_roadshow_ranking(req *r);

/* ---- dashboard, six-month outcomes, public results (page_dashboard.c, page_intention.c,
 * api_intention.c, page_results.c) ---- */
void page_intention_outcome(req *r);
void api_outcomes(req *r);
void page_results(req *r);
void page_results_publish(req *r);
void api_results(req *r);
void api_results_publish(req *r);
void page_meeting_outcomes(req *r);
void page_meeting_outcome_post(req *r);
void api_meeting_outcomes(req *r);
void api_meeting_outcome_put(req *r);

/* ---- cooperation intentions and statistics (page_intention.c, api_intention.c) ---- */
void page_intentions(req *r);
void page_intention_new(req *r);
void page_intention_create(req *r);
void page_intention_detail(req *r);
void page_intention_stage(req *r);
void page_intention_followup_add(req *r);
void page_intention_followup_done(req *r);
void page_stats(req *r);
void api_intentions_list(req *r);
void api_intention_create(req *r);
void api_intention_get(req *r);
void api_intention_stage(req *r);
void api_intention_followups(req *r);
void api_intention_followup_add(req *r);
void api_intention_followup_update(req *r);
void api_intentions_overdue(req *r);
void api_stats(req *r);

/* ---- reports (page_report.c): PDF / XLSX downloads for staff; route arg "pdf" or "xlsx" ---- */
void page_report_event(req *r);
void page_report_overall(req *r);

/* ---- spreadsheet import and export (multipart.c, page_import.c) ---- */
enum { WEB_UPLOAD_MAX = 16 * 1024 * 1024 }; /* bytes of an upload to /import, /api/v1/import */
/* True for the paths that take multipart file uploads (and WEB_UPLOAD_MAX bytes). */
bool web_upload_path(const char *path);
typedef struct {
    const char *name, *filename, *ctype; /* filename "" for a text field */
    const char *data;                    /* points into the body */
    size_t len;
} mp_part;
/* Parses a multipart/form-data body (RFC 7578) with the boundary of ctype: parts with a
 * filename go to files (may be NULL: then skipped), the others to fields (UTF-8 checked,
 * arena-owned). At most 64 parts. false on a malformed body. */
bool req_parse_multipart(arena *a, const char *ctype, const char *body, size_t len, kv **fields,
                         int *nfields, mp_part **files, int *nfiles);
void page_import(req *r);
void page_import_upload(req *r);
void page_import_preview(req *r);
void page_import_confirm(req *r);
void page_import_template(req *r);
void page_export(req *r);
void api_import(req *r);

/* participants' unavailable meeting slots (page_meeting.c, api_meeting.c) */
void page_meeting_availability(req *r);
void page_meeting_availability_post(req *r);
void api_meeting_availability(req *r);
void api_meeting_availability_put(req *r);

#endif
