/* outcome.c — the six-month outcomes of intentions and the results_public flag of events
 * (sql/sqlite/009_outcomes.sql; rules in domain/outcome.c and domain/results.c). */
#include <string.h>

#include "store/row.h"

err_code store_followup_set_outcome(db *d, int64_t id, const char *outcome, const char *note,
                                    err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE intention_followups SET outcome = ?, outcome_note = ?, "
                            "outcome_at = ?, done = 1, updated_at = ? WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, outcome);
    db_bind_text(s, 2, note ? note : "");
    db_bind_text(s, 3, now);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, id);
    return row_run_changed(d, s, "follow-up", id, e);
}

err_code store_outcome_tally(db *d, int64_t event_id, const char *today, outcome_tally *out, err *e)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(
        d,
        "SELECT COUNT(*), COALESCE(SUM(f.outcome IS NULL), 0), COALESCE(SUM(f.outcome IS NULL "
        "AND f.due_date < ?2), 0), COALESCE(SUM(f.outcome = 'no_contact'), 0), "
        "COALESCE(SUM(f.outcome = 'valuable_contact'), 0), COALESCE(SUM(f.outcome = "
        "'negotiating'), 0), COALESCE(SUM(f.outcome = 'agreement'), 0) FROM intention_followups f "
        "JOIN intentions i ON i.id = f.intention_id WHERE f.kind = 'six_month' AND (?1 = 0 OR "
        "i.event_id = ?1)",
        e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_text(s, 2, today);
    err_code rc = row_one(s, e, "outcomes");
    if (!rc) {
        out->total = db_col_int(s, 0);
        out->pending = db_col_int(s, 1);
        out->overdue = db_col_int(s, 2);
        out->no_contact = db_col_int(s, 3);
        out->valuable_contact = db_col_int(s, 4);
        out->negotiating = db_col_int(s, 5);
        out->agreement = db_col_int(s, 6);
    }
    db_done(s);
    if (rc) return rc;
    s = db_prepare(d,
                   "SELECT COUNT(*), COUNT(o.meeting_id), COALESCE(SUM(o.outcome = 'no_contact'), "
                   "0), COALESCE(SUM(o.outcome = 'valuable_contact'), 0), COALESCE(SUM(o.outcome "
                   "= 'negotiating'), 0), COALESCE(SUM(o.outcome = 'agreement'), 0) FROM meetings "
                   "m LEFT JOIN meeting_outcomes o ON o.meeting_id = m.id WHERE m.status = "
                   "'accepted' AND m.slot_id IS NOT NULL AND (?1 = 0 OR m.event_id = ?1)",
                   e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    rc = row_one(s, e, "meeting outcomes");
    if (!rc) {
        out->meetings_held = db_col_int(s, 0);
        out->meetings_recorded = db_col_int(s, 1);
        out->m_no_contact = db_col_int(s, 2);
        out->m_valuable_contact = db_col_int(s, 3);
        out->m_negotiating = db_col_int(s, 4);
        out->m_agreement = db_col_int(s, 5);
    }
    db_done(s);
    return rc;
}

#define MO_SELECT                                                                                  \
    "SELECT m.id, m.event_id, COALESCE(m.table_no, 0), m.status = 'accepted' AND m.slot_id IS "    \
    "NOT NULL, COALESCE(sl.start_time, ''), COALESCE(sl.end_time, ''), r1.name, r1.org_name, "     \
    "r2.name, r2.org_name, COALESCE(o.outcome, ''), COALESCE(o.note, ''), "                        \
    "COALESCE(o.recorded_at, '') FROM meetings m JOIN registrations r1 ON r1.id = "                \
    "m.requester_id JOIN registrations r2 ON r2.id = m.invitee_id LEFT JOIN meeting_slots sl ON "  \
    "sl.id = m.slot_id LEFT JOIN meeting_outcomes o ON o.meeting_id = m.id "

static void mo_read(db_stmt *s, arena *a, meeting_outcome_rec *r)
{
    int k = 0;
    r->meeting_id = db_col_int(s, k++);
    r->event_id = db_col_int(s, k++);
    r->table_no = db_col_int(s, k++);
    r->held = db_col_int(s, k++) != 0;
    r->start_time = row_text(a, s, k++);
    r->end_time = row_text(a, s, k++);
    r->requester = row_text(a, s, k++);
    r->requester_org = row_text(a, s, k++);
    r->invitee = row_text(a, s, k++);
    r->invitee_org = row_text(a, s, k++);
    r->outcome = row_text(a, s, k++);
    r->note = row_text(a, s, k++);
    r->recorded_at = row_text(a, s, k++);
}

err_code store_meeting_outcomes(db *d, arena *a, int64_t event_id, meeting_outcome_rec **out,
                                int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            MO_SELECT "WHERE m.event_id = ? AND m.status = 'accepted' AND "
                                      "m.slot_id IS NOT NULL ORDER BY sl.start_time, m.table_no, "
                                      "m.id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, meeting_outcome_rec, mo_read, out, n);
}

err_code store_meeting_outcome_get(db *d, arena *a, int64_t meeting_id, meeting_outcome_rec *out,
                                   err *e)
{
    db_stmt *s = db_prepare(d, MO_SELECT "WHERE m.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, meeting_id);
    err_code rc = row_one(s, e, "meeting");
    if (!rc) mo_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_meeting_outcome_put(db *d, int64_t meeting_id, const char *outcome, const char *note,
                                   int64_t user_id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s =
        db_prepare(d,
                   "INSERT INTO meeting_outcomes (meeting_id, outcome, note, recorded_by, "
                   "recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (meeting_id) DO "
                   "UPDATE SET outcome = ?2, note = ?3, recorded_by = ?4, recorded_at = ?5",
                   e);
    if (!s) return e->code;
    db_bind_int(s, 1, meeting_id);
    db_bind_text(s, 2, outcome);
    db_bind_text(s, 3, note ? note : "");
    if (user_id)
        db_bind_int(s, 4, user_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, now);
    return db_run(s, e);
}

err_code store_intention_stage_counts(db *d, int64_t event_id, const char *const *stages, int n,
                                      int64_t *counts, err *e)
{
    memset(counts, 0, sizeof *counts * (size_t)n);
    db_stmt *s = db_prepare(
        d, "SELECT stage, COUNT(*) FROM intentions WHERE event_id = ? GROUP BY stage", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        const char *st = db_col_text(s, 0);
        for (int i = 0; i < n; i++)
            if (st && !strcmp(st, stages[i])) counts[i] = db_col_int(s, 1);
    }
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_event_results_public(db *d, int64_t event_id, bool *pub, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT results_public FROM events WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    err_code rc = row_one(s, e, "event");
    if (!rc) *pub = db_col_int(s, 0) != 0;
    db_done(s);
    return rc;
}

err_code store_event_set_results_public(db *d, int64_t event_id, bool pub, err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE events SET results_public = ? WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, pub);
    db_bind_int(s, 2, event_id);
    return row_run_changed(d, s, "event", event_id, e);
}
