/* intention.c — cooperation intentions, their follow-ups and the statistics queries
 * (see sql/sqlite/007_intentions.sql; figure definitions in domain/stats.c). */
#include <string.h>

#include "store/row.h"

#define INT_COLS                                                                                   \
    "i.id, COALESCE(i.event_id, 0), COALESCE(i.meeting_id, 0), COALESCE(i.achievement_id, 0), "    \
    "COALESCE(i.need_id, 0), COALESCE(i.org_a_id, 0), COALESCE(i.org_b_id, 0), "                   \
    "COALESCE(i.created_by, 0), i.title, i.source, i.stage, COALESCE(i.contract_type, ''), "       \
    "COALESCE(i.signed_on, ''), COALESCE(i.amount_centi, -1), i.terminate_reason, i.note, "        \
    "i.created_at, i.updated_at, COALESCE(ev.title, ''), COALESCE(la.title, ''), "                 \
    "COALESCE(ln.title, ''), COALESCE(oa.name, ''), COALESCE(ob.name, '')"
#define INT_FROM                                                                                   \
    " FROM intentions i LEFT JOIN events ev ON ev.id = i.event_id LEFT JOIN listings la ON la.id " \
    "= i.achievement_id LEFT JOIN listings ln ON ln.id = i.need_id LEFT JOIN orgs oa ON oa.id = "  \
    "i.org_a_id LEFT JOIN orgs ob ON ob.id = i.org_b_id "

static void intention_read(db_stmt *s, arena *a, intention_rec *r)
{
    int k = 0;
    r->id = db_col_int(s, k++);
    r->event_id = db_col_int(s, k++);
    r->meeting_id = db_col_int(s, k++);
    r->achievement_id = db_col_int(s, k++);
    r->need_id = db_col_int(s, k++);
    r->org_a_id = db_col_int(s, k++);
    r->org_b_id = db_col_int(s, k++);
    r->created_by = db_col_int(s, k++);
    r->title = row_text(a, s, k++);
    r->source = row_text(a, s, k++);
    r->stage = row_text(a, s, k++);
    r->contract_type = row_text(a, s, k++);
    r->signed_on = row_text(a, s, k++);
    r->amount_centi = db_col_int(s, k++);
    r->terminate_reason = row_text(a, s, k++);
    r->note = row_text(a, s, k++);
    r->created_at = row_text(a, s, k++);
    r->updated_at = row_text(a, s, k++);
    r->event_title = row_text(a, s, k++);
    r->achievement_title = row_text(a, s, k++);
    r->need_title = row_text(a, s, k++);
    r->org_a_name = row_text(a, s, k++);
    r->org_b_name = row_text(a, s, k++);
}

static void bind_id(db_stmt *s, int i, int64_t v)
{
    if (v)
        db_bind_int(s, i, v);
    else
        db_bind_null(s, i);
}

err_code store_intention_insert(db *d, const intention_rec *i, int64_t *id, err *e)
{
    intention_rec fresh = *i; /* a new intention: no contract, no reason, stamped now */
    fresh.contract_type = NULL;
    fresh.amount_centi = -1;
    fresh.signed_on = NULL;
    fresh.terminate_reason = "";
    fresh.created_at = fresh.updated_at = NULL;
    return store_intention_insert_full(d, &fresh, id, e);
}

err_code store_intention_get(db *d, arena *a, int64_t id, intention_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " INT_COLS INT_FROM "WHERE i.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "intention");
    if (!rc) intention_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_intention_list(db *d, arena *a, const intention_filter *f, intention_rec **out,
                              int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " INT_COLS INT_FROM
                            "WHERE (?1 IS NULL OR i.stage = ?1) AND (?2 = 0 OR i.event_id = ?2) "
                            "AND (?3 = 0 OR i.org_a_id = ?3 OR i.org_b_id = ?3) ORDER BY i.id DESC",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, row_nz(f->stage));
    db_bind_int(s, 2, f->event_id);
    db_bind_int(s, 3, f->org_id);
    ROW_COLLECT(s, a, intention_rec, intention_read, out, n);
}

err_code store_intention_set_stage(db *d, const intention_rec *i, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE intentions SET stage = ?, contract_type = ?, amount_centi = ?, "
                            "signed_on = ?, terminate_reason = ?, updated_at = ? WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, i->stage);
    db_bind_text(s, 2, row_nz(i->contract_type));
    if (i->amount_centi >= 0)
        db_bind_int(s, 3, i->amount_centi);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, row_nz(i->signed_on));
    db_bind_text(s, 5, i->terminate_reason ? i->terminate_reason : "");
    db_bind_text(s, 6, now);
    db_bind_int(s, 7, i->id);
    return row_run_changed(d, s, "intention", i->id, e);
}

