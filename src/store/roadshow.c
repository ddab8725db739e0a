/* roadshow.c — roadshow judging of an event: settings, criteria, projects, judges and scores
 * (see sql/sqlite/005_roadshow.sql). */
#include <string.h>

#include "store/row.h"

/* ---- settings ---- */

err_code store_roadshow_get(db *d, arena *a, int64_t event_id, roadshow_rec *out, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT event_id, normalize, closed, published, updated_at FROM "
                            "roadshows WHERE event_id = ?",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    err_code rc = row_one(s, e, "roadshow");
    if (!rc) {
        out->event_id = db_col_int(s, 0);
        out->normalize = db_col_int(s, 1) != 0;
        out->closed = db_col_int(s, 2) != 0;
        out->published = db_col_int(s, 3) != 0;
        out->updated_at = row_text(a, s, 4);
    }
    db_done(s);
    return rc;
}

err_code store_roadshow_insert(db *d, int64_t event_id, bool *created, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO roadshows (event_id, updated_at) VALUES (?, ?) ON "
                            "CONFLICT (event_id) DO NOTHING",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_text(s, 2, now);
    if (db_run(s, e)) return e->code;
    if (created) *created = db_changes(d) > 0;
    return ERR_OK;
}

err_code store_roadshow_set(db *d, const roadshow_rec *r, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE roadshows SET normalize = ?, closed = ?, published = ?, "
                            "updated_at = ? WHERE event_id = ?",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, r->normalize);
    db_bind_int(s, 2, r->closed);
    db_bind_int(s, 3, r->published);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, r->event_id);
    return row_run_changed(d, s, "roadshow", r->event_id, e);
}

/* ---- criteria ---- */

static void criterion_read(db_stmt *s, arena *a, rs_criterion_rec *c)
{
    c->id = db_col_int(s, 0);
    c->event_id = db_col_int(s, 1);
    c->code = row_text(a, s, 2);
    c->name = row_text(a, s, 3);
    c->name_en = row_text(a, s, 4);
    c->weight_milli = db_col_int(s, 5);
    c->sort = (int)db_col_int(s, 6);
}

err_code store_roadshow_criteria(db *d, arena *a, int64_t event_id, rs_criterion_rec **out, int *n,
                                 err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT id, event_id, code, name, name_en, weight_milli, sort FROM "
                            "roadshow_criteria WHERE event_id = ? ORDER BY sort, id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, rs_criterion_rec, criterion_read, out, n);
}

