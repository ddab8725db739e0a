/* roadshow.c — roadshow judging (路演评审): criteria and weights, projects, judges, scores with
 * the conflict-of-interest rule, and the ranking (formula and tie-break in domain.h).
 *
 * Order of checks, the same on every roadshow page and API call (docs/API.md "Roadshow
 * judging"): 1. signed in, when the route needs it (401 JSON / 303 to /login for pages);
 * 2. the route's role (403: organizer routes for staff, scoring for experts); 3. CSRF on writes
 * (403); 4. the event exists and is visible to the viewer (404; a draft is visible to staff
 * only); 5. the project belongs to the event (404); 6. the viewer's right to this object (403:
 * not an assigned judge, conflict of interest, unpublished ranking to a signed-in non-staff
 * user); 7. state (409: scoring closed, criteria locked once scored); 8. the input (422, with
 * error.field). GETs never write: the default criteria are stored on the first organizer write. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/domain.h"

enum { MAX_CRITERIA = 12, MAX_NAME = 60, MAX_JUDGES_MATH = 64 };

static const struct {
    const char *code, *name, *name_en;
} default_criteria[] = {
    {"uniqueness", "独特性", "Uniqueness"},     {"novelty", "新颖性", "Novelty"},
    {"advancement", "先进性", "Advancement"},   {"maturity", "成熟度", "Maturity"},
    {"market", "市场前景", "Market prospects"},
};

/* ---- the math (pure) ---- */

bool roadshow_conflict(int64_t judge_org, int64_t owner_org)
{
    return judge_org != 0 && judge_org == owner_org;
}

double roadshow_judge_total(const double *weights, const int *scores, int n)
{
    double sum = 0, wsum = 0;
    for (int c = 0; c < n; c++) {
        if (scores[c] < 1 || scores[c] > 10) return -1;
        sum += weights[c] * scores[c];
        wsum += weights[c];
    }
    return n > 0 && wsum > 0 ? sum / wsum : -1;
}

static int cmp_dbl(double a, double b)
{
    if (fabs(a - b) < 1e-9) return 0;
    return a < b ? -1 : 1;
}

static int cmp_rows(const void *pa, const void *pb, void *ctx)
{
    const roadshow_rank_row *a = pa, *b = pb;
    const roadshow_math *sort_math = ctx;
    if ((a->njudges > 0) != (b->njudges > 0)) return a->njudges > 0 ? -1 : 1;
    int c = cmp_dbl(b->score, a->score);
    if (!c) c = cmp_dbl(b->max_judge, a->max_judge);
    if (!c) c = b->njudges - a->njudges;
    if (!c) c = sort_math->order[a->project] - sort_math->order[b->project];
    if (!c) c = a->project - b->project;
    return c;
}

void roadshow_rank(const roadshow_math *m, roadshow_rank_row *out)
{
    int nj = m->njudges < MAX_JUDGES_MATH ? m->njudges : MAX_JUDGES_MATH;
    double mu[MAX_JUDGES_MATH], sd[MAX_JUDGES_MATH];
    for (int j = 0; j < nj; j++) { /* each judge's mean and spread over what they scored */
        double s = 0, s2 = 0;
        int k = 0;
        for (int p = 0; p < m->nprojects; p++) {
            double t = roadshow_judge_total(
                m->weights,
                m->scores + ((size_t)p * (size_t)m->njudges + (size_t)j) * (size_t)m->ncriteria,
                m->ncriteria);
            if (t < 0) continue;
            s += t;
            s2 += t * t;
            k++;
        }
        mu[j] = k ? s / k : 0;
        double var = k ? s2 / k - mu[j] * mu[j] : 0;
        sd[j] = k >= 2 && var > 1e-12 ? sqrt(var) : 0;
    }
    for (int p = 0; p < m->nprojects; p++) {
        roadshow_rank_row *r = &out[p];
        memset(r, 0, sizeof *r);
        r->project = p;
        double sum = 0, raw = 0;
        for (int j = 0; j < nj; j++) {
            double t = roadshow_judge_total(
                m->weights,
                m->scores + ((size_t)p * (size_t)m->njudges + (size_t)j) * (size_t)m->ncriteria,
                m->ncriteria);
            if (t < 0) continue;
            double v = t;
            if (m->normalize) v = sd[j] > 0 ? (t - mu[j]) / sd[j] : 0;
            if (r->njudges == 0 || v > r->max_judge) r->max_judge = v;
            sum += v;
            raw += t;
            r->njudges++;
        }
        if (r->njudges) {
            r->score = sum / r->njudges;
            r->raw = raw / r->njudges;
        }
    }
    qsort_r(out, (size_t)m->nprojects, sizeof *out, cmp_rows, (void *)m);
    for (int i = 0; i < m->nprojects; i++)
        out[i].rank = i + 1;
}

