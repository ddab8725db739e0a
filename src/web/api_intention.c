/* api_intention.c — the cooperation-intention API under /api/v1/intentions and the statistics
 * under /api/v1/stats: the same domain calls as page_intention.c. */
#include <string.h>

#include "web/http.h"

static bool need_object(req *r, err *e)
{
    if (json_is_object(r->json)) return true;
    err_set(e, ERR_INVALID, NULL, "err.json_object",
            "send a JSON object with Content-Type: application/json");
    return false;
}

/* Text of a JSON scalar for domain input; NULL when absent; ERR_INVALID naming key otherwise. */
static err_code scalar(req *r, const char *key, const char **out, err *e)
{
    json_t *v = json_object_get(r->json, key);
    *out = NULL;
    if (!v) return ERR_OK;
    if (json_is_null(v))
        *out = "";
    else if (json_is_string(v))
        *out = arena_strndup(r->a, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        *out = arena_printf(r->a, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        *out = arena_printf(r->a, "%.2f", json_real_value(v));
    else if (json_is_boolean(v))
        *out = json_is_true(v) ? "1" : "0";
    else
        return err_set(e, ERR_INVALID, key, "err.type", "%s has the wrong type", key);
    return ERR_OK;
}

static err_code fields(req *r, const char *const *keys, const char ***dst, size_t n, err *e)
{
    for (size_t i = 0; i < n; i++)
        if (scalar(r, keys[i], dst[i], e)) return e->code;
    return ERR_OK;
}

static void respond_one(req *r, int status, int64_t id)
{
    err e = {0};
    intention_rec it;
    followup_rec *fu;
    history_rec *h;
    int nf, nh;
    if (intention_get(&r->c, id, &it, &e) || intention_followups(&r->c, id, &fu, &nf, &e) ||
        intention_history(&r->c, id, &h, &nh, &e))
        return res_error(r, &e);
    json_t *o = intention_to_json(r->a, &it), *fa = json_array(), *ha = json_array();
    for (int i = 0; i < nf; i++)
        json_array_append_new(fa, followup_to_json(&fu[i]));
    for (int i = 0; i < nh; i++) {
        json_t *d = json_loads(h[i].detail, 0, NULL);
        json_array_append_new(ha, json_pack("{s:s,s:o,s:s,s:s}", "action", h[i].action, "detail",
                                            d ? d : json_string(h[i].detail), "at", h[i].at, "user",
                                            h[i].user_name ? h[i].user_name : ""));
    }
    json_object_set_new(o, "followups", fa);
    json_object_set_new(o, "history", ha);
    res_json(r, status, o);
}

void api_intentions_list(req *r)
{
    err e = {0};
    intention_rec *it;
    int n;
    if (intention_list(&r->c, req_query(r, "stage"), req_query(r, "event_id"), &it, &n, &e))
        return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, intention_to_json(r->a, &it[i]));
    res_json(r, 200, json_pack("{s:o,s:i}", "intentions", arr, "total", n));
}

void api_intention_create(req *r)
{
    err e = {0};
    if (!need_object(r, &e)) return res_error(r, &e);
    intention_input in = {0};
    static const char *const keys[] = {"title",      "source",         "event_id",
                                       "meeting_id", "achievement_id", "need_id",
                                       "org_a_id",   "org_b_id",       "note"};
    const char **dst[] = {&in.title,      &in.source,         &in.event_id,
                          &in.meeting_id, &in.achievement_id, &in.need_id,
                          &in.org_a_id,   &in.org_b_id,       &in.note};
    int64_t id;
    if (fields(r, keys, dst, ARRAY_LEN(keys), &e) || intention_create(&r->c, &in, &id, &e))
        return res_error(r, &e);
    respond_one(r, 201, id);
}

void api_intention_get(req *r)
{
    respond_one(r, 200, r->ids[0]);
}

void api_intention_stage(req *r)
{
    err e = {0};
    if (!need_object(r, &e)) return res_error(r, &e);
    intention_move_input in = {0};
    static const char *const keys[] = {"stage", "contract_type", "amount", "signed_on", "reason"};
    const char **dst[] = {&in.stage, &in.contract_type, &in.amount, &in.signed_on, &in.reason};
    if (fields(r, keys, dst, ARRAY_LEN(keys), &e) || intention_move(&r->c, r->ids[0], &in, &e))
        return res_error(r, &e);
    respond_one(r, 200, r->ids[0]);
}

void api_intention_followups(req *r)
{
    err e = {0};
    followup_rec *fu;
    int n;
    if (intention_followups(&r->c, r->ids[0], &fu, &n, &e)) return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, followup_to_json(&fu[i]));
    res_json(r, 200, json_pack("{s:o}", "followups", arr));
}