err_code store_roadshow_criterion_insert(db *d, const rs_criterion_rec *c, int64_t *id, err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO roadshow_criteria (event_id, code, name, name_en, "
                            "weight_milli, sort) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, c->event_id);
    db_bind_text(s, 2, c->code);
    db_bind_text(s, 3, c->name);
    db_bind_text(s, 4, c->name_en ? c->name_en : "");
    db_bind_int(s, 5, c->weight_milli);
    db_bind_int(s, 6, c->sort);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_roadshow_criterion_update(db *d, const rs_criterion_rec *c, err *e)
{
    db_stmt *s = db_prepare(d,
                            "UPDATE roadshow_criteria SET name = ?, name_en = ?, weight_milli = ?, "
                            "sort = ? WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, c->name);
    db_bind_text(s, 2, c->name_en ? c->name_en : "");
    db_bind_int(s, 3, c->weight_milli);
    db_bind_int(s, 4, c->sort);
    db_bind_int(s, 5, c->id);
    return row_run_changed(d, s, "criterion", c->id, e);
}

err_code store_roadshow_criterion_delete(db *d, int64_t id, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM roadshow_criteria WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    return row_run_changed(d, s, "criterion", id, e);
}

/* ---- projects ---- */

#define PROJECT_COLS                                                                               \
    "p.id, p.event_id, p.listing_id, p.presenter, p.presenter_org, p.sort, p.start_time, "         \
    "p.end_time, p.created_at, p.updated_at, l.title, l.org_id, o.name, o.name_en, l.status"
#define PROJECT_FROM                                                                               \
    " FROM roadshow_projects p JOIN listings l ON l.id = p.listing_id JOIN orgs o ON o.id = "      \
    "l.org_id "

static void project_read(db_stmt *s, arena *a, rs_project_rec *p)
{
    int i = 0;
    p->id = db_col_int(s, i++);
    p->event_id = db_col_int(s, i++);
    p->listing_id = db_col_int(s, i++);
    p->presenter = row_text(a, s, i++);
    p->presenter_org = row_text(a, s, i++);
    p->sort = (int)db_col_int(s, i++);
    p->start_time = row_text(a, s, i++);
    p->end_time = row_text(a, s, i++);
    p->created_at = row_text(a, s, i++);
    p->updated_at = row_text(a, s, i++);
    p->title = row_text(a, s, i++);
    p->owner_org_id = db_col_int(s, i++);
    p->owner_org = row_text(a, s, i++);
    p->owner_org_en = row_text(a, s, i++);
    p->listing_status = row_text(a, s, i++);
}

err_code store_roadshow_project_get(db *d, arena *a, int64_t id, rs_project_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " PROJECT_COLS PROJECT_FROM "WHERE p.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "project");
    if (!rc) project_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_roadshow_projects(db *d, arena *a, int64_t event_id, rs_project_rec **out, int *n,
                                 err *e)
{
    db_stmt *s = db_prepare(
        d, "SELECT " PROJECT_COLS PROJECT_FROM "WHERE p.event_id = ? ORDER BY p.sort, p.id", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, rs_project_rec, project_read, out, n);
}

err_code store_roadshow_project_insert(db *d, const rs_project_rec *p, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO roadshow_projects (event_id, listing_id, presenter, "
                            "presenter_org, sort, start_time, end_time, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, listing_id) "
                            "DO NOTHING RETURNING id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, p->event_id);
    db_bind_int(s, 2, p->listing_id);
    db_bind_text(s, 3, p->presenter);
    db_bind_text(s, 4, p->presenter_org ? p->presenter_org : "");
    db_bind_int(s, 5, p->sort);
    db_bind_text(s, 6, p->start_time ? p->start_time : "");
    db_bind_text(s, 7, p->end_time ? p->end_time : "");
    db_bind_text(s, 8, now);
    db_bind_text(s, 9, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    if (r == DB_FAIL) return e->code;
    if (r == DB_DONE)
        return err_set(e, ERR_CONFLICT, "listing_id", "roadshow.err.duplicate",
                       "this achievement is already a project of the roadshow");
    return ERR_OK;
}

err_code store_roadshow_project_update(db *d, const rs_project_rec *p, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE roadshow_projects SET presenter = ?, presenter_org = ?, sort = "
                            "?, start_time = ?, end_time = ?, updated_at = ? WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, p->presenter);
    db_bind_text(s, 2, p->presenter_org ? p->presenter_org : "");
    db_bind_int(s, 3, p->sort);
    db_bind_text(s, 4, p->start_time ? p->start_time : "");
    db_bind_text(s, 5, p->end_time ? p->end_time : "");
    db_bind_text(s, 6, now);
    db_bind_int(s, 7, p->id);
    return row_run_changed(d, s, "project", p->id, e);
}

err_code store_roadshow_project_delete(db *d, int64_t id, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM roadshow_scores WHERE project_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    if (db_run(s, e)) return e->code;
    s = db_prepare(d, "DELETE FROM roadshow_projects WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    return row_run_changed(d, s, "project", id, e);
}

/* ---- judges ---- */

static void judge_read(db_stmt *s, arena *a, rs_judge_rec *j)
{
    j->event_id = db_col_int(s, 0);
    j->user_id = db_col_int(s, 1);
    j->name = row_text(a, s, 2);
    j->email = row_text(a, s, 3);
    j->org_id = db_col_int(s, 4);
    j->org_name = row_text(a, s, 5);
    j->created_at = row_text(a, s, 6);
}

err_code store_roadshow_judges(db *d, arena *a, int64_t event_id, rs_judge_rec **out, int *n,
                               err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT j.event_id, u.id, u.name, u.email, COALESCE(u.org_id, 0), "
                            "COALESCE(o.name, ''), j.created_at FROM roadshow_judges j JOIN users "
                            "u ON u.id = j.user_id LEFT JOIN orgs o ON o.id = u.org_id WHERE "
                            "j.event_id = ? ORDER BY j.created_at, u.id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    ROW_COLLECT(s, a, rs_judge_rec, judge_read, out, n);
}

err_code store_roadshow_judge_add(db *d, int64_t event_id, int64_t user_id, bool *added, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO roadshow_judges (event_id, user_id, created_at) VALUES "
                            "(?, ?, ?) ON CONFLICT (event_id, user_id) DO NOTHING",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, now);
    if (db_run(s, e)) return e->code;
    if (added) *added = db_changes(d) > 0;
    return ERR_OK;
}

err_code store_roadshow_judge_remove(db *d, int64_t event_id, int64_t user_id, err *e)
{
    db_stmt *s = db_prepare(d,
                            "DELETE FROM roadshow_scores WHERE judge_id = ? AND project_id IN "
                            "(SELECT id FROM roadshow_projects WHERE event_id = ?)",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, event_id);
    if (db_run(s, e)) return e->code;
    s = db_prepare(d, "DELETE FROM roadshow_judges WHERE event_id = ? AND user_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, user_id);
    return row_run_changed(d, s, "judge", user_id, e);
}

err_code store_roadshow_is_judge(db *d, int64_t event_id, int64_t user_id, bool *yes, err *e)
{
    db_stmt *s =
        db_prepare(d, "SELECT 1 FROM roadshow_judges WHERE event_id = ? AND user_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, user_id);
    db_step_result r = db_step(s, e);
    db_done(s);
    if (r == DB_FAIL) return e->code;
    *yes = r == DB_ROW;
    return ERR_OK;
}

static void id_read(db_stmt *s, arena *a, int64_t *v)
{
    (void)a;
    *v = db_col_int(s, 0);
}

err_code store_roadshow_judge_events(db *d, arena *a, int64_t user_id, int64_t **out, int *n,
                                     err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT j.event_id FROM roadshow_judges j JOIN events ev ON ev.id = "
                            "j.event_id WHERE j.user_id = ? ORDER BY ev.date DESC, ev.id DESC",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, user_id);
    ROW_COLLECT(s, a, int64_t, id_read, out, n);
}

/* ---- scores ---- */

static void score_read(db_stmt *s, arena *a, rs_score_rec *r)
{
    r->project_id = db_col_int(s, 0);
    r->judge_id = db_col_int(s, 1);
    r->criterion_id = db_col_int(s, 2);
    r->score = (int)db_col_int(s, 3);
    r->updated_at = row_text(a, s, 4);
}

err_code store_roadshow_scores(db *d, arena *a, int64_t event_id, int64_t project_id,
                               int64_t judge_id, rs_score_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT s.project_id, s.judge_id, s.criterion_id, s.score, "
                            "s.updated_at FROM roadshow_scores s JOIN roadshow_projects p ON p.id "
                            "= s.project_id WHERE p.event_id = ? AND (? = 0 OR s.project_id = ?) "
                            "AND (? = 0 OR s.judge_id = ?) ORDER BY p.sort, s.project_id, "
                            "s.judge_id, s.criterion_id",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, event_id);
    db_bind_int(s, 2, project_id);
    db_bind_int(s, 3, project_id);
    db_bind_int(s, 4, judge_id);
    db_bind_int(s, 5, judge_id);
    ROW_COLLECT(s, a, rs_score_rec, score_read, out, n);
}

err_code store_roadshow_score_put(db *d, int64_t project_id, int64_t judge_id, int64_t criterion_id,
                                  int score, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO roadshow_scores (project_id, judge_id, criterion_id, "
                            "score, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, "
                            "judge_id, criterion_id) DO UPDATE SET score = excluded.score, "
                            "updated_at = excluded.updated_at",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, project_id);
    db_bind_int(s, 2, judge_id);
    db_bind_int(s, 3, criterion_id);
    db_bind_int(s, 4, score);
    db_bind_text(s, 5, now);
    return db_run(s, e);
}
