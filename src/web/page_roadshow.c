/* page_roadshow.c — roadshow pages: the roadshow of an event (organizer: settings, criteria and
 * weights, projects, judges, progress; judge: their projects; others: the programme), the
 * phone-first scoring page of one project, the ranking, the judge's list of events and the
 * CSV of every score (also served to the API). */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

static const char *crit_name(req *r, const rs_criterion_rec *c)
{
    return is_en(r) && *c->name_en ? c->name_en : c->name;
}

static json_t *event_head(req *r, int64_t id, err *e)
{
    event_rec ev;
    if (event_get(&r->c, id, &ev, e)) return NULL;
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)ev.id, "title",
                     is_en(r) && *ev.title_en ? ev.title_en : ev.title, "date", ev.date);
}

static const char *weight_text(req *r, int64_t milli)
{
    if (milli % 1000 == 0) return arena_printf(r->a, "%lld", (long long)(milli / 1000));
    char *s = arena_printf(r->a, "%.3f", (double)milli / 1000.0);
    size_t n = strlen(s);
    while (n && s[n - 1] == '0')
        s[--n] = 0;
    return s;
}

static json_t *criteria_view(req *r, const roadshow_view *v)
{
    json_t *arr = json_array();
    for (int i = 0; i < v->ncriteria; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", v->criteria[i].code, "label",
                                             crit_name(r, &v->criteria[i]), "weight",
                                             weight_text(r, v->criteria[i].weight_milli)));
    return arr;
}

/* The roadshow page; e is a failed form's error (or NULL). */
static void render(req *r, int status, const err *fe)
{
    err e = {0};
    roadshow_view v;
    json_t *ev = event_head(r, r->ids[0], &e);
    if (!ev || roadshow_load(&r->c, r->ids[0], &v, &e)) {
        json_decref(ev);
        return res_error(r, &e);
    }
    json_t *projects = json_array();
    for (int i = 0; i < v.nprojects; i++) {
        const rs_project_rec *p = &v.projects[i];
        json_t *j = roadshow_project_json(p);
        json_object_set_new(
            j, "org_label",
            json_string(is_en(r) && *p->owner_org_en ? p->owner_org_en : p->owner_org));
        if (v.judge) {
            json_t *mine = roadshow_scores_json(&v, p->id, r->user.id);
            bool done = mine && (int)json_object_size(mine) == v.ncriteria;
            json_decref(mine);
            json_object_set_new(j, "done", json_boolean(done));
            json_object_set_new(j, "conflict",
                                json_boolean(roadshow_conflict(r->user.org_id, p->owner_org_id)));
        }
        if (v.staff) {
            int n = 0;
            for (int k = 0; k < v.njudges; k++) {
                json_t *s = roadshow_scores_json(&v, p->id, v.judges[k].user_id);
                if (s && (int)json_object_size(s) == v.ncriteria) n++;
                json_decref(s);
            }
            json_object_set_new(j, "scored_by", json_integer(n));
        }
        json_array_append_new(projects, j);
    }
    json_t *judges = json_array();
    for (int k = 0; k < v.njudges; k++) {
        int n = 0;
        for (int i = 0; i < v.nprojects; i++) {
            json_t *s = roadshow_scores_json(&v, v.projects[i].id, v.judges[k].user_id);
            if (s && (int)json_object_size(s) == v.ncriteria) n++;
            json_decref(s);
        }
        json_array_append_new(judges, json_pack("{s:I,s:s,s:s,s:s,s:i}", "user_id",
                                                (json_int_t)v.judges[k].user_id, "name",
                                                v.judges[k].name, "email", v.judges[k].email,
                                                "org_name", v.judges[k].org_name, "scored", n));
    }
    json_t *ctx = json_pack(
        "{s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:i,s:s,s:b}", "ev", ev, "projects", projects,
        "judges", judges, "criteria", criteria_view(r, &v), "has_projects", v.nprojects > 0,
        "manage", v.staff, "judge", v.judge, "normalize", v.rs.normalize, "closed", v.rs.closed,
        "published", v.rs.published, "show_ranking", v.staff || v.rs.published, "nprojects",
        v.nprojects, "title", t(r, "roadshow.title"), "nav_events", 1);
    if (fe && fe->code)
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, fe)));
    if (req_query(r, "saved")) json_object_set_new(ctx, "saved", json_true());
    res_page(r, status, "roadshow_manage", ctx);
}

