/* event.c — events (对接会), co-organizers, registrations, check-in, the agenda and settings
 * (see sql/sqlite/004_events.sql). */
#include <string.h>

#include "store/row.h"

/* ---- settings ---- */

err_code store_setting_get(db *d, arena *a, const char *key, const char **value, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT value FROM settings WHERE key = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, key);
    err_code rc = row_one(s, e, "setting");
    if (!rc) *value = row_text(a, s, 0);
    db_done(s);
    return rc;
}

err_code store_setting_insert_new(db *d, const char *key, const char *value, err *e)
{
    db_stmt *s = db_prepare(
        d, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", e);
    if (!s) return e->code;
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, value);
    return db_run(s, e);
}

/* ---- events ---- */

#define EVENT_COLS                                                                                 \
    "id, title, title_en, venue, date, start_time, end_time, fields, description, "                \
    "COALESCE(capacity, 0), COALESCE(reg_deadline, ''), needs_approval, status, "                  \
    "COALESCE(created_by, 0), created_at, updated_at, COALESCE(published_at, '')"

static void event_read(db_stmt *s, arena *a, event_rec *ev)
{
    int i = 0;
    ev->id = db_col_int(s, i++);
    ev->title = row_text(a, s, i++);
    ev->title_en = row_text(a, s, i++);
    ev->venue = row_text(a, s, i++);
    ev->date = row_text(a, s, i++);
    ev->start_time = row_text(a, s, i++);
    ev->end_time = row_text(a, s, i++);
    ev->fields = row_text(a, s, i++);
    ev->description = row_text(a, s, i++);
    ev->capacity = db_col_int(s, i++);
    ev->reg_deadline = row_text(a, s, i++);
    ev->needs_approval = db_col_int(s, i++) != 0;
    ev->status = row_text(a, s, i++);
    ev->created_by = db_col_int(s, i++);
    ev->created_at = row_text(a, s, i++);
    ev->updated_at = row_text(a, s, i++);
    ev->published_at = row_text(a, s, i++);
}

/* Binds the editable columns in the order INSERT and UPDATE list them; returns next index. */
static int event_bind_editable(db_stmt *s, const event_rec *ev, int i)
{
    db_bind_text(s, i++, ev->title);
    db_bind_text(s, i++, ev->title_en ? ev->title_en : "");
    db_bind_text(s, i++, ev->venue);
    db_bind_text(s, i++, ev->date);
    db_bind_text(s, i++, ev->start_time);
    db_bind_text(s, i++, ev->end_time);
    db_bind_text(s, i++, ev->fields ? ev->fields : ",");
    db_bind_text(s, i++, ev->description ? ev->description : "");
    if (ev->capacity > 0)
        db_bind_int(s, i++, ev->capacity);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, row_nz(ev->reg_deadline));
    db_bind_int(s, i++, ev->needs_approval);
    return i;
}

