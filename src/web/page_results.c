/* page_results.c — the public results page of an event, /events/:id/results, its JSON twin
 * /api/v1/events/:id/results, and the organizers' switch that publishes it (POST on either).
 * Visibility and content rules: domain/results.c. Aggregates only — no amount of a single
 * intention, no notes, no participant's contact data. Never cached (routes.c): the catalog
 * generation the response cache is stamped with does not move with intentions or meetings. */
#include <stdlib.h>
#include <string.h>

#include "domain/results.h"
#include "web/http.h"

#include "domain/report.h"

/* The statistics JSON minus what the public page does not show: amounts per field or org type,
 * the org-type breakdown. Funnel figures and by-field counts stay. */
static json_t *public_stats_json(req *r, const results_view *v)
{
    const stats_view *s = &v->stats;
    json_t *j = stats_to_json(r->a, s);
    if (v->amount_withheld) /* a total of one or two contracts would disclose their amounts */
        json_object_set_new(json_object_get(j, "funnel"), "contract_amount_wan", json_null());
    json_t *bf = json_object_get(j, "by_field");
    size_t i;
    json_t *row;
    json_array_foreach(bf, i, row) json_object_del(row, "amount_wan");
    json_object_del(j, "by_org_type");
    json_object_del(j, "by_region");
    json_object_del(j, "attendance");
    json_object_del(j, "by_month"); /* amounts per month could single out one contract */
    return j;
}