static void respond_followup(req *r, int status, int64_t fid)
{
    err e = {0};
    followup_rec *fu;
    int n;
    if (intention_followups(&r->c, r->ids[0], &fu, &n, &e)) return res_error(r, &e);
    for (int i = 0; i < n; i++)
        if (fu[i].id == fid) return res_json(r, status, followup_to_json(&fu[i]));
    err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "follow-up not found");
    res_error(r, &e);
}

void api_intention_followup_add(req *r)
{
    err e = {0};
    if (!need_object(r, &e)) return res_error(r, &e);
    const char *text, *due;
    int64_t fid;
    if (scalar(r, "text", &text, &e) || scalar(r, "due_date", &due, &e) ||
        intention_followup_add(&r->c, r->ids[0], text, due, &fid, &e))
        return res_error(r, &e);
    respond_followup(r, 201, fid);
}

void api_intention_followup_update(req *r)
{
    err e = {0};
    if (!need_object(r, &e)) return res_error(r, &e);
    const char *done, *outcome, *note;
    if (scalar(r, "done", &done, &e) || scalar(r, "outcome", &outcome, &e) ||
        scalar(r, "outcome_note", &note, &e))
        return res_error(r, &e);
    if (outcome) { /* a six-month follow-up's outcome (domain/outcome.c); marks it done */
        if (outcome_record(&r->c, r->ids[0], r->ids[1], outcome, note, &e)) return res_error(r, &e);
        return respond_followup(r, 200, r->ids[1]);
    }
    if (!done) {
        err_set(&e, ERR_INVALID, "done", "err.required", "done is required");
        return res_error(r, &e);
    }
    if (intention_followup_done(&r->c, r->ids[0], r->ids[1], done, &e)) return res_error(r, &e);
    respond_followup(r, 200, r->ids[1]);
}

void api_intentions_overdue(req *r)
{
    err e = {0};
    followup_rec *fu;
    int n;
    if (intention_overdue(&r->c, &fu, &n, &e)) return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, followup_to_json(&fu[i]));
    res_json(r, 200, json_pack("{s:o}", "overdue", arr));
}

void api_stats(req *r)
{
    err e = {0};
    int64_t ev = 0;
    const char *q = req_query(r, "event_id");
    if (q && *q && !str_to_i64(q, 1, INT64_MAX, &ev)) {
        err_set(&e, ERR_INVALID, "event_id", "intention.err.id", "event_id must be a record id");
        return res_error(r, &e);
    }
    stats_view s;
    if (stats_compute_period(&r->c, ev, req_query(r, "from"), req_query(r, "to"), &s, &e))
        return res_error(r, &e);
    res_json(r, 200, stats_to_json(r->a, &s));
}

/* GET /api/v1/outcomes[?event_id=] and GET /api/v1/events/:id/outcomes: the six-month outcomes
 * counted (staff). */
void api_outcomes(req *r)
{
    err e = {0};
    int64_t ev = r->ids[0];
    const char *q = req_query(r, "event_id");
    if (!ev && q && *q && !str_to_i64(q, 1, INT64_MAX, &ev)) {
        err_set(&e, ERR_INVALID, "event_id", "intention.err.id", "event_id must be a record id");
        return res_error(r, &e);
    }
    outcome_tally t;
    if (outcome_tally_get(&r->c, ev, &t, &e)) return res_error(r, &e);
    res_json(r, 200, outcome_tally_to_json(ev, &t));
}
