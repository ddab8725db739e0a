/* api_roadshow.c — the roadshow judging API under /api/v1/events/:id/roadshow: the same domain
 * calls as the roadshow pages (page_roadshow.c serves the CSV to both). */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

static bool need_object(req *r, err *e)
{
    if (json_is_object(r->json)) return true;
    err_set(e, ERR_INVALID, NULL, "err.json_object",
            "send a JSON object with Content-Type: application/json");
    return false;
}

/* Text of a JSON scalar for domain input; NULL when absent; *bad for arrays and objects. */
static const char *scalar(req *r, json_t *obj, const char *key, bool *bad)
{
    json_t *v = json_object_get(obj, key);
    if (!v) return NULL;
    if (json_is_null(v)) return "";
    if (json_is_string(v)) return arena_strndup(r->a, json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) return arena_printf(r->a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_printf(r->a, "%.6g", json_real_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "1" : "0";
    *bad = true;
    return NULL;
}

static err_code fields(req *r, json_t *obj, const char *const *keys, const char ***dst, size_t n,
                       err *e)
{
    for (size_t i = 0; i < n; i++) {
        bool bad = false;
        const char *v = scalar(r, obj, keys[i], &bad);
        if (bad)
            return err_set(e, ERR_INVALID, keys[i], "err.type", "%s has the wrong type", keys[i]);
        *dst[i] = v;
    }
    return ERR_OK;
}

json_t *roadshow_project_json(const rs_project_rec *p)
{
    return json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:{s:I,s:s,s:s}}", "id",
                     (json_int_t)p->id, "event_id", (json_int_t)p->event_id, "listing_id",
                     (json_int_t)p->listing_id, "title", p->title, "presenter", p->presenter,
                     "presenter_org", p->presenter_org, "order", p->sort, "start_time",
                     p->start_time, "end_time", p->end_time, "owner_org", "id",
                     (json_int_t)p->owner_org_id, "name", p->owner_org, "name_en", p->owner_org_en);
}

json_t *roadshow_criterion_json(const rs_criterion_rec *c)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:f,s:i}", "id", (json_int_t)c->id, "code", c->code, "name",
                     c->name, "name_en", c->name_en, "weight", (double)c->weight_milli / 1000.0,
                     "sort", c->sort);
}

/* {"uniqueness": 8, …} of one judge's scores for a project; NULL when they have none. */
json_t *roadshow_scores_json(const roadshow_view *v, int64_t project_id, int64_t judge_id)
{
    json_t *o = NULL;
    for (int k = 0; k < v->nscores; k++) {
        const rs_score_rec *s = &v->scores[k];
        if (s->project_id != project_id || s->judge_id != judge_id) continue;
        for (int i = 0; i < v->ncriteria; i++)
            if (v->criteria[i].id == s->criterion_id) {
                if (!o) o = json_object();
                json_object_set_new(o, v->criteria[i].code, json_integer(s->score));
            }
    }
    return o;
}

static json_t *overview(req *r, const roadshow_view *v)
{
    json_t *crit = json_array(), *projects = json_array();
    for (int i = 0; i < v->ncriteria; i++)
        json_array_append_new(crit, roadshow_criterion_json(&v->criteria[i]));
    for (int i = 0; i < v->nprojects; i++) {
        json_t *p = roadshow_project_json(&v->projects[i]);
        if (v->judge) {
            json_t *mine = roadshow_scores_json(v, v->projects[i].id, r->user.id);
            json_object_set_new(p, "my_scores", mine ? mine : json_null());
            json_object_set_new(
                p, "conflict",
                json_boolean(roadshow_conflict(r->user.org_id, v->projects[i].owner_org_id)));
        }
        json_array_append_new(projects, p);
    }
    json_t *o =
        json_pack("{s:I,s:b,s:b,s:b,s:o,s:o,s:b}", "event_id", (json_int_t)v->rs.event_id,
                  "normalize", v->rs.normalize, "closed", v->rs.closed, "published",
                  v->rs.published, "criteria", crit, "projects", projects, "is_judge", v->judge);
    if (v->staff) {
        json_t *judges = json_array();
        for (int i = 0; i < v->njudges; i++) {
            const rs_judge_rec *j = &v->judges[i];
            int done = 0;
            for (int p = 0; p < v->nprojects; p++) {
                json_t *s = roadshow_scores_json(v, v->projects[p].id, j->user_id);
                if (s && (int)json_object_size(s) == v->ncriteria) done++;
                json_decref(s);
            }
            json_array_append_new(
                judges, json_pack("{s:I,s:s,s:s,s:o,s:s,s:i}", "user_id", (json_int_t)j->user_id,
                                  "name", j->name, "email", j->email, "org_id",
                                  j->org_id ? json_integer(j->org_id) : json_null(), "org_name",
                                  j->org_name, "scored", done));
        }
        json_object_set_new(o, "judges", judges);
    }
    return o;
}