static json_t *ranking_json(req *r, const results_view *v, bool labels)
{
    json_t *arr = json_array();
    if (!v->ranking) return arr;
    for (int i = 0; i < v->rs.nprojects; i++) {
        const roadshow_rank_row *row = &v->ranking[i];
        const rs_project_rec *p = &v->rs.projects[row->project];
        json_t *o = json_pack("{s:i,s:s,s:s,s:i}", "rank", row->rank, "title", p->title, "org",
                              is_en(r) && p->owner_org_en && *p->owner_org_en ? p->owner_org_en
                                                                              : p->owner_org,
                              "judges", row->njudges);
        if (row->njudges) {
            const char *sc = arena_printf(r->a, v->rs.rs.normalize ? "%+.3f" : "%.2f", row->score);
            json_object_set_new(o, labels ? "score_label" : "score",
                                labels ? json_string(sc) : json_real(row->score));
        } else if (!labels)
            json_object_set_new(o, "score", json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

static void show(req *r, const char *notice)
{
    err e = {0};
    results_view v;
    if (results_compute(&r->c, r->ids[0], &v, &e)) return res_error(r, &e);
    const stats_view *s = &v.stats;
    const char *title = is_en(r) && *v.ev.title_en ? v.ev.title_en : v.ev.title;

    json_t *cards = json_array();
    struct {
        const char *key, *label;
        int64_t n;
    } c[] = {{"collected", "stats.fig.collected", s->v[STATS_COLLECTED]},
             {"displayed", "stats.fig.displayed", s->v[STATS_DISPLAYED]},
             {"promoted", "stats.fig.promoted", s->v[STATS_PROMOTED]},
             {"meetings_held", "dash.card.held", s->held},
             {"intentions", "stats.fig.intentions", s->v[STATS_INTENTIONS]},
             {"contracts", "stats.fig.contracts", s->v[STATS_CONTRACTS]}};
    for (size_t i = 0; i < ARRAY_LEN(c); i++)
        json_array_append_new(cards, json_pack("{s:s,s:s,s:I}", "key", c[i].key, "label",
                                               t(r, c[i].label), "value", (json_int_t)c[i].n));
    json_t *stages = json_array();
    for (int i = 0; i < 6; i++)
        json_array_append_new(stages, json_pack("{s:s,s:s,s:I}", "code", results_stages[i], "label",
                                                tf(r, "intention.stage.", results_stages[i]),
                                                "count", (json_int_t)v.stages[i]));
    json_t *fields = json_array();
    for (int i = 0; i < s->nfield; i++) {
        const stats_row *row = &s->by_field[i];
        const field_rec *f = *row->key ? taxonomy_field(row->key) : NULL;
        const char *lab = !*row->key ? t(r, "stats.unknown")
                          : !f       ? row->key
                          : is_en(r) ? f->name_en
                                     : f->name_zh;
        json_array_append_new(fields, json_pack("{s:s,s:I,s:I,s:I,s:I}", "label", lab, "collected",
                                                (json_int_t)row->v[STATS_COLLECTED], "promoted",
                                                (json_int_t)row->v[STATS_PROMOTED], "intentions",
                                                (json_int_t)row->v[STATS_INTENTIONS], "contracts",
                                                (json_int_t)row->v[STATS_CONTRACTS]));
    }
    const outcome_tally *o = &v.outcomes;
    int64_t ov[4] = {o->no_contact, o->valuable_contact, o->negotiating, o->agreement};
    int64_t mv[4] = {o->m_no_contact, o->m_valuable_contact, o->m_negotiating, o->m_agreement};
    json_t *outs = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(outs, json_pack("{s:s,s:s,s:I,s:I}", "code", outcome_codes[i],
                                              "label", tf(r, "outcome.", outcome_codes[i]), "count",
                                              (json_int_t)ov[i], "m_count", (json_int_t)mv[i]));
    json_t *ranking = ranking_json(r, &v, true);

    /* the labels the charts need (funnel and by field only) */
    json_t *fig = json_object(), *fl = json_object();
    static const char *const figs[] = {"collected", "displayed",  "promoted",
                                       "held",      "intentions", "contracts"};
    for (size_t i = 0; i < ARRAY_LEN(figs); i++)
        json_object_set_new(fig, figs[i], json_string(tf(r, "stats.fig.", figs[i])));
    json_object_set_new(fig, "matched", json_string(t(r, "dash.fig.matched")));
    int nf;
    const field_rec *fr = taxonomy_fields(&nf);
    for (int i = 0; i < nf; i++)
        json_object_set_new(fl, fr[i].code, json_string(is_en(r) ? fr[i].name_en : fr[i].name_zh));
    json_t *labels = json_pack("{s:o,s:o,s:s,s:s}", "fig", fig, "fields", fl, "unknown",
                               t(r, "stats.unknown"), "count", t(r, "dash.axis.count"));
    char *ls = json_dumps(labels, JSON_COMPACT), *ss = NULL;
    json_decref(labels);
    json_t *sj = public_stats_json(r, &v);
    ss = json_dumps(sj, JSON_COMPACT);
    json_decref(sj);

    json_t *ctx = json_pack(
        "{s:s,s:I,s:s,s:s,s:b,s:b,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:s,s:s,s:s,s:b}", "title",
        arena_printf(r->a, "%s · %s", t(r, "results.title"), title), "event_id",
        (json_int_t)v.ev.id, "event_title", title, "event_date", v.ev.date, "published",
        v.published, "preview", v.preview, "cards", cards, "stages", stages, "by_field", fields,
        "outcomes", outs, "ranking", ranking, "has_ranking", json_array_size(ranking) > 0,
        "has_outcomes", o->total - o->pending > 0 || o->meetings_recorded > 0, "amount",
        v.amount_withheld ? "—" : intention_amount_text(r->a, s->amount_centi), "stats_json",
        ss ? ss : "{}", "labels_json", ls ? ls : "{}", "nav_events", 1);
    free(ls);
    free(ss);
    json_object_set_new(ctx, "is_staff_viewer", json_boolean(dctx_is_staff(&r->c)));
    json_object_set_new(ctx, "amount_withheld", json_boolean(v.amount_withheld));
    json_object_set_new(ctx, "six_recorded", json_integer(o->total - o->pending));
    json_object_set_new(ctx, "m_held", json_integer(o->meetings_held));
    json_object_set_new(ctx, "m_recorded", json_integer(o->meetings_recorded));
    if (notice) json_object_set_new(ctx, "notice", json_string(t(r, notice)));
    /* the news-release paragraph of the event (report_summary, domain/report.h): figures only
     */
    json_object_set_new(ctx, "summary", json_string(report_summary(r->a, &v.ev, s, r->lang)));
    res_page(r, 200, "event_results", ctx);
}

void page_results(req *r)
{
    const char *saved = req_query(r, "saved");
    show(r, saved ? (str_eq(saved, "1") ? "results.now_public" : "results.now_private") : NULL);
}

static err_code publish(req *r, const char *v, err *e)
{
    bool pub;
    const char *x = v ? v : "";
    if (input_truthy(x))
        pub = true;
    else if (str_eq(x, "0") || str_eq(x, "false") || str_eq(x, "off") || str_eq(x, "no"))
        pub = false;
    else
        return err_set(e, ERR_INVALID, "public", "err.choice", "public must be true or false");
    return results_set_public(&r->c, r->ids[0], pub, e);
}

void page_results_publish(req *r)
{
    err e = {0};
    const char *v = req_form(r, "public");
    if (publish(r, v, &e)) return res_error(r, &e);
    res_redirect(r, arena_printf(r->a, "/events/%lld/results?saved=%s", (long long)r->ids[0],
                                 input_truthy(v) ? "1" : "0"));
}

void api_results(req *r)
{
    err e = {0};
    results_view v;
    if (results_compute(&r->c, r->ids[0], &v, &e)) return res_error(r, &e);
    json_t *stages = json_object();
    for (int i = 0; i < 6; i++)
        json_object_set_new(stages, results_stages[i], json_integer(v.stages[i]));
    json_t *o = json_pack("{s:{s:I,s:s,s:s,s:s},s:b,s:b,s:o,s:o,s:o,s:o}", "event", "id",
                          (json_int_t)v.ev.id, "title", v.ev.title, "title_en", v.ev.title_en,
                          "date", v.ev.date, "results_public", v.published, "preview", v.preview,
                          "stats", public_stats_json(r, &v), "intentions_by_stage", stages,
                          "outcomes", outcome_tally_to_json(v.ev.id, &v.outcomes), "ranking",
                          v.ranking ? ranking_json(r, &v, false) : json_null());
    json_object_del(json_object_get(o, "outcomes"), "event_id");
    res_json(r, 200, o);
}

void api_results_publish(req *r)
{
    err e = {0};
    json_t *p = json_is_object(r->json) ? json_object_get(r->json, "public") : NULL;
    if (!p || !json_is_boolean(p)) {
        err_set(&e, ERR_INVALID, "public", "err.required", "public (true or false) is required");
        return res_error(r, &e);
    }
    if (results_set_public(&r->c, r->ids[0], json_is_true(p), &e)) return res_error(r, &e);
    api_results(r);
}