void page_roadshow(req *r)
{
    render(r, 200, NULL);
}

static void done(req *r, const err *e)
{
    if (e->code) {
        if (e->code == ERR_INVALID || e->code == ERR_CONFLICT)
            return render(r, err_http_status(e->code), e);
        return res_error(r, e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/roadshow?saved=1", (long long)r->ids[0]));
}

void page_roadshow_settings(req *r)
{
    err e = {0};
    /* an unticked checkbox sends nothing: absent means off */
    roadshow_settings(&r->c, r->ids[0], req_form(r, "normalize") ? "1" : "0",
                      req_form(r, "closed") ? "1" : "0", req_form(r, "published") ? "1" : "0", &e);
    done(r, &e);
}

void page_roadshow_criteria(req *r)
{
    err e = {0};
    roadshow_view v;
    if (roadshow_load(&r->c, r->ids[0], &v, &e)) return res_error(r, &e);
    rs_criterion_input *in =
        arena_alloc(r->a, sizeof *in * (size_t)(v.ncriteria ? v.ncriteria : 1));
    for (int i = 0; i < v.ncriteria; i++)
        in[i] = (rs_criterion_input){v.criteria[i].code, NULL, NULL,
                                     req_form(r, arena_printf(r->a, "w_%s", v.criteria[i].code))};
    roadshow_criteria_set(&r->c, r->ids[0], in, v.ncriteria, &e);
    done(r, &e);
}

/* Adds a project, or, with a project_id (the edit form of a listed project), changes its
 * presenter, presenter's organization, order and times. */
void page_roadshow_project_add(req *r)
{
    err e = {0};
    rs_project_input in = {
        req_form(r, "listing_id"), req_form(r, "presenter"),  NULL,
        req_form(r, "order"),      req_form(r, "start_time"), req_form(r, "end_time")};
    const char *po = req_form(r, "presenter_org");
    if (in.order && !*in.order) in.order = NULL;
    const char *pid = req_form(r, "project_id");
    if (pid) {
        int64_t id;
        if (!str_to_i64(pid, 1, INT64_MAX, &id)) {
            err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "project not found");
            return res_error(r, &e);
        }
        in.listing_id = NULL; /* the achievement of a project never changes */
        in.presenter_org = po;
        roadshow_project_update(&r->c, r->ids[0], id, &in, &e);
        return done(r, &e);
    }
    if (po && *po) in.presenter_org = po;
    roadshow_project_create(&r->c, r->ids[0], &in, NULL, &e);
    done(r, &e);
}

void page_roadshow_project_delete(req *r)
{
    err e = {0};
    roadshow_project_delete(&r->c, r->ids[0], r->ids[1], &e);
    done(r, &e);
}

void page_roadshow_judge_add(req *r)
{
    err e = {0};
    roadshow_judge_add(&r->c, r->ids[0], req_form(r, "user"), NULL, &e);
    done(r, &e);
}

void page_roadshow_judge_delete(req *r)
{
    err e = {0};
    roadshow_judge_remove(&r->c, r->ids[0], r->ids[1], &e);
    done(r, &e);
}

/* ---- scoring (a judge, one project per page, phone first) ---- */

static void render_score(req *r, int status, const err *fe, const char *const *codes,
                         const char *const *vals, int nv)
{
    err e = {0};
    roadshow_view v;
    rs_project_rec p;
    json_t *ev = event_head(r, r->ids[0], &e);
    if (!ev || roadshow_load(&r->c, r->ids[0], &v, &e) ||
        roadshow_project_get(&r->c, r->ids[0], r->ids[1], &p, &e)) {
        json_decref(ev);
        return res_error(r, &e);
    }
    err me = {0};
    if (roadshow_may_score(&r->c, &v, &p, &me) && me.code != ERR_CONFLICT) {
        /* not a judge here, or a conflict of interest: say so, and show no form */
        json_decref(ev);
        return res_error(r, &me);
    }
    json_t *mine = roadshow_scores_json(&v, p.id, r->user.id);
    json_t *crit = json_array();
    for (int i = 0; i < v.ncriteria; i++) {
        const rs_criterion_rec *c = &v.criteria[i];
        json_int_t cur = mine ? json_integer_value(json_object_get(mine, c->code)) : 0;
        for (int k = 0; k < nv; k++) /* a failed submission keeps what was chosen */
            if (str_eq(codes[k], c->code)) {
                int64_t x;
                cur = str_to_i64(vals[k], 1, 10, &x) ? x : 0;
            }
        json_t *opts = json_array();
        for (int s = 1; s <= 10; s++)
            json_array_append_new(opts, json_pack("{s:i,s:b,s:s}", "value", s, "checked", cur == s,
                                                  "id", arena_printf(r->a, "s-%s-%d", c->code, s)));
        json_array_append_new(
            crit, json_pack("{s:s,s:s,s:s,s:o,s:b}", "code", c->code, "label", crit_name(r, c),
                            "weight", weight_text(r, c->weight_milli), "options", opts, "bad",
                            fe && fe->code &&
                                str_eq(fe->field, arena_printf(r->a, "scores.%s", c->code))));
    }
    int idx = -1;
    for (int i = 0; i < v.nprojects; i++)
        if (v.projects[i].id == p.id) idx = i;
    json_t *ctx =
        json_pack("{s:o,s:o,s:o,s:b,s:b,s:s,s:i,s:i}", "ev", ev, "p", roadshow_project_json(&p),
                  "criteria", crit, "closed", v.rs.closed, "scored", mine != NULL, "title", p.title,
                  "pos", idx + 1, "total", v.nprojects);
    json_decref(mine);
    if (idx > 0) json_object_set_new(ctx, "prev_id", json_integer(v.projects[idx - 1].id));
    if (idx >= 0 && idx + 1 < v.nprojects)
        json_object_set_new(ctx, "next_id", json_integer(v.projects[idx + 1].id));
    if (fe && fe->code)
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, fe)));
    if (req_query(r, "saved")) json_object_set_new(ctx, "saved", json_true());
    res_page(r, status, "roadshow_score", ctx);
}