/* ---- helpers ---- */

static char *clean(arena *a, const char *v)
{
    return v ? str_trim(arena_strdup(a, v)) : NULL;
}

static int64_t actor(const dctx *c)
{
    return c->user ? c->user->id : 0;
}

static err_code need_staff(const dctx *c, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers manage roadshows");
    return ERR_OK;
}

static err_code check_text(const char *field, const char *v, bool required, size_t max, err *e)
{
    if (!v || !*v) {
        if (required)
            return err_set(e, ERR_INVALID, field, "err.required", "%s is required", field);
        return ERR_OK;
    }
    if (!utf8_valid_text(v, strlen(v)))
        return err_set(e, ERR_INVALID, field, "err.utf8", "%s is not valid UTF-8 text", field);
    if (utf8_count(v) > max)
        return err_set(e, ERR_INVALID, field, "err.too_long", "%s is longer than %zu characters",
                       field, max);
    return ERR_OK;
}

static bool hhmm_valid(const char *s)
{
    if (strlen(s) != 5 || s[2] != ':') return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && !isdigit((unsigned char)s[i])) return false;
    int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
    return h < 24 && m < 60;
}

static int flag(const char *v)
{
    if (!v) return -1;
    if (str_eq(v, "1") || str_eq(v, "true") || str_eq(v, "on") || str_eq(v, "yes")) return 1;
    if (str_eq(v, "0") || str_eq(v, "false") || str_eq(v, "off") || str_eq(v, "no") || !*v)
        return 0;
    return -2;
}

/* A weight "1", "0.25", "1.5" → thousandths; false unless 0 < w ≤ 1000 with ≤ 3 decimals. */
static bool parse_weight(const char *s, int64_t *milli)
{
    if (!s || !*s) return false;
    int64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    const char *p = s;
    for (; isdigit((unsigned char)*p); p++, nd++)
        if ((whole = whole * 10 + (*p - '0')) > 1000) return false;
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, nf++)
            if (nf >= 3)
                return false;
            else
                frac = frac * 10 + (*p - '0');
    }
    if (*p || (nd == 0 && nf == 0)) return false;
    while (nf++ < 3)
        frac *= 10;
    *milli = whole * 1000 + frac;
    return *milli > 0 && *milli <= 1000000;
}

static err_code ensure(dctx *c, int64_t event_id, err *e)
{
    bool created = false;
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_insert(c->db, event_id, &created, e)) goto fail;
    for (size_t i = 0; created && i < ARRAY_LEN(default_criteria); i++) {
        rs_criterion_rec cr = {.event_id = event_id,
                               .code = default_criteria[i].code,
                               .name = default_criteria[i].name,
                               .name_en = default_criteria[i].name_en,
                               .weight_milli = 1000,
                               .sort = (int)i + 1};
        if (store_roadshow_criterion_insert(c->db, &cr, NULL, e)) goto fail;
    }
    if (db_commit(c->db, e)) goto fail;
    return ERR_OK;
fail:
    db_rollback(c->db);
    return e->code;
}

/* Reads never write: an event whose roadshow nobody has set up yet is shown with the default
 * criteria (id 0, not stored); the first organizer write stores them (load_for_write). */
