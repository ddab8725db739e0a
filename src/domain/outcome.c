/* outcome.c — the six-month follow-up of an intention (六个月回访) and its outcome; rules in
 * domain.h ("six-month outcomes"). The follow-up is made when an intention is recorded for an
 * event, in the same transaction (intention.c calls outcome_followup_create); recording the
 * outcome reuses the follow-up rights of intention.c (intention_get: staff or a party). */
#include <stdlib.h>
#include <string.h>

#include "domain/domain.h"

enum { MAX_OUTCOME_NOTE = 2000 };

const char *const outcome_codes[4] = {"no_contact", "valuable_contact", "negotiating", "agreement"};

bool outcome_valid(const char *code)
{
    for (size_t i = 0; i < ARRAY_LEN(outcome_codes); i++)
        if (code && str_eq(code, outcome_codes[i])) return true;
    return false;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool outcome_date_add(const char *date, int days, char out[11])
{
    if (!input_date_valid(date)) return false;
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
    int v[3] = {y, m, d}, w[3] = {4, 2, 2}, k = 0; /* y in 2000..2101: four digits */
    for (int i = 0; i < 3; i++) {
        if (i) out[k++] = '-';
        for (int p = w[i] - 1, x = v[i]; p >= 0; p--, x /= 10)
            out[k + p] = (char)('0' + x % 10);
        k += w[i];
    }
    out[k] = 0;
    return true;
}

err_code outcome_followup_create(dctx *c, int64_t intention_id, const char *event_date, err *e)
{
    char due[11];
    if (!outcome_date_add(event_date, OUTCOME_DUE_DAYS, due)) return ERR_OK; /* undated event */
    followup_rec f = {.intention_id = intention_id,
                      .text = "六个月回访 / six-month follow-up",
                      .due_date = arena_strdup(c->a, due),
                      .kind = "six_month"};
    int64_t fid;
    return store_followup_insert(c->db, &f, c->user ? c->user->id : 0, &fid, e);
}

err_code outcome_record(dctx *c, int64_t intention_id, int64_t fid, const char *outcome,
                        const char *note, err *e)
{
    intention_rec r;
    followup_rec f;
    if (intention_get(c, intention_id, &r, e)) return e->code;
    if (store_followup_get(c->db, c->a, fid, &f, e)) return e->code;
    if (f.intention_id != intention_id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "follow-up %lld not found",
                       (long long)fid);
    if (!str_eq(f.kind, "six_month"))
        return err_set(e, ERR_INVALID, "outcome", "outcome.err.not_six_month",
                       "only a six-month follow-up takes an outcome");
    const char *o = input_clean(c->a, outcome);
    if (!o || !*o) return err_set(e, ERR_INVALID, "outcome", "err.required", "outcome is required");
    if (!outcome_valid(o))
        return err_set(e, ERR_INVALID, "outcome", "err.choice",
                       "outcome must be no_contact, valuable_contact, negotiating or agreement");
    const char *n = input_clean(c->a, note);
    if (input_check_text("outcome_note", n, false, MAX_OUTCOME_NOTE, e)) return e->code;
    json_t *d = json_pack("{s:I,s:s,s:s}", "followup_id", (json_int_t)fid, "outcome", o, "note",
                          n ? n : "");
    char *ds = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    const char *detail = arena_strdup(c->a, ds ? ds : "{}");
    free(ds);
    if (db_begin(c->db, e)) return e->code;
    if (store_followup_set_outcome(c->db, fid, o, n, e) ||
        store_history_add(c->db, "intention", intention_id, c->user ? c->user->id : 0, "outcome",
                          detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code outcome_tally_get(dctx *c, int64_t event_id, outcome_tally *out, err *e)
{
    memset(out, 0, sizeof *out);
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "outcomes are for organizers");
    if (event_id) {
        event_rec ev;
        if (store_event_get(c->db, c->a, event_id, &ev, e)) return e->code;
    }
    char today[17];
    event_now_local(today);
    today[10] = 0;
    return store_outcome_tally(c->db, event_id, today, out, e);
}

json_t *outcome_tally_to_json(int64_t event_id, const outcome_tally *t)
{
    json_t *o = json_pack("{s:o,s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I}}", "event_id",
                          event_id ? json_integer(event_id) : json_null(), "six_month", "total",
                          (json_int_t)t->total, "recorded", (json_int_t)(t->total - t->pending),
                          "pending", (json_int_t)t->pending, "overdue", (json_int_t)t->overdue,
                          "outcomes", "no_contact", (json_int_t)t->no_contact, "valuable_contact",
                          (json_int_t)t->valuable_contact, "negotiating",
                          (json_int_t)t->negotiating, "agreement", (json_int_t)t->agreement);
    json_object_set_new(
        o, "meetings",
        json_pack("{s:I,s:I,s:{s:I,s:I,s:I,s:I}}", "held", (json_int_t)t->meetings_held, "recorded",
                  (json_int_t)t->meetings_recorded, "outcomes", "no_contact",
                  (json_int_t)t->m_no_contact, "valuable_contact",
                  (json_int_t)t->m_valuable_contact, "negotiating", (json_int_t)t->m_negotiating,
                  "agreement", (json_int_t)t->m_agreement));
    return o;
}

static err_code staff_event(dctx *c, int64_t event_id, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "outcomes are for organizers");
    event_rec ev;
    return store_event_get(c->db, c->a, event_id, &ev, e);
}

err_code outcome_meetings(dctx *c, int64_t event_id, meeting_outcome_rec **out, int *n, err *e)
{
    *out = NULL;
    *n = 0;
    if (staff_event(c, event_id, e)) return e->code;
    return store_meeting_outcomes(c->db, c->a, event_id, out, n, e);
}

err_code outcome_meeting_record(dctx *c, int64_t event_id, int64_t meeting_id, const char *outcome,
                                const char *note, err *e)
{
    if (staff_event(c, event_id, e)) return e->code;
    meeting_outcome_rec m;
    if (store_meeting_outcome_get(c->db, c->a, meeting_id, &m, e)) return e->code;
    if (m.event_id != event_id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "meeting %lld not found",
                       (long long)meeting_id);
    if (!m.held)
        return err_set(e, ERR_CONFLICT, NULL, "outcome.err.not_held",
                       "only a held meeting (accepted and scheduled) takes an outcome");
    const char *o = input_clean(c->a, outcome);
    if (!o || !*o) return err_set(e, ERR_INVALID, "outcome", "err.required", "outcome is required");
    if (!outcome_valid(o))
        return err_set(e, ERR_INVALID, "outcome", "err.choice",
                       "outcome must be no_contact, valuable_contact, negotiating or agreement");
    const char *n = input_clean(c->a, note);
    if (input_check_text("note", n, false, MAX_OUTCOME_NOTE, e)) return e->code;
    json_t *d = json_pack("{s:s,s:s}", "outcome", o, "note", n ? n : "");
    char *ds = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    const char *detail = arena_strdup(c->a, ds ? ds : "{}");
    free(ds);
    int64_t uid = c->user ? c->user->id : 0;
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_outcome_put(c->db, meeting_id, o, n, uid, e) ||
        store_history_add(c->db, "meeting", meeting_id, uid, "outcome", detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

json_t *meeting_outcome_to_json(const meeting_outcome_rec *m)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:I,s:{s:s,s:s},s:{s:s,s:s},s:o,s:s,s:o}", "meeting_id",
                     (json_int_t)m->meeting_id, "event_id", (json_int_t)m->event_id, "start_time",
                     m->start_time, "end_time", m->end_time, "table_no", (json_int_t)m->table_no,
                     "requester", "name", m->requester, "org_name", m->requester_org, "invitee",
                     "name", m->invitee, "org_name", m->invitee_org, "outcome",
                     *m->outcome ? json_string(m->outcome) : json_null(), "note", m->note,
                     "recorded_at", *m->recorded_at ? json_string(m->recorded_at) : json_null());
}