static void respond_overview(req *r, int status)
{
    err e = {0};
    roadshow_view v;
    if (roadshow_load(&r->c, r->ids[0], &v, &e)) return res_error(r, &e);
    res_json(r, status, overview(r, &v));
}

void api_roadshow_get(req *r)
{
    respond_overview(r, 200);
}

void api_roadshow_settings(req *r)
{
    err e = {0};
    if (!need_object(r, &e)) return res_error(r, &e);
    const char *normalize = NULL, *closed = NULL, *published = NULL;
    static const char *const keys[] = {"normalize", "closed", "published"};
    const char **dst[] = {&normalize, &closed, &published};
    if (fields(r, r->json, keys, dst, 3, &e) ||
        roadshow_settings(&r->c, r->ids[0], normalize, closed, published, &e))
        return res_error(r, &e);
    respond_overview(r, 200);
}

void api_roadshow_criteria(req *r)
{
    err e = {0};
    json_t *arr = json_is_array(r->json) ? r->json : json_object_get(r->json, "criteria");
    if (!json_is_array(arr)) {
        err_set(&e, ERR_INVALID, "criteria", "err.type",
                "send {\"criteria\": [{\"code\", \"name\", \"name_en\", \"weight\"}, …]}");
        return res_error(r, &e);
    }
    size_t n = json_array_size(arr);
    rs_criterion_input *in = arena_alloc(r->a, sizeof *in * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            err_set(&e, ERR_INVALID, "criteria", "err.type", "criteria[%zu] is not an object", i);
            return res_error(r, &e);
        }
        static const char *const keys[] = {"code", "name", "name_en", "weight"};
        memset(&in[i], 0, sizeof in[i]);
        const char **dst[] = {&in[i].code, &in[i].name, &in[i].name_en, &in[i].weight};
        if (fields(r, o, keys, dst, 4, &e)) return res_error(r, &e);
    }
    if (roadshow_criteria_set(&r->c, r->ids[0], in, (int)n, &e)) return res_error(r, &e);
    respond_overview(r, 200);
}

static err_code project_input(req *r, rs_project_input *in, err *e)
{
    static const char *const keys[] = {"listing_id", "presenter",  "presenter_org",
                                       "order",      "start_time", "end_time"};
    const char **dst[] = {&in->listing_id, &in->presenter,  &in->presenter_org,
                          &in->order,      &in->start_time, &in->end_time};
    return fields(r, r->json, keys, dst, 6, e);
}

static void respond_project(req *r, int status, int64_t id)
{
    err e = {0};
    rs_project_rec p;
    if (roadshow_project_get(&r->c, r->ids[0], id, &p, &e)) return res_error(r, &e);
    res_json(r, status, roadshow_project_json(&p));
}

void api_roadshow_project_create(req *r)
{
    err e = {0};
    rs_project_input in = {0};
    int64_t id;
    if (!need_object(r, &e) || project_input(r, &in, &e) ||
        roadshow_project_create(&r->c, r->ids[0], &in, &id, &e))
        return res_error(r, &e);
    res_header(r, "Location",
               arena_printf(r->a, "/api/v1/events/%lld/roadshow/projects/%lld",
                            (long long)r->ids[0], (long long)id));
    respond_project(r, 201, id);
}

void api_roadshow_project_get(req *r)
{
    respond_project(r, 200, r->ids[1]);
}

void api_roadshow_project_update(req *r)
{
    err e = {0};
    rs_project_input in = {0};
    if (!need_object(r, &e) || project_input(r, &in, &e)) return res_error(r, &e);
    if (in.listing_id) {
        err_set(&e, ERR_INVALID, "listing_id", "roadshow.err.listing_fixed",
                "a project's achievement cannot change; delete the project and add another");
        return res_error(r, &e);
    }
    if (roadshow_project_update(&r->c, r->ids[0], r->ids[1], &in, &e)) return res_error(r, &e);
    respond_project(r, 200, r->ids[1]);
}

void api_roadshow_project_delete(req *r)
{
    err e = {0};
    if (roadshow_project_delete(&r->c, r->ids[0], r->ids[1], &e)) return res_error(r, &e);
    res_json(r, 200, json_pack("{s:b}", "deleted", 1));
}

void api_roadshow_judge_add(req *r)
{
    err e = {0};
    const char *who = NULL;
    static const char *const keys[] = {"user"};
    const char **dst[] = {&who};
    int64_t uid;
    if (!need_object(r, &e) || fields(r, r->json, keys, dst, 1, &e)) return res_error(r, &e);
    if (!who) { /* also accept user_id or email */
        bool bad = false;
        who = scalar(r, r->json, "user_id", &bad);
        if (!who) who = scalar(r, r->json, "email", &bad);
    }
    if (roadshow_judge_add(&r->c, r->ids[0], who, &uid, &e)) return res_error(r, &e);
    respond_overview(r, 201);
}