err_code store_intention_meeting_parties(db *d, int64_t meeting_id, int64_t *event_id,
                                         int64_t *org1, int64_t *org2, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT m.event_id, COALESCE(r1.org_id, u1.org_id, (SELECT o.id FROM "
                            "orgs o WHERE o.name = r1.org_name), 0), COALESCE(r2.org_id, "
                            "u2.org_id, (SELECT o.id FROM orgs o WHERE o.name = r2.org_name), 0) "
                            "FROM meetings m JOIN registrations "
                            "r1 ON r1.id = m.requester_id JOIN registrations r2 ON r2.id = "
                            "m.invitee_id LEFT JOIN users u1 ON u1.id = r1.user_id LEFT JOIN users "
                            "u2 ON u2.id = r2.user_id WHERE m.id = ?",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, meeting_id);
    err_code rc = row_one(s, e, "meeting");
    if (!rc) {
        *event_id = db_col_int(s, 0);
        *org1 = db_col_int(s, 1);
        *org2 = db_col_int(s, 2);
    }
    db_done(s);
    return rc;
}

/* ---- follow-ups ---- */

static void followup_read(db_stmt *s, arena *a, followup_rec *f)
{
    f->id = db_col_int(s, 0);
    f->intention_id = db_col_int(s, 1);
    f->text = row_text(a, s, 2);
    f->due_date = row_text(a, s, 3);
    f->done = db_col_int(s, 4) != 0;
    f->created_at = row_text(a, s, 5);
    f->intention_title = row_text(a, s, 6);
    f->kind = row_text(a, s, 7);
    f->outcome = row_text(a, s, 8);
    f->outcome_note = row_text(a, s, 9);
    f->outcome_at = row_text(a, s, 10);
    f->event_id = db_col_int(s, 11);
}

#define FU_SELECT                                                                                  \
    "SELECT f.id, f.intention_id, f.text, f.due_date, f.done, f.created_at, i.title, f.kind, "     \
    "COALESCE(f.outcome, ''), f.outcome_note, COALESCE(f.outcome_at, ''), "                        \
    "COALESCE(i.event_id, 0) FROM intention_followups f JOIN intentions i ON i.id = "              \
    "f.intention_id "

err_code store_followup_insert(db *d, const followup_rec *f, int64_t user_id, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s =
        db_prepare(d,
                   "INSERT INTO intention_followups (intention_id, text, due_date, done, "
                   "created_by, created_at, updated_at, kind) VALUES (?, ?, ?, 0, ?, ?, ?, "
                   "?) RETURNING id",
                   e);
    if (!s) return e->code;
    db_bind_int(s, 1, f->intention_id);
    db_bind_text(s, 2, f->text);
    db_bind_text(s, 3, f->due_date);
    bind_id(s, 4, user_id);
    db_bind_text(s, 5, now);
    db_bind_text(s, 6, now);
    db_bind_text(s, 7, f->kind && *f->kind ? f->kind : "task");
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_followup_get(db *d, arena *a, int64_t id, followup_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, FU_SELECT "WHERE f.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "follow-up");
    if (!rc) followup_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_followup_set_done(db *d, int64_t id, bool done, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s =
        db_prepare(d, "UPDATE intention_followups SET done = ?, updated_at = ? WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, done);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    return row_run_changed(d, s, "follow-up", id, e);
}

err_code store_followups(db *d, arena *a, int64_t intention_id, const char *before,
                         followup_rec **out, int *n, err *e)
{
    db_stmt *s;
    if (intention_id) {
        s = db_prepare(d, FU_SELECT "WHERE f.intention_id = ? ORDER BY f.due_date, f.id", e);
        if (!s) return e->code;
        db_bind_int(s, 1, intention_id);
    } else {
        s = db_prepare(d,
                       FU_SELECT "WHERE f.done = 0 AND f.due_date < ? AND i.stage NOT IN "
                                 "('completed','terminated') ORDER BY f.due_date, f.id",
                       e);
        if (!s) return e->code;
        db_bind_text(s, 1, before);
    }
    ROW_COLLECT(s, a, followup_rec, followup_read, out, n);
}

err_code store_intention_insert_full(db *d, const intention_rec *i, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(
        d,
        "INSERT INTO intentions (title, source, event_id, meeting_id, achievement_id, need_id, "
        "org_a_id, org_b_id, stage, contract_type, amount_centi, signed_on, terminate_reason, "
        "note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?) RETURNING id",
        e);
    if (!s) return e->code;
    db_bind_text(s, 1, i->title);
    db_bind_text(s, 2, i->source);
    bind_id(s, 3, i->event_id);
    bind_id(s, 4, i->meeting_id);
    bind_id(s, 5, i->achievement_id);
    bind_id(s, 6, i->need_id);
    bind_id(s, 7, i->org_a_id);
    bind_id(s, 8, i->org_b_id);
    db_bind_text(s, 9, i->stage);
    if (i->contract_type && *i->contract_type)
        db_bind_text(s, 10, i->contract_type);
    else
        db_bind_null(s, 10);
    if (i->amount_centi >= 0)
        db_bind_int(s, 11, i->amount_centi);
    else
        db_bind_null(s, 11);
    if (i->signed_on && *i->signed_on)
        db_bind_text(s, 12, i->signed_on);
    else
        db_bind_null(s, 12);
    db_bind_text(s, 13, i->terminate_reason ? i->terminate_reason : "");
    db_bind_text(s, 14, i->note ? i->note : "");
    bind_id(s, 15, i->created_by);
    db_bind_text(s, 16, i->created_at && *i->created_at ? i->created_at : now);
    db_bind_text(s, 17, i->updated_at && *i->updated_at ? i->updated_at : now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}