err_code roadshow_load(dctx *c, int64_t event_id, roadshow_view *v, err *e)
{
    memset(v, 0, sizeof *v);
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    err_code rc = store_roadshow_get(c->db, c->a, event_id, &v->rs, e);
    if (rc == ERR_NOT_FOUND) {
        *e = (err){0};
        v->rs = (roadshow_rec){.event_id = event_id, .updated_at = ""};
        v->ncriteria = (int)ARRAY_LEN(default_criteria);
        v->criteria = arena_alloc(c->a, sizeof *v->criteria * ARRAY_LEN(default_criteria));
        for (int i = 0; i < v->ncriteria; i++)
            v->criteria[i] = (rs_criterion_rec){.event_id = event_id,
                                                .code = default_criteria[i].code,
                                                .name = default_criteria[i].name,
                                                .name_en = default_criteria[i].name_en,
                                                .weight_milli = 1000,
                                                .sort = i + 1};
    } else if (rc ||
               store_roadshow_criteria(c->db, c->a, event_id, &v->criteria, &v->ncriteria, e)) {
        return e->code;
    }
    if (store_roadshow_projects(c->db, c->a, event_id, &v->projects, &v->nprojects, e))
        return e->code;
    v->staff = dctx_is_staff(c);
    if (c->user && !v->staff && store_roadshow_is_judge(c->db, event_id, c->user->id, &v->judge, e))
        return e->code;
    if (v->staff) {
        if (store_roadshow_judges(c->db, c->a, event_id, &v->judges, &v->njudges, e) ||
            store_roadshow_scores(c->db, c->a, event_id, 0, 0, &v->scores, &v->nscores, e))
            return e->code;
    } else if (v->judge) {
        if (store_roadshow_scores(c->db, c->a, event_id, 0, c->user->id, &v->scores, &v->nscores,
                                  e))
            return e->code;
    }
    return ERR_OK;
}

/* An organizer write: the event must be visible, then its roadshow row and default criteria
 * are stored if this is the first write, then loaded. */
static err_code load_for_write(dctx *c, int64_t event_id, roadshow_view *v, err *e)
{
    event_rec ev;
    if (event_get(c, event_id, &ev, e) || ensure(c, event_id, e)) return e->code;
    return roadshow_load(c, event_id, v, e);
}

static err_code history(dctx *c, int64_t event_id, const char *action, const char *detail, err *e)
{
    return store_history_add(c->db, "event", event_id, actor(c), action, detail ? detail : "", e);
}

err_code roadshow_settings(dctx *c, int64_t event_id, const char *normalize, const char *closed,
                           const char *published, err *e)
{
    if (need_staff(c, e)) return e->code;
    roadshow_view v;
    if (load_for_write(c, event_id, &v, e)) return e->code;
    const struct {
        const char *name, *val;
        bool *dst;
    } fl[] = {{"normalize", normalize, &v.rs.normalize},
              {"closed", closed, &v.rs.closed},
              {"published", published, &v.rs.published}};
    for (size_t i = 0; i < ARRAY_LEN(fl); i++) {
        int f = flag(fl[i].val);
        if (f == -2)
            return err_set(e, ERR_INVALID, fl[i].name, "err.choice", "%s must be true or false",
                           fl[i].name);
        if (f >= 0) *fl[i].dst = f == 1;
    }
    const char *detail =
        arena_printf(c->a, "{\"normalize\":%s,\"closed\":%s,\"published\":%s}",
                     v.rs.normalize ? "true" : "false", v.rs.closed ? "true" : "false",
                     v.rs.published ? "true" : "false");
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_set(c->db, &v.rs, e) ||
        history(c, event_id, "roadshow_settings", detail, e) || db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

/* ---- criteria ---- */

static bool code_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 30) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