void page_roadshow_score_form(req *r)
{
    render_score(r, 200, NULL, NULL, NULL, 0);
}

void page_roadshow_score(req *r)
{
    err e = {0};
    roadshow_view v;
    if (roadshow_load(&r->c, r->ids[0], &v, &e)) return res_error(r, &e);
    const char **codes = arena_alloc(r->a, sizeof(char *) * (size_t)(v.ncriteria + 1));
    const char **vals = arena_alloc(r->a, sizeof(char *) * (size_t)(v.ncriteria + 1));
    for (int i = 0; i < v.ncriteria; i++) {
        codes[i] = v.criteria[i].code;
        vals[i] = req_form(r, arena_printf(r->a, "c_%s", v.criteria[i].code));
    }
    if (roadshow_score_put(&r->c, r->ids[0], r->ids[1], codes, vals, v.ncriteria, &e)) {
        if (e.code == ERR_INVALID || e.code == ERR_CONFLICT)
            return render_score(r, err_http_status(e.code), &e, codes, vals, v.ncriteria);
        return res_error(r, &e);
    }
    const char *next = req_form(r, "next");
    int64_t nid;
    if (next && str_to_i64(next, 1, INT64_MAX, &nid))
        return res_redirect(r, arena_printf(r->a, "/events/%lld/roadshow/projects/%lld/score",
                                            (long long)r->ids[0], (long long)nid));
    res_redirect(r, arena_printf(r->a, "/events/%lld/roadshow/projects/%lld/score?saved=1",
                                 (long long)r->ids[0], (long long)r->ids[1]));
}

/* ---- ranking ---- */

