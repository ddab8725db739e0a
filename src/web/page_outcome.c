/* page_outcome.c — the organizers' six-month follow-up of an event's held 1:1 meetings: the page
 * /events/:id/outcomes (one row per held meeting, an outcome form on each) and its API
 * (GET /api/v1/events/:id/meetings/outcomes, PUT /api/v1/events/:id/meetings/:id/outcome).
 * Rules in domain/outcome.c. The six-month follow-ups of intentions are on the intention pages. */
#include <string.h>

#include "web/http.h"

static void render(req *r, int status, const err *fe)
{
    err e = {0};
    event_rec ev;
    meeting_outcome_rec *m;
    outcome_tally ot;
    int n;
    if (event_get(&r->c, r->ids[0], &ev, &e) || outcome_meetings(&r->c, ev.id, &m, &n, &e) ||
        outcome_tally_get(&r->c, ev.id, &ot, &e))
        return res_error(r, &e);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = meeting_outcome_to_json(&m[i]);
        json_object_set_new(j, "options",
                            view_code_options(r, "outcome.", outcome_codes, 4, m[i].outcome));
        if (*m[i].outcome)
            json_object_set_new(j, "outcome_label", json_string(tf(r, "outcome.", m[i].outcome)));
        json_array_append_new(rows, j);
    }
    int64_t v[4] = {ot.m_no_contact, ot.m_valuable_contact, ot.m_negotiating, ot.m_agreement};
    json_t *sum = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(sum, json_pack("{s:s,s:s,s:I}", "code", outcome_codes[i], "label",
                                             tf(r, "outcome.", outcome_codes[i]), "count",
                                             (json_int_t)v[i]));
    bool en = str_eq(r->lang, "en");
    json_t *ctx = json_pack(
        "{s:I,s:s,s:s,s:o,s:b,s:o,s:I,s:I,s:s,s:b}", "event_id", (json_int_t)ev.id, "event_title",
        en && *ev.title_en ? ev.title_en : ev.title, "event_date", ev.date, "rows", rows,
        "has_rows", n > 0, "summary", sum, "held", (json_int_t)ot.meetings_held, "recorded",
        (json_int_t)ot.meetings_recorded, "title", t(r, "outcome.meetings_title"), "nav_events", 1);
    if (fe && fe->code)
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, fe)));
    if (req_query(r, "saved")) json_object_set_new(ctx, "saved", json_true());
    res_page(r, status, "event_outcomes", ctx);
}

void page_meeting_outcomes(req *r)
{
    render(r, 200, NULL);
}

void page_meeting_outcome_post(req *r)
{
    err e = {0};
    if (outcome_meeting_record(&r->c, r->ids[0], r->ids[1], req_form(r, "outcome"),
                               req_form(r, "note"), &e)) {
        if (e.code == ERR_INVALID || e.code == ERR_CONFLICT)
            return render(r, err_http_status(e.code), &e);
        return res_error(r, &e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/outcomes?saved=1#m%lld", (long long)r->ids[0],
                                 (long long)r->ids[1]));
}

void api_meeting_outcomes(req *r)
{
    err e = {0};
    meeting_outcome_rec *m;
    outcome_tally ot;
    int n;
    if (outcome_meetings(&r->c, r->ids[0], &m, &n, &e) ||
        outcome_tally_get(&r->c, r->ids[0], &ot, &e))
        return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, meeting_outcome_to_json(&m[i]));
    json_t *tally = outcome_tally_to_json(r->ids[0], &ot);
    json_t *o =
        json_pack("{s:o,s:O}", "meetings", arr, "summary", json_object_get(tally, "meetings"));
    json_decref(tally);
    res_json(r, 200, o);
}

void api_meeting_outcome_put(req *r)
{
    err e = {0};
    if (!json_is_object(r->json)) {
        err_set(&e, ERR_INVALID, NULL, "err.json_object",
                "send a JSON object with Content-Type: application/json");
        return res_error(r, &e);
    }
    json_t *o = json_object_get(r->json, "outcome"), *nt = json_object_get(r->json, "note");
    if ((o && !json_is_string(o)) || (nt && !json_is_string(nt))) {
        err_set(&e, ERR_INVALID, o && !json_is_string(o) ? "outcome" : "note", "err.type",
                "outcome and note are text");
        return res_error(r, &e);
    }
    if (outcome_meeting_record(&r->c, r->ids[0], r->ids[1], o ? json_string_value(o) : NULL,
                               nt ? json_string_value(nt) : NULL, &e))
        return res_error(r, &e);
    meeting_outcome_rec m;
    if (store_meeting_outcome_get(r->c.db, r->a, r->ids[1], &m, &e)) return res_error(r, &e);
    res_json(r, 200, meeting_outcome_to_json(&m));
}