err_code roadshow_criteria_set(dctx *c, int64_t event_id, const rs_criterion_input *in, int n,
                               err *e)
{
    if (need_staff(c, e)) return e->code;
    roadshow_view v;
    if (load_for_write(c, event_id, &v, e)) return e->code;
    if (n < 1) return err_set(e, ERR_INVALID, "criteria", "err.required", "criteria is required");
    if (n > MAX_CRITERIA)
        return err_set(e, ERR_INVALID, "criteria", "err.too_many", "at most %d criteria",
                       MAX_CRITERIA);
    rs_criterion_rec *next = arena_alloc(c->a, sizeof *next * (size_t)n);
    for (int i = 0; i < n; i++) {
        rs_criterion_rec *r = &next[i];
        memset(r, 0, sizeof *r);
        r->event_id = event_id;
        r->code = clean(c->a, in[i].code);
        r->sort = i + 1;
        if (!r->code || !code_valid(r->code))
            return err_set(e, ERR_INVALID, "code", "roadshow.err.code",
                           "criterion %d: code must be 1–30 of a-z 0-9 _", i + 1);
        for (int k = 0; k < i; k++)
            if (str_eq(next[k].code, r->code))
                return err_set(e, ERR_INVALID, "code", "roadshow.err.code_dup",
                               "criterion code '%s' given twice", r->code);
        for (int k = 0; k < v.ncriteria; k++)
            if (str_eq(v.criteria[k].code, r->code)) {
                r->id = v.criteria[k].id;
                r->name = v.criteria[k].name;
                r->name_en = v.criteria[k].name_en;
            }
        if (in[i].name) r->name = clean(c->a, in[i].name);
        if (in[i].name_en) r->name_en = clean(c->a, in[i].name_en);
        if (check_text("name", r->name, true, MAX_NAME, e) ||
            check_text("name_en", r->name_en, false, MAX_NAME * 2, e))
            return e->code;
        if (!r->name_en) r->name_en = "";
        const char *w = clean(c->a, in[i].weight);
        if (!w || !*w) {
            if (!r->id)
                return err_set(e, ERR_INVALID, "weight", "err.required", "weight is required");
            for (int k = 0; k < v.ncriteria; k++)
                if (v.criteria[k].id == r->id) r->weight_milli = v.criteria[k].weight_milli;
        } else if (!parse_weight(w, &r->weight_milli)) {
            return err_set(e, ERR_INVALID, "weight", "roadshow.err.weight",
                           "weight of '%s' must be a positive number (up to 3 decimals, ≤ 1000)",
                           r->code);
        }
    }
    /* once scored, the set of criteria is fixed: a score must always mean the same thing */
    bool same = n == v.ncriteria;
    for (int i = 0; same && i < n; i++)
        same = next[i].id != 0;
    if (!same && v.nscores > 0)
        return err_set(e, ERR_CONFLICT, "criteria", "roadshow.err.criteria_locked",
                       "judges have scored already: only names and weights may change");
    buf d = {0};
    buf_puts(&d, "{");
    if (db_begin(c->db, e)) return e->code;
    for (int k = 0; k < v.ncriteria; k++) {
        bool keep = false;
        for (int i = 0; i < n; i++)
            keep |= next[i].id == v.criteria[k].id;
        if (!keep && store_roadshow_criterion_delete(c->db, v.criteria[k].id, e)) goto fail;
    }
    for (int i = 0; i < n; i++) {
        if (next[i].id ? store_roadshow_criterion_update(c->db, &next[i], e)
                       : store_roadshow_criterion_insert(c->db, &next[i], NULL, e))
            goto fail;
        buf_printf(&d, "%s\"%s\":%.3f", i ? "," : "", next[i].code,
                   (double)next[i].weight_milli / 1000.0);
    }
    buf_puts(&d, "}");
    if (history(c, event_id, "roadshow_criteria", d.s, e) || db_commit(c->db, e)) goto fail;
    buf_free(&d);
    return ERR_OK;
fail:
    buf_free(&d);
    db_rollback(c->db);
    return e->code;
}

/* ---- projects ---- */

