/* meeting.c — 1:1 meetings at events: settings, slots, requests and their cells, unavailability
 * and in-app notices (see sql/sqlite/006_meetings.sql). */
#include <string.h>

#include "store/row.h"

/* ---- settings ---- */

err_code store_meeting_settings_get(db *d, arena *a, int64_t event_id, meeting_settings_rec *out,
                                    err *e)
{
    out->event_id = event_id;
    out->tables = 10;
    out->expiry_minutes = 48 * 60;
    out->published = "none";
    db_stmt *s = db_prepare(
        d, "SELECT tables, expiry_minutes, published FROM meeting_settings WHERE event_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW) {
        out->tables = (int)db_col_int(s, 0);
        out->expiry_minutes = (int)db_col_int(s, 1);
        out->published = row_text(a, s, 2);
    }
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_meeting_settings_put(db *d, const meeting_settings_rec *m, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO meeting_settings (event_id, tables, expiry_minutes, "
                            "published, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) "
                            "DO UPDATE SET tables = excluded.tables, expiry_minutes = "
                            "excluded.expiry_minutes, published = excluded.published, updated_at "
                            "= excluded.updated_at",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, m->event_id);
    db_bind_int(s, 2, m->tables);
    db_bind_int(s, 3, m->expiry_minutes);
    db_bind_text(s, 4, m->published);
    db_bind_text(s, 5, now);
    return db_run(s, e);
}

/* ---- slots ---- */

#define SLOT_COLS                                                                                  \
    "ms.id, ms.event_id, ms.session_id, ms.start_time, ms.end_time, es.title, es.title_en, "       \
    "es.kind FROM meeting_slots ms JOIN event_sessions es ON es.id = ms.session_id"

static void slot_read(db_stmt *s, arena *a, meeting_slot_rec *o)
{
    o->id = db_col_int(s, 0);
    o->event_id = db_col_int(s, 1);
    o->session_id = db_col_int(s, 2);
    o->start_time = row_text(a, s, 3);
    o->end_time = row_text(a, s, 4);
    o->session_title = row_text(a, s, 5);
    o->session_title_en = row_text(a, s, 6);
    o->session_kind = row_text(a, s, 7);
}

err_code store_meeting_slot_insert(db *d, const meeting_slot_rec *m, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO meeting_slots (event_id, session_id, start_time, "
                            "end_time, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, m->event_id);
    db_bind_int(s, 2, m->session_id);
    db_bind_text(s, 3, m->start_time);
    db_bind_text(s, 4, m->end_time);
    db_bind_text(s, 5, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_meeting_slot_delete(db *d, int64_t id, err *e)
{
    static const char *const sql[] = {
        "UPDATE meetings SET slot_id = NULL, table_no = NULL, locked = 0 WHERE slot_id = ?",
        "DELETE FROM meeting_unavailable WHERE slot_id = ?",
        "DELETE FROM meeting_slots WHERE id = ?",
    };
    for (size_t i = 0; i < ARRAY_LEN(sql); i++) {
        db_stmt *s = db_prepare(d, sql[i], e);
        if (!s) return e->code;
        db_bind_int(s, 1, id);
        if (db_run(s, e)) return e->code;
    }
    return row_changed(d, "slot", id, e);
}

err_code store_meeting_slot_get(db *d, arena *a, int64_t id, meeting_slot_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " SLOT_COLS " WHERE ms.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "slot");
    if (!rc) slot_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_meeting_slot_list(db *d, arena *a, int64_t event_id, meeting_slot_rec **out, int *n,
                                 err *e)
{
    db_stmt *s = db_prepare(
        d, "SELECT " SLOT_COLS " WHERE ms.event_id = ? ORDER BY ms.start_time, ms.id", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, meeting_slot_rec, slot_read, out, n);
}

/* ---- meetings ---- */

#define MEETING_COLS                                                                               \
    "m.id, m.event_id, m.requester_id, m.invitee_id, m.message, m.status, COALESCE(m.slot_id, "    \
    "0), COALESCE(m.table_no, 0), m.locked, m.expires_at, COALESCE(m.answered_at, ''), "           \
    "m.created_at, m.updated_at, ra.name, ra.org_name, ra.email, rb.name, rb.org_name, rb.email, " \
    "COALESCE(ms.start_time, ''), COALESCE(ms.end_time, '') FROM meetings m JOIN registrations "   \
    "ra ON ra.id = m.requester_id JOIN registrations rb ON rb.id = m.invitee_id LEFT JOIN "        \
    "meeting_slots ms ON ms.id = m.slot_id"

static void meeting_read(db_stmt *s, arena *a, meeting_rec *m)
{
    int i = 0;
    m->id = db_col_int(s, i++);
    m->event_id = db_col_int(s, i++);
    m->requester_id = db_col_int(s, i++);
    m->invitee_id = db_col_int(s, i++);
    m->message = row_text(a, s, i++);
    m->status = row_text(a, s, i++);
    m->slot_id = db_col_int(s, i++);
    m->table_no = (int)db_col_int(s, i++);
    m->locked = db_col_int(s, i++) != 0;
    m->expires_at = row_text(a, s, i++);
    m->answered_at = row_text(a, s, i++);
    m->created_at = row_text(a, s, i++);
    m->updated_at = row_text(a, s, i++);
    m->requester_name = row_text(a, s, i++);
    m->requester_org = row_text(a, s, i++);
    m->requester_email = row_text(a, s, i++);
    m->invitee_name = row_text(a, s, i++);
    m->invitee_org = row_text(a, s, i++);
    m->invitee_email = row_text(a, s, i++);
    m->slot_start = row_text(a, s, i++);
    m->slot_end = row_text(a, s, i++);
}

err_code store_meeting_insert(db *d, const meeting_rec *m, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO meetings (event_id, requester_id, invitee_id, message, "
                            "status, expires_at, answered_at, created_at, updated_at) VALUES (?, "
                            "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, m->event_id);
    db_bind_int(s, 2, m->requester_id);
    db_bind_int(s, 3, m->invitee_id);
    db_bind_text(s, 4, m->message ? m->message : "");
    db_bind_text(s, 5, m->status);
    db_bind_text(s, 6, m->expires_at);
    db_bind_text(s, 7, m->answered_at && *m->answered_at ? m->answered_at : NULL);
    db_bind_text(s, 8, now);
    db_bind_text(s, 9, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_meeting_get(db *d, arena *a, int64_t id, meeting_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " MEETING_COLS " WHERE m.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "meeting");
    if (!rc) meeting_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_meeting_list(db *d, arena *a, int64_t event_id, int64_t reg_id, const char *status,
                            meeting_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " MEETING_COLS " WHERE m.event_id = ? AND (? = 0 OR "
                            "m.requester_id = ? OR m.invitee_id = ?) AND (? IS NULL OR m.status "
                            "= ?) ORDER BY m.id DESC",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, reg_id);
    db_bind_int(s, 3, reg_id);
    db_bind_int(s, 4, reg_id);
    db_bind_text(s, 5, status);
    db_bind_text(s, 6, status);
    ROW_COLLECT(s, a, meeting_rec, meeting_read, out, n);
}

err_code store_meeting_set_status(db *d, int64_t id, const char *status, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE meetings SET status = ?, answered_at = CASE WHEN ? IN "
                            "('accepted','declined') THEN ? ELSE answered_at END, updated_at = ?, "
                            "slot_id = CASE WHEN ? = 'accepted' THEN slot_id END, table_no = CASE "
                            "WHEN ? = 'accepted' THEN table_no END WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, status);
    db_bind_text(s, 3, now);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, status);
    db_bind_text(s, 6, status);
    db_bind_int(s, 7, id);
    if (db_run(s, e)) return e->code;
    return row_changed(d, "meeting", id, e);
}

err_code store_meeting_place(db *d, int64_t id, int64_t slot_id, int table, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(
        d, "UPDATE meetings SET slot_id = ?, table_no = ?, updated_at = ? WHERE id = ?", e);
    if (!s) return e->code;
    if (slot_id) {
        db_bind_int(s, 1, slot_id);
        db_bind_int(s, 2, table);
    } else {
        db_bind_null(s, 1);
        db_bind_null(s, 2);
    }
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    if (db_run(s, e)) return e->code;
    return row_changed(d, "meeting", id, e);
}

err_code store_meeting_set_locked(db *d, int64_t id, bool locked, err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE meetings SET locked = ? WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, locked);
    db_bind_int(s, 2, id);
    if (db_run(s, e)) return e->code;
    return row_changed(d, "meeting", id, e);
}

err_code store_meeting_expire(db *d, int64_t event_id, const char *now, int64_t *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "UPDATE meetings SET status = 'expired', updated_at = ? WHERE "
                            "event_id = ? AND status = 'requested' AND expires_at <= ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, event_id);
    db_bind_text(s, 3, now);
    if (db_run(s, e)) return e->code;
    if (n) *n = db_changes(d);
    return ERR_OK;
}

err_code store_meeting_open_between(db *d, int64_t x, int64_t y, int64_t *id, err *e)
{
    *id = 0;
    db_stmt *s = db_prepare(d,
                            "SELECT id FROM meetings WHERE status IN ('requested','accepted') AND "
                            "((requester_id = ? AND invitee_id = ?) OR (requester_id = ? AND "
                            "invitee_id = ?)) LIMIT 1",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, x);
    db_bind_int(s, 2, y);
    db_bind_int(s, 3, y);
    db_bind_int(s, 4, x);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_meeting_unavailable_list(db *d, arena *a, int64_t event_id, int64_t **regs,
                                        int64_t **slots, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT mu.registration_id, mu.slot_id FROM meeting_unavailable mu "
                            "JOIN meeting_slots ms ON ms.id = mu.slot_id WHERE ms.event_id = ?",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    int cnt = 0, cap = 0, cap2 = 0;
    int64_t *r = NULL, *sl = NULL;
    db_step_result res;
    while ((res = db_step(s, e)) == DB_ROW) {
        r = row_grow(a, r, cnt, &cap, sizeof *r);
        sl = row_grow(a, sl, cnt, &cap2, sizeof *sl);
        r[cnt] = db_col_int(s, 0);
        sl[cnt++] = db_col_int(s, 1);
    }
    db_done(s);
    *regs = r;
    *slots = sl;
    *n = cnt;
    return res == DB_FAIL ? e->code : ERR_OK;
}

err_code store_meeting_unavailable_set(db *d, int64_t reg_id, int64_t slot_id, bool unavailable,
                                       err *e)
{
    db_stmt *s = db_prepare(d,
                            unavailable ? "INSERT INTO meeting_unavailable (registration_id, "
                                          "slot_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
                                        : "DELETE FROM meeting_unavailable WHERE "
                                          "registration_id = ? AND slot_id = ?",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, reg_id);
    db_bind_int(s, 2, slot_id);
    return db_run(s, e);
}

err_code store_meeting_unavailable_clear(db *d, int64_t reg_id, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM meeting_unavailable WHERE registration_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, reg_id);
    return db_run(s, e);
}

err_code store_registration_of_user(db *d, arena *a, int64_t event_id, int64_t user_id,
                                    const char *email, registration_rec *out, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT id FROM registrations WHERE event_id = ? AND status = "
                            "'approved' AND (user_id = ? OR email = lower(?)) ORDER BY user_id = "
                            "? DESC, id LIMIT 1",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, email ? email : "");
    db_bind_int(s, 4, user_id);
    err_code rc = row_one(s, e, "registration");
    int64_t id = rc ? 0 : db_col_int(s, 0);
    db_done(s);
    if (rc) return rc;
    return store_registration_get(d, a, id, out, e);
}

/* ---- notices ---- */

err_code store_notice_insert(db *d, const char *email, int64_t event_id, int64_t meeting_id,
                             const char *kind, const char *who, const char *detail, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO notices (email, event_id, meeting_id, kind, who, detail, "
                            "created_at) VALUES (lower(?), ?, ?, ?, ?, ?, ?)",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, email);
    if (event_id)
        db_bind_int(s, 2, event_id);
    else
        db_bind_null(s, 2);
    if (meeting_id)
        db_bind_int(s, 3, meeting_id);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, kind);
    db_bind_text(s, 5, who ? who : "");
    db_bind_text(s, 6, detail ? detail : "");
    db_bind_text(s, 7, now);
    return db_run(s, e);
}

static void notice_read(db_stmt *s, arena *a, notice_rec *o)
{
    o->id = db_col_int(s, 0);
    o->event_id = db_col_int(s, 1);
    o->meeting_id = db_col_int(s, 2);
    o->kind = row_text(a, s, 3);
    o->who = row_text(a, s, 4);
    o->detail = row_text(a, s, 5);
    o->read_at = row_text(a, s, 6);
    o->created_at = row_text(a, s, 7);
    o->event_title = row_text(a, s, 8);
}

err_code store_notice_list(db *d, arena *a, const char *email, int limit, notice_rec **out, int *n,
                           err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT n.id, COALESCE(n.event_id, 0), COALESCE(n.meeting_id, 0), "
                            "n.kind, n.who, n.detail, COALESCE(n.read_at, ''), n.created_at, "
                            "COALESCE(ev.title, '') FROM notices n LEFT JOIN events ev ON ev.id = "
                            "n.event_id WHERE n.email = lower(?) ORDER BY n.id DESC LIMIT ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, email);
    db_bind_int(s, 2, limit);
    ROW_COLLECT(s, a, notice_rec, notice_read, out, n);
}

err_code store_notice_unread(db *d, const char *email, int64_t *n, err *e)
{
    db_stmt *s =
        db_prepare(d, "SELECT COUNT(*) FROM notices WHERE email = lower(?) AND read_at IS NULL", e);
    if (!s) return e->code;
    db_bind_text(s, 1, email);
    db_step_result r = db_step(s, e);
    *n = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_notice_mark_read(db *d, const char *email, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(
        d, "UPDATE notices SET read_at = ? WHERE email = lower(?) AND read_at IS NULL", e);
    if (!s) return e->code;
    db_bind_text(s, 1, now);
    db_bind_text(s, 2, email);
    return db_run(s, e);
}