void page_roadshow_ranking(req *r)
{
    err e = {0};
    roadshow_view v;
    roadshow_rank_row *rows;
    json_t *ev = event_head(r, r->ids[0], &e);
    if (!ev || roadshow_ranking(&r->c, r->ids[0], &v, &rows, &e)) {
        json_decref(ev);
        return res_error(r, &e);
    }
    json_t *j = roadshow_ranking_json(&v, rows);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        const roadshow_rank_row *row = &rows[i];
        const rs_project_rec *p = &v.projects[row->project];
        json_object_set_new(
            it, "score_label",
            json_string(arena_printf(r->a, v.rs.normalize ? "%+.3f" : "%.2f", row->score)));
        json_object_set_new(it, "raw_label", json_string(arena_printf(r->a, "%.2f", row->raw)));
        json_object_set_new(
            it, "max_label",
            json_string(arena_printf(r->a, v.rs.normalize ? "%+.3f" : "%.2f", row->max_judge)));
        json_object_set_new(
            it, "org_label",
            json_string(is_en(r) && *p->owner_org_en ? p->owner_org_en : p->owner_org));
    }
    json_object_set_new(j, "ev", ev);
    json_object_set_new(j, "criteria", criteria_view(r, &v));
    json_object_set_new(j, "manage", json_boolean(v.staff));
    json_object_set_new(j, "title", json_string(t(r, "roadshow.ranking.title")));
    json_object_set_new(j, "nav_events", json_true());
    res_page(r, 200, "roadshow_ranking", j);
}

/* ---- the judge's events ---- */

void page_roadshow_judging(req *r)
{
    err e = {0};
    int64_t *ids;
    int n;
    if (roadshow_my_events(&r->c, &ids, &n, &e)) return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        err le = {0};
        json_t *ev = event_head(r, ids[i], &le);
        if (ev) json_array_append_new(items, ev);
    }
    res_page(r, 200, "roadshow_judging",
             json_pack("{s:o,s:b,s:s}", "items", items, "has_items", json_array_size(items) > 0,
                       "title", t(r, "roadshow.judging.title")));
}

/* ---- CSV ---- */

static void csv_field(buf *b, const char *s, bool last)
{
    bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (formula) buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote) buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}

void page_roadshow_csv(req *r)
{
    err e = {0};
    roadshow_view v;
    if (roadshow_load(&r->c, r->ids[0], &v, &e)) return res_error(r, &e);
    if (!v.staff) {
        err_set(&e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers export scores");
        return res_error(r, &e);
    }
    buf_reset(&r->out);
    buf_puts(&r->out, "\xEF\xBB\xBF"); /* UTF-8 BOM: Excel then reads Chinese correctly */
    static const char *head[] = {"order", "project", "org", "presenter", "judge", "judge_email"};
    for (size_t i = 0; i < ARRAY_LEN(head); i++)
        csv_field(&r->out, t(r, arena_printf(r->a, "roadshow.csv.%s", head[i])), false);
    for (int c = 0; c < v.ncriteria; c++)
        csv_field(&r->out,
                  arena_printf(r->a, "%s (×%s)", crit_name(r, &v.criteria[c]),
                               weight_text(r, v.criteria[c].weight_milli)),
                  false);
    csv_field(&r->out, t(r, "roadshow.csv.total"), true);
    double *w = arena_alloc(r->a, sizeof(double) * (size_t)(v.ncriteria + 1));
    int *s = arena_alloc(r->a, sizeof(int) * (size_t)(v.ncriteria + 1));
    for (int c = 0; c < v.ncriteria; c++)
        w[c] = (double)v.criteria[c].weight_milli / 1000.0;
    for (int p = 0; p < v.nprojects; p++) {
        const rs_project_rec *pr = &v.projects[p];
        for (int j = 0; j < v.njudges; j++) {
            json_t *sc = roadshow_scores_json(&v, pr->id, v.judges[j].user_id);
            if (!sc) continue;
            csv_field(&r->out, arena_printf(r->a, "%d", pr->sort), false);
            csv_field(&r->out, pr->title, false);
            csv_field(&r->out, pr->owner_org, false);
            csv_field(&r->out, pr->presenter, false);
            csv_field(&r->out, v.judges[j].name, false);
            csv_field(&r->out, v.judges[j].email, false);
            for (int c = 0; c < v.ncriteria; c++) {
                s[c] = (int)json_integer_value(json_object_get(sc, v.criteria[c].code));
                csv_field(&r->out, s[c] ? arena_printf(r->a, "%d", s[c]) : "", false);
            }
            double tot = roadshow_judge_total(w, s, v.ncriteria);
            csv_field(&r->out, tot < 0 ? "" : arena_printf(r->a, "%.3f", tot), true);
            json_decref(sc);
        }
    }
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    res_header(r, "Content-Disposition",
               arena_printf(r->a, "attachment; filename=\"event-%lld-roadshow-scores.csv\"",
                            (long long)r->ids[0]));
    res_header(r, "Cache-Control", "no-store");
}
