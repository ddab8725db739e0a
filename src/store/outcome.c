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
    return rc;
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