err_code roadshow_project_get(dctx *c, int64_t event_id, int64_t id, rs_project_rec *p, err *e)
{
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    err_code rc = store_roadshow_project_get(c->db, c->a, id, p, e);
    if (rc == ERR_OK && p->event_id != event_id)
        rc = err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "project %lld not found",
                     (long long)id);
    return rc;
}

static err_code project_apply(dctx *c, const rs_project_input *in, rs_project_rec *p, err *e)
{
    arena *a = c->a;
    if (in->presenter) p->presenter = clean(a, in->presenter);
    if (in->presenter_org) p->presenter_org = clean(a, in->presenter_org);
    if (in->start_time) p->start_time = clean(a, in->start_time);
    if (in->end_time) p->end_time = clean(a, in->end_time);
    if (check_text("presenter", p->presenter, true, MAX_NAME, e) ||
        check_text("presenter_org", p->presenter_org, false, 100, e))
        return e->code;
    if (in->order) {
        const char *o = clean(a, in->order);
        int64_t v;
        if (!str_to_i64(o, 1, 1000, &v))
            return err_set(e, ERR_INVALID, "order", "roadshow.err.order",
                           "order must be a whole number 1–1000");
        p->sort = (int)v;
    }
    if (*p->start_time && !hhmm_valid(p->start_time))
        return err_set(e, ERR_INVALID, "start_time", "event.err.time", "start_time must be HH:MM");
    if (*p->end_time && !hhmm_valid(p->end_time))
        return err_set(e, ERR_INVALID, "end_time", "event.err.time", "end_time must be HH:MM");
    if (*p->start_time && *p->end_time && strcmp(p->start_time, p->end_time) >= 0)
        return err_set(e, ERR_INVALID, "end_time", "event.err.end_before_start",
                       "end_time must be after start_time");
    return ERR_OK;
}