void api_roadshow_judge_remove(req *r)
{
    err e = {0};
    if (roadshow_judge_remove(&r->c, r->ids[0], r->ids[1], &e)) return res_error(r, &e);
    respond_overview(r, 200);
}

/* The scores of a project: a judge gets their own ({"scores": {…} or null}); staff get every
 * judge's ({"judges": [{user_id, name, scores}]}). */
static void respond_scores(req *r, int status)
{
    err e = {0};
    roadshow_view v;
    rs_project_rec p;
    if (roadshow_load(&r->c, r->ids[0], &v, &e) ||
        roadshow_project_get(&r->c, r->ids[0], r->ids[1], &p, &e))
        return res_error(r, &e);
    if (!v.staff && !v.judge) {
        err_set(&e, ERR_FORBIDDEN, NULL, "roadshow.err.not_judge",
                "you are not a judge of this roadshow");
        return res_error(r, &e);
    }
    json_t *o = json_pack("{s:o,s:b}", "project", roadshow_project_json(&p), "closed", v.rs.closed);
    if (v.judge) {
        json_t *mine = roadshow_scores_json(&v, p.id, r->user.id);
        json_object_set_new(o, "scores", mine ? mine : json_null());
        json_object_set_new(o, "conflict",
                            json_boolean(roadshow_conflict(r->user.org_id, p.owner_org_id)));
    }
    if (v.staff) {
        json_t *arr = json_array();
        for (int i = 0; i < v.njudges; i++) {
            json_t *s = roadshow_scores_json(&v, p.id, v.judges[i].user_id);
            json_array_append_new(arr, json_pack("{s:I,s:s,s:o}", "user_id",
                                                 (json_int_t)v.judges[i].user_id, "name",
                                                 v.judges[i].name, "scores", s ? s : json_null()));
        }
        json_object_set_new(o, "judges", arr);
    }
    res_json(r, status, o);
}

void api_roadshow_scores_get(req *r)
{
    respond_scores(r, 200);
}

void api_roadshow_scores_put(req *r)
{
    err e = {0};
    if (!need_object(r, &e)) return res_error(r, &e);
    json_t *s = json_object_get(r->json, "scores");
    if (!json_is_object(s)) {
        err_set(&e, ERR_INVALID, "scores", "err.type",
                "send {\"scores\": {\"uniqueness\": 8, …}} with a whole number 1–10 per criterion");
        return res_error(r, &e);
    }
    size_t n = json_object_size(s);
    const char **codes = arena_alloc(r->a, sizeof(char *) * (n ? n : 1));
    const char **vals = arena_alloc(r->a, sizeof(char *) * (n ? n : 1));
    const char *key;
    json_t *val;
    int i = 0;
    json_object_foreach(s, key, val)
    {
        codes[i] = arena_strdup(r->a, key);
        if (json_is_integer(val))
            vals[i] = arena_printf(r->a, "%lld", (long long)json_integer_value(val));
        else if (json_is_string(val))
            vals[i] = arena_strdup(r->a, json_string_value(val));
        else
            vals[i] = "x"; /* a real, boolean or null: not a whole number 1–10 */
        i++;
    }
    if (roadshow_score_put(&r->c, r->ids[0], r->ids[1], codes, vals, i, &e))
        return res_error(r, &e);
    respond_scores(r, 200);
}

json_t *roadshow_ranking_json(const roadshow_view *v, const roadshow_rank_row *rows)
{
    json_t *items = json_array();
    for (int i = 0; i < v->nprojects; i++) {
        const roadshow_rank_row *row = &rows[i];
        json_array_append_new(
            items, json_pack("{s:i,s:o,s:f,s:f,s:f,s:i,s:b}", "rank", row->rank, "project",
                             roadshow_project_json(&v->projects[row->project]), "score", row->score,
                             "raw", row->raw, "max_judge", row->max_judge, "judges", row->njudges,
                             "scored", row->njudges > 0));
    }
    return json_pack("{s:o,s:b,s:b,s:b,s:i,s:s}", "items", items, "normalize", v->rs.normalize,
                     "closed", v->rs.closed, "published", v->rs.published, "judges", v->njudges,
                     "tie_break", "max_judge desc, judges desc, order asc");
}

void api_roadshow_ranking(req *r)
{
    err e = {0};
    roadshow_view v;
    roadshow_rank_row *rows;
    if (roadshow_ranking(&r->c, r->ids[0], &v, &rows, &e)) return res_error(r, &e);
    res_json(r, 200, roadshow_ranking_json(&v, rows));
}