err_code store_event_insert(db *d, const event_rec *ev, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO events (title, title_en, venue, date, start_time, "
                            "end_time, fields, description, capacity, reg_deadline, "
                            "needs_approval, status, created_by, created_at, updated_at) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    int i = event_bind_editable(s, ev, 1);
    db_bind_text(s, i++, ev->status ? ev->status : "draft");
    if (ev->created_by)
        db_bind_int(s, i++, ev->created_by);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, now);
    db_bind_text(s, i++, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_event_update(db *d, const event_rec *ev, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE events SET title = ?, title_en = ?, venue = ?, date = ?, "
                            "start_time = ?, end_time = ?, fields = ?, description = ?, "
                            "capacity = ?, reg_deadline = ?, needs_approval = ?, updated_at = ? "
                            "WHERE id = ?",
                            e);
    if (!s) return e->code;
    int i = event_bind_editable(s, ev, 1);
    db_bind_text(s, i++, now);
    db_bind_int(s, i++, ev->id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "event %lld not found",
                       (long long)ev->id);
    return ERR_OK;
}

err_code store_event_set_status(db *d, int64_t id, const char *status, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE events SET status = ?, updated_at = ?, published_at = CASE "
                            "WHEN ? = 'published' THEN ? ELSE published_at END WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, now);
    db_bind_text(s, 3, status);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "event %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code store_event_get(db *d, arena *a, int64_t id, event_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " EVENT_COLS " FROM events WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "event");
    if (!rc) event_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_event_list(db *d, arena *a, bool published_only, event_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " EVENT_COLS " FROM events WHERE (? = 0 OR status = "
                            "'published') ORDER BY date DESC, start_time DESC, id DESC",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, published_only);
    ROW_COLLECT(s, a, event_rec, event_read, out, n);
}

err_code store_event_orgs_set(db *d, int64_t event_id, const int64_t *ids, int n, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM event_orgs WHERE event_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    if (db_run(s, e)) return e->code;
    for (int i = 0; i < n; i++) {
        s = db_prepare(d, "INSERT INTO event_orgs (event_id, org_id, sort) VALUES (?, ?, ?)", e);
        if (!s) return e->code;
        db_bind_int(s, 1, event_id);
        db_bind_int(s, 2, ids[i]);
        db_bind_int(s, 3, i);
        if (db_run(s, e)) return e->code;
    }
    return ERR_OK;
}

static void event_org_read(db_stmt *s, arena *a, event_org_rec *o)
{
    o->event_id = db_col_int(s, 0);
    o->org_id = db_col_int(s, 1);
    o->name = row_text(a, s, 2);
    o->name_en = row_text(a, s, 3);
    o->type = row_text(a, s, 4);
}

err_code store_event_orgs_list(db *d, arena *a, int64_t event_id, event_org_rec **out, int *n,
                               err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT eo.event_id, o.id, o.name, o.name_en, o.type FROM event_orgs "
                            "eo JOIN orgs o ON o.id = eo.org_id WHERE eo.event_id = ? ORDER BY "
                            "eo.sort",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, event_org_rec, event_org_read, out, n);
}

/* ---- registrations ---- */

#define REG_COLS                                                                                   \
    "id, event_id, COALESCE(user_id, 0), COALESCE(org_id, 0), name, org_name, category, brings, "  \
    "phone, email, status, token, COALESCE(checked_in_at, ''), COALESCE(checked_in_by, 0), "       \
    "created_at, updated_at"

static void reg_read(db_stmt *s, arena *a, registration_rec *r)
{
    int i = 0;
    r->id = db_col_int(s, i++);
    r->event_id = db_col_int(s, i++);
    r->user_id = db_col_int(s, i++);
    r->org_id = db_col_int(s, i++);
    r->name = row_text(a, s, i++);
    r->org_name = row_text(a, s, i++);
    r->category = row_text(a, s, i++);
    r->brings = row_text(a, s, i++);
    r->phone = row_text(a, s, i++);
    r->email = row_text(a, s, i++);
    r->status = row_text(a, s, i++);
    r->token = row_text(a, s, i++);
    r->checked_in_at = row_text(a, s, i++);
    r->checked_in_by = db_col_int(s, i++);
    r->created_at = row_text(a, s, i++);
    r->updated_at = row_text(a, s, i++);
}

err_code store_registration_insert(db *d, const registration_rec *r, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO registrations (event_id, user_id, org_id, name, "
                            "org_name, category, brings, phone, email, status, token, "
                            "checked_in_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                            "?, ?, ?, ?, NULL, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    int i = 1;
    db_bind_int(s, i++, r->event_id);
    if (r->user_id)
        db_bind_int(s, i++, r->user_id);
    else
        db_bind_null(s, i++);
    if (r->org_id)
        db_bind_int(s, i++, r->org_id);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, r->name);
    db_bind_text(s, i++, r->org_name);
    db_bind_text(s, i++, r->category);
    db_bind_text(s, i++, r->brings);
    db_bind_text(s, i++, r->phone ? r->phone : "");
    db_bind_text(s, i++, r->email);
    db_bind_text(s, i++, r->status);
    db_bind_text(s, i++, r->token);
    db_bind_text(s, i++, now);
    db_bind_text(s, i++, now);
    db_step_result res = db_step(s, e);
    if (res == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    if (res == DB_FAIL && e->code == ERR_CONFLICT) {
        strcpy(e->field, "email");
        strcpy(e->key, "event.err.duplicate_email");
    }
    return res == DB_FAIL ? e->code : ERR_OK;
}

err_code store_registration_get(db *d, arena *a, int64_t id, registration_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " REG_COLS " FROM registrations WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "registration");
    if (!rc) reg_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_registration_by_token(db *d, arena *a, const char *token, registration_rec *out,
                                     err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " REG_COLS " FROM registrations WHERE token = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, token);
    err_code rc = row_one(s, e, "registration");
    if (!rc) reg_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_registration_list(db *d, arena *a, int64_t event_id, const char *status,
                                 registration_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " REG_COLS " FROM registrations WHERE event_id = ? AND "
                            "(? IS NULL OR status = ?) ORDER BY id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_text(s, 2, status);
    db_bind_text(s, 3, status);
    ROW_COLLECT(s, a, registration_rec, reg_read, out, n);
}

err_code store_registration_count_active(db *d, int64_t event_id, int64_t *count, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT COUNT(*) FROM registrations WHERE event_id = ? AND status IN "
                            "('pending','approved')",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    err_code rc = row_one(s, e, "count");
    if (!rc) *count = db_col_int(s, 0);
    db_done(s);
    return rc;
}

err_code store_registration_set_status(db *d, int64_t id, const char *status, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s =
        db_prepare(d, "UPDATE registrations SET status = ?, updated_at = ? WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "registration %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code store_registration_checkin(db *d, int64_t id, const char *at, int64_t by, bool *done,
                                    err *e)
{
    /* one statement: two scanners racing on the same badge cannot both check it in */
    db_stmt *s = db_prepare(d,
                            "UPDATE registrations SET checked_in_at = ?, checked_in_by = ?, "
                            "updated_at = ? WHERE id = ? AND checked_in_at IS NULL AND status = "
                            "'approved'",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, at);
    if (by)
        db_bind_int(s, 2, by);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, at);
    db_bind_int(s, 4, id);
    if (db_run(s, e)) return e->code;
    *done = db_changes(d) == 1;
    return ERR_OK;
}

err_code store_registration_listings_add(db *d, int64_t registration_id, int64_t listing_id, err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO registration_listings (registration_id, listing_id) "
                            "VALUES (?, ?) ON CONFLICT DO NOTHING",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, registration_id);
    db_bind_int(s, 2, listing_id);
    return db_run(s, e);
}

static void reg_listing_read(db_stmt *s, arena *a, registration_listing_rec *r)
{
    r->registration_id = db_col_int(s, 0);
    r->listing_id = db_col_int(s, 1);
    r->kind = row_text(a, s, 2);
    r->title = row_text(a, s, 3);
}

err_code store_registration_listings(db *d, arena *a, int64_t event_id, int64_t registration_id,
                                     registration_listing_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT rl.registration_id, l.id, l.kind, l.title FROM "
                            "registration_listings rl JOIN registrations r ON r.id = "
                            "rl.registration_id JOIN listings l ON l.id = rl.listing_id WHERE "
                            "r.event_id = ? AND (? = 0 OR r.id = ?) ORDER BY rl.registration_id, "
                            "l.id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, registration_id);
    db_bind_int(s, 3, registration_id);
    ROW_COLLECT(s, a, registration_listing_rec, reg_listing_read, out, n);
}

static void count_read(db_stmt *s, arena *a, event_count_rec *c)
{
    c->category = row_text(a, s, 0);
    c->registered = db_col_int(s, 1);
    c->pending = db_col_int(s, 2);
    c->approved = db_col_int(s, 3);
    c->rejected = db_col_int(s, 4);
    c->checked_in = db_col_int(s, 5);
}

err_code store_event_counts(db *d, arena *a, int64_t event_id, event_count_rec **out, int *n,
                            err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT category, COUNT(*), SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), SUM(CASE WHEN status = "
        "'rejected' THEN 1 ELSE 0 END), SUM(CASE WHEN checked_in_at IS NOT NULL THEN 1 ELSE 0 "
        "END) FROM registrations WHERE event_id = ? GROUP BY category ORDER BY category",
        e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, event_count_rec, count_read, out, n);
}

/* ---- agenda ---- */

#define AGENDA_COLS                                                                                \
    "id, event_id, kind, title, title_en, start_time, end_time, place, speakers, created_at, "     \
    "updated_at"

static void agenda_read(db_stmt *s, arena *a, agenda_rec *g)
{
    int i = 0;
    g->id = db_col_int(s, i++);
    g->event_id = db_col_int(s, i++);
    g->kind = row_text(a, s, i++);
    g->title = row_text(a, s, i++);
    g->title_en = row_text(a, s, i++);
    g->start_time = row_text(a, s, i++);
    g->end_time = row_text(a, s, i++);
    g->place = row_text(a, s, i++);
    g->speakers = row_text(a, s, i++);
    g->created_at = row_text(a, s, i++);
    g->updated_at = row_text(a, s, i++);
}

static int agenda_bind_editable(db_stmt *s, const agenda_rec *g, int i)
{
    db_bind_text(s, i++, g->kind);
    db_bind_text(s, i++, g->title);
    db_bind_text(s, i++, g->title_en ? g->title_en : "");
    db_bind_text(s, i++, g->start_time);
    db_bind_text(s, i++, g->end_time);
    db_bind_text(s, i++, g->place ? g->place : "");
    db_bind_text(s, i++, g->speakers ? g->speakers : "");
    return i;
}

err_code store_agenda_insert(db *d, const agenda_rec *g, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO event_sessions (kind, title, title_en, start_time, "
                            "end_time, place, speakers, event_id, created_at, updated_at) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    int i = agenda_bind_editable(s, g, 1);
    db_bind_int(s, i++, g->event_id);
    db_bind_text(s, i++, now);
    db_bind_text(s, i++, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_agenda_update(db *d, const agenda_rec *g, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE event_sessions SET kind = ?, title = ?, title_en = ?, "
                            "start_time = ?, end_time = ?, place = ?, speakers = ?, updated_at = "
                            "? WHERE id = ?",
                            e);
    if (!s) return e->code;
    int i = agenda_bind_editable(s, g, 1);
    db_bind_text(s, i++, now);
    db_bind_int(s, i++, g->id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "session %lld not found",
                       (long long)g->id);
    return ERR_OK;
}

err_code store_agenda_delete(db *d, int64_t id, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM event_sessions WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "session %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code store_agenda_get(db *d, arena *a, int64_t id, agenda_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " AGENDA_COLS " FROM event_sessions WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "session");
    if (!rc) agenda_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_agenda_list(db *d, arena *a, int64_t event_id, agenda_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " AGENDA_COLS " FROM event_sessions WHERE event_id = ? ORDER "
                            "BY start_time, end_time, id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, agenda_rec, agenda_read, out, n);
}