err_code roadshow_project_create(dctx *c, int64_t event_id, const rs_project_input *in, int64_t *id,
                                 err *e)
{
    if (need_staff(c, e)) return e->code;
    roadshow_view v;
    if (load_for_write(c, event_id, &v, e)) return e->code;
    rs_project_rec p = {
        .event_id = event_id, .presenter_org = "", .start_time = "", .end_time = ""};
    const char *lid = clean(c->a, in->listing_id);
    listing_rec l;
    err le = {0};
    if (!lid || !*lid)
        return err_set(e, ERR_INVALID, "listing_id", "err.required", "listing_id is required");
    if (!str_to_i64(lid, 1, INT64_MAX, &p.listing_id) ||
        store_listing_get(c->db, c->a, p.listing_id, &l, &le) || !str_eq(l.kind, "achievement") ||
        !str_eq(l.status, "published"))
        return err_set(e, ERR_INVALID, "listing_id", "roadshow.err.listing",
                       "listing '%.20s' is not a published achievement", lid);
    p.presenter_org = l.org_name;
    p.sort = v.nprojects ? v.projects[v.nprojects - 1].sort + 1 : 1;
    if (project_apply(c, in, &p, e)) return e->code;
    int64_t nid;
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_project_insert(c->db, &p, &nid, e) ||
        history(c, event_id, "roadshow_project_add",
                arena_printf(c->a, "{\"project\":%lld,\"listing\":%lld}", (long long)nid,
                             (long long)p.listing_id),
                e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (id) *id = nid;
    return ERR_OK;
}

err_code roadshow_project_update(dctx *c, int64_t event_id, int64_t id, const rs_project_input *in,
                                 err *e)
{
    if (need_staff(c, e)) return e->code;
    rs_project_rec p;
    if (roadshow_project_get(c, event_id, id, &p, e) || project_apply(c, in, &p, e)) return e->code;
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_project_update(c->db, &p, e) ||
        history(c, event_id, "roadshow_project_update",
                arena_printf(c->a, "{\"project\":%lld}", (long long)id), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code roadshow_project_delete(dctx *c, int64_t event_id, int64_t id, err *e)
{
    if (need_staff(c, e)) return e->code;
    rs_project_rec p;
    if (roadshow_project_get(c, event_id, id, &p, e)) return e->code;
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_project_delete(c->db, id, e) ||
        history(c, event_id, "roadshow_project_delete",
                arena_printf(c->a, "{\"project\":%lld}", (long long)id), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

/* ---- judges ---- */

err_code roadshow_judge_add(dctx *c, int64_t event_id, const char *who, int64_t *user_id, err *e)
{
    if (need_staff(c, e)) return e->code;
    roadshow_view v;
    if (load_for_write(c, event_id, &v, e)) return e->code;
    const char *w = clean(c->a, who);
    if (!w || !*w) return err_set(e, ERR_INVALID, "user", "err.required", "user is required");
    user_rec u;
    int64_t uid;
    err le = {0};
    err_code rc = str_to_i64(w, 1, INT64_MAX, &uid) ? store_user_get(c->db, c->a, uid, &u, &le)
                                                    : store_user_by_email(c->db, c->a, w, &u, &le);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "user", "roadshow.err.no_user", "no user '%.60s'", w);
    if (rc) return err_set(e, rc, NULL, NULL, "%s", le.msg);
    if (!str_eq(u.role, "expert") || u.disabled)
        return err_set(e, ERR_INVALID, "user", "roadshow.err.not_expert",
                       "%s is not an active expert: judges must have the expert role", u.email);
    bool added;
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_judge_add(c->db, event_id, u.id, &added, e) ||
        (added && history(c, event_id, "roadshow_judge_add",
                          arena_printf(c->a, "{\"user\":%lld}", (long long)u.id), e)) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (user_id) *user_id = u.id;
    return ERR_OK;
}

err_code roadshow_judge_remove(dctx *c, int64_t event_id, int64_t user_id, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    if (db_begin(c->db, e)) return e->code;
    if (store_roadshow_judge_remove(c->db, event_id, user_id, e) ||
        history(c, event_id, "roadshow_judge_remove",
                arena_printf(c->a, "{\"user\":%lld}", (long long)user_id), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

/* ---- scores ---- */

err_code roadshow_may_score(dctx *c, const roadshow_view *v, const rs_project_rec *p, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!v->judge)
        return err_set(e, ERR_FORBIDDEN, NULL, "roadshow.err.not_judge",
                       "you are not a judge of this roadshow");
    if (roadshow_conflict(c->user->org_id, p->owner_org_id))
        return err_set(e, ERR_FORBIDDEN, NULL, "roadshow.err.conflict",
                       "conflict of interest: your organization owns this project, so you may "
                       "not score it");
    if (v->rs.closed)
        return err_set(e, ERR_CONFLICT, NULL, "roadshow.err.closed",
                       "the organizer has closed scoring");
    return ERR_OK;
}

err_code roadshow_score_put(dctx *c, int64_t event_id, int64_t project_id, const char **codes,
                            const char **values, int n, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    roadshow_view v;
    rs_project_rec p;
    if (roadshow_load(c, event_id, &v, e) || roadshow_project_get(c, event_id, project_id, &p, e) ||
        roadshow_may_score(c, &v, &p, e))
        return e->code;
    int *sc = arena_alloc(c->a, sizeof(int) * (size_t)(v.ncriteria ? v.ncriteria : 1));
    for (int k = 0; k < n; k++) {
        bool known = false;
        for (int i = 0; i < v.ncriteria; i++)
            known |= str_eq(codes[k], v.criteria[i].code);
        if (!known)
            return err_set(e, ERR_INVALID, arena_printf(c->a, "scores.%.30s", codes[k]),
                           "roadshow.err.unknown_criterion", "no criterion '%.30s'", codes[k]);
    }
    for (int i = 0; i < v.ncriteria; i++) {
        const char *val = NULL;
        for (int k = 0; k < n; k++)
            if (str_eq(codes[k], v.criteria[i].code)) val = values[k];
        const char *field = arena_printf(c->a, "scores.%s", v.criteria[i].code);
        int64_t s;
        if (!val || !*val)
            return err_set(e, ERR_INVALID, field, "roadshow.err.score_missing",
                           "score for %s is required", v.criteria[i].code);
        if (!str_to_i64(val, 1, 10, &s))
            return err_set(e, ERR_INVALID, field, "roadshow.err.score",
                           "score for %s must be a whole number 1–10", v.criteria[i].code);
        sc[i] = (int)s;
    }
    buf d = {0};
    buf_puts(&d, "{");
    if (db_begin(c->db, e)) return e->code;
    for (int i = 0; i < v.ncriteria; i++) {
        if (store_roadshow_score_put(c->db, project_id, c->user->id, v.criteria[i].id, sc[i], e))
            goto fail;
        buf_printf(&d, "%s\"%s\":%d", i ? "," : "", v.criteria[i].code, sc[i]);
    }
    buf_puts(&d, "}");
    if (store_history_add(c->db, "roadshow_project", project_id, actor(c), "score", d.s, e) ||
        db_commit(c->db, e))
        goto fail;
    buf_free(&d);
    return ERR_OK;
fail:
    buf_free(&d);
    db_rollback(c->db);
    return e->code;
}

/* ---- ranking ---- */

err_code roadshow_ranking(dctx *c, int64_t event_id, roadshow_view *v, roadshow_rank_row **out,
                          err *e)
{
    if (roadshow_load(c, event_id, v, e)) return e->code;
    /* an unpublished ranking is staff-only: a signed-in non-staff user is told so (403); an
     * anonymous visitor learns nothing (404) */
    if (!v->staff && !v->rs.published)
        return err_set(e, c->user ? ERR_FORBIDDEN : ERR_NOT_FOUND, NULL,
                       "roadshow.err.not_published", "the ranking is not published yet");
    if (!v->staff && /* everyone sees aggregates only, computed from all scores */
        (store_roadshow_judges(c->db, c->a, event_id, &v->judges, &v->njudges, e) ||
         store_roadshow_scores(c->db, c->a, event_id, 0, 0, &v->scores, &v->nscores, e)))
        return e->code;
    int np = v->nprojects, nj = v->njudges, nc = v->ncriteria;
    double *w = arena_alloc(c->a, sizeof(double) * (size_t)(nc ? nc : 1));
    int *order = arena_alloc(c->a, sizeof(int) * (size_t)(np ? np : 1));
    size_t cells = (size_t)np * (size_t)nj * (size_t)nc;
    int *sc = arena_alloc(c->a, sizeof(int) * (cells ? cells : 1));
    memset(sc, 0, sizeof(int) * (cells ? cells : 1));
    for (int i = 0; i < nc; i++)
        w[i] = (double)v->criteria[i].weight_milli / 1000.0;
    for (int p = 0; p < np; p++)
        order[p] = v->projects[p].sort;
    for (int k = 0; k < v->nscores; k++) {
        const rs_score_rec *s = &v->scores[k];
        int p = -1, j = -1, ci = -1;
        for (int i = 0; i < np; i++)
            if (v->projects[i].id == s->project_id) p = i;
        for (int i = 0; i < nj; i++)
            if (v->judges[i].user_id == s->judge_id) j = i;
        for (int i = 0; i < nc; i++)
            if (v->criteria[i].id == s->criterion_id) ci = i;
        if (p >= 0 && j >= 0 && ci >= 0)
            sc[((size_t)p * (size_t)nj + (size_t)j) * (size_t)nc + (size_t)ci] = s->score;
    }
    roadshow_math m = {np, nj, nc, w, order, sc, v->rs.normalize};
    *out = arena_alloc(c->a, sizeof(roadshow_rank_row) * (size_t)(np ? np : 1));
    roadshow_rank(&m, *out);
    return ERR_OK;
}

err_code roadshow_my_events(dctx *c, int64_t **ids, int *n, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    return store_roadshow_judge_events(c->db, c->a, c->user->id, ids, n, e);
}
