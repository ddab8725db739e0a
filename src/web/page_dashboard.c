/* page_dashboard.c — the organizers' statistics dashboard /stats (issue 5, item 3): scope (overall
 * or one event) and period, headline figure cards, ECharts charts drawn by web/static/dashboard.js
 * from data the page carries in data-* attributes (the CSP forbids inline scripts), the plain
 * tables the charts are drawn from (they are the no-JS, printable and accessible view), the
 * overdue follow-ups, the six-month outcomes, and links to the report downloads.
 *
 * The charts read the statistics JSON exactly as GET /api/v1/stats answers it (stats_to_json),
 * so figures that JSON gains later (matched, by_region, by_month, attendance) are drawn as soon
 * as they are present; a chart whose data is absent is left out. Every label comes from the
 * message catalogs and is passed to the script in data-labels. */
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

static const char *const org_types[] = {"university", "institute", "enterprise", "government",
                                        "service"};
static const char *const categories[] = {"university", "institute", "enterprise", "government",
                                         "other"};

static const char *field_label(req *r, const char *code)
{
    if (!*code) return t(r, "stats.unknown");
    const field_rec *f = taxonomy_field(code);
    return !f ? code : is_en(r) ? f->name_en : f->name_zh;
}

static const char *org_type_label(req *r, const char *code)
{
    if (!*code) return t(r, "stats.unknown");
    for (size_t k = 0; k < ARRAY_LEN(org_types); k++)
        if (str_eq(code, org_types[k])) return tf(r, "orgtype.", code);
    return code;
}

static json_t *stats_rows(req *r, const stats_row *rows, int n, bool field)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        const stats_row *s = &rows[i];
        json_array_append_new(arr,
                              json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "label",
                                        field ? field_label(r, s->key) : org_type_label(r, s->key),
                                        "collected", (json_int_t)s->v[STATS_COLLECTED], "displayed",
                                        (json_int_t)s->v[STATS_DISPLAYED], "promoted",
                                        (json_int_t)s->v[STATS_PROMOTED], "intentions",
                                        (json_int_t)s->v[STATS_INTENTIONS], "contracts",
                                        (json_int_t)s->v[STATS_CONTRACTS], "amount",
                                        intention_amount_text(r->a, s->amount_centi)));
    }
    return arr;
}

/* The funnel rows of the table: label, definition, value. */
static json_t *funnel_rows(req *r, const stats_view *s)
{
    static const struct {
        const char *key;
        int fig; /* STATS_* or -1..-4 for the others */
    } funnel[] = {{"collected", STATS_COLLECTED},
                  {"displayed", STATS_DISPLAYED},
                  {"promoted", STATS_PROMOTED},
                  {"requested", -1},
                  {"accepted", -2},
                  {"held", -3},
                  {"intentions", STATS_INTENTIONS},
                  {"contracts", STATS_CONTRACTS},
                  {"amount", -4}};
    json_t *rows = json_array();
    for (size_t i = 0; i < ARRAY_LEN(funnel); i++) {
        int f = funnel[i].fig;
        const char *val = f >= 0    ? arena_printf(r->a, "%lld", (long long)s->v[f])
                          : f == -1 ? arena_printf(r->a, "%lld", (long long)s->requested)
                          : f == -2 ? arena_printf(r->a, "%lld", (long long)s->accepted)
                          : f == -3 ? arena_printf(r->a, "%lld", (long long)s->held)
                                    : intention_amount_text(r->a, s->amount_centi);
        json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s}", "key", funnel[i].key, "label",
                                              tf(r, "stats.fig.", funnel[i].key), "def",
                                              tf(r, "stats.def.", funnel[i].key), "value", val));
    }
    return rows;
}

/* The headline cards: the figures a science bureau reports first. */
static json_t *cards(req *r, const stats_view *s)
{
    struct {
        const char *key, *label, *value;
    } c[] = {
        {"collected", "stats.fig.collected", arena_printf(r->a, "%lld", (long long)s->v[0])},
        {"displayed", "stats.fig.displayed", arena_printf(r->a, "%lld", (long long)s->v[1])},
        {"promoted", "stats.fig.promoted", arena_printf(r->a, "%lld", (long long)s->v[2])},
        {"meetings_held", "dash.card.held", arena_printf(r->a, "%lld", (long long)s->held)},
        {"intentions", "stats.fig.intentions",
         arena_printf(r->a, "%lld", (long long)s->v[STATS_INTENTIONS])},
        {"contracts", "stats.fig.contracts",
         arena_printf(r->a, "%lld", (long long)s->v[STATS_CONTRACTS])},
        {"contract_amount_wan", "dash.card.amount", intention_amount_text(r->a, s->amount_centi)},
    };
    json_t *arr = json_array();
    for (size_t i = 0; i < ARRAY_LEN(c); i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "key", c[i].key, "label",
                                             t(r, c[i].label), "value", c[i].value));
    return arr;
}

/* Every label the charts need, as one JSON text for data-labels. */
static const char *chart_labels(req *r)
{
    static const char *const figs[] = {"collected",  "displayed", "promoted",
                                       "requested",  "accepted",  "held",
                                       "intentions", "contracts", "amount"};
    json_t *fig = json_object(), *fields = json_object(), *ot = json_object(), *cat = json_object(),
           *oc = json_object();
    for (size_t i = 0; i < ARRAY_LEN(figs); i++)
        json_object_set_new(fig, figs[i], json_string(tf(r, "stats.fig.", figs[i])));
    json_object_set_new(fig, "matched", json_string(t(r, "dash.fig.matched")));
    json_object_set_new(fig, "registered", json_string(t(r, "event.count.registered")));
    json_object_set_new(fig, "approved", json_string(t(r, "event.count.approved")));
    json_object_set_new(fig, "checked_in", json_string(t(r, "event.count.checked_in")));
    int nf;
    const field_rec *fr = taxonomy_fields(&nf);
    for (int i = 0; i < nf; i++)
        json_object_set_new(fields, fr[i].code,
                            json_string(is_en(r) ? fr[i].name_en : fr[i].name_zh));
    json_object_set_new(fields, "", json_string(t(r, "stats.unknown")));
    for (size_t i = 0; i < ARRAY_LEN(org_types); i++)
        json_object_set_new(ot, org_types[i], json_string(tf(r, "orgtype.", org_types[i])));
    json_object_set_new(ot, "", json_string(t(r, "stats.unknown")));
    for (size_t i = 0; i < ARRAY_LEN(categories); i++)
        json_object_set_new(cat, categories[i],
                            json_string(tf(r, "event.category.", categories[i])));
    for (size_t i = 0; i < ARRAY_LEN(outcome_codes); i++)
        json_object_set_new(oc, outcome_codes[i], json_string(tf(r, "outcome.", outcome_codes[i])));
    json_object_set_new(oc, "pending", json_string(t(r, "outcome.pending")));
    json_t *all = json_pack("{s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s}", "fig", fig, "fields",
                            fields, "org_types", ot, "categories", cat, "outcomes", oc, "unknown",
                            t(r, "stats.unknown"), "count", t(r, "dash.axis.count"), "meetings",
                            t(r, "dash.meetings"), "amount", t(r, "dash.axis.amount"), "month",
                            t(r, "dash.axis.month"), "no_data", t(r, "dash.no_data"));
    char *s = json_dumps(all, JSON_COMPACT);
    json_decref(all);
    const char *out = arena_strdup(r->a, s ? s : "{}");
    free(s);
    return out;
}

static const char *dumps(req *r, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    const char *out = arena_strdup(r->a, s ? s : "{}");
    free(s);
    return out;
}

/* "25%" of whole, "–" when whole is 0 (arena-owned). */
static const char *share(req *r, int64_t part, int64_t whole)
{
    return whole ? arena_printf(r->a, "%.0f%%", 100.0 * (double)part / (double)whole) : "–";
}

/* The six-month outcomes as table rows: intentions and held meetings, with shares of those
 * recorded. */
static json_t *outcome_rows(req *r, const outcome_tally *o)
{
    int64_t v[4] = {o->no_contact, o->valuable_contact, o->negotiating, o->agreement};
    int64_t m[4] = {o->m_no_contact, o->m_valuable_contact, o->m_negotiating, o->m_agreement};
    int64_t rec = o->total - o->pending;
    json_t *arr = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:s,s:I,s:s}", "code", outcome_codes[i],
                                             "label", tf(r, "outcome.", outcome_codes[i]), "count",
                                             (json_int_t)v[i], "share", share(r, v[i], rec),
                                             "m_count", (json_int_t)m[i], "m_share",
                                             share(r, m[i], o->meetings_recorded)));
    return arr;
}

static bool date_param(req *r, const char *key, const char **out, err *e)
{
    const char *v = req_query(r, key);
    *out = "";
    if (!v || !*v) return true;
    if (!input_date_valid(v)) {
        err_set(e, ERR_INVALID, key, "err.date", "%s must be YYYY-MM-DD", key);
        return false;
    }
    *out = v;
    return true;
}

void page_stats(req *r)
{
    err e = {0};
    int64_t ev = 0;
    const char *q = req_query(r, "event_id");
    if (q && *q && !str_to_i64(q, 1, INT64_MAX, &ev)) {
        err_set(&e, ERR_INVALID, "event_id", "intention.err.id", "event_id must be a record id");
        return res_error(r, &e);
    }
    const char *from, *to;
    if (!date_param(r, "from", &from, &e) || !date_param(r, "to", &to, &e)) return res_error(r, &e);
    stats_view s;
    outcome_tally ot;
    if (stats_compute_period(&r->c, ev, from, to, &s, &e)) return res_error(r, &e);
    if (outcome_tally_get(&r->c, ev, &ot, &e)) return res_error(r, &e);
    const event_rec *chosen = NULL;
    json_t *events = view_event_options(r, ev, &chosen);

    /* the statistics JSON for the charts, as the API gives it; attendance of an event from the
     * registrations when the statistics JSON does not carry it */
    json_t *sj = stats_to_json(r->a, &s);
    json_t *att = json_array();
    if (ev) {
        event_count_rec *cs;
        int n;
        if (event_counts(&r->c, ev, &cs, &n, &e)) {
            json_decref(sj);
            json_decref(att);
            json_decref(events);
            return res_error(r, &e);
        }
        for (size_t k = 0; k < ARRAY_LEN(categories); k++) {
            event_count_rec c = {.category = categories[k]};
            for (int i = 0; i < n; i++)
                if (str_eq(cs[i].category, categories[k])) c = cs[i];
            json_array_append_new(att, json_pack("{s:s,s:s,s:I,s:I,s:I}", "category", categories[k],
                                                 "label", tf(r, "event.category.", categories[k]),
                                                 "registered", (json_int_t)c.registered, "approved",
                                                 (json_int_t)c.approved, "checked_in",
                                                 (json_int_t)c.checked_in));
        }
        if (!json_object_get(sj, "attendance"))
            json_object_set(sj, "attendance", att); /* same rows; labels are ignored by the JS */
    }

    /* tables for the breakdowns the statistics JSON may carry beyond the stats_view fields this
     * file reads (by_region, by_month, funnel.matched): taken from the JSON itself */
    json_t *regions = json_array(), *months = json_array();
    size_t ri;
    json_t *row;
    json_array_foreach(json_object_get(sj, "by_region"), ri, row)
    {
        json_t *x = json_deep_copy(row);
        const char *k = json_string_value(json_object_get(row, "key"));
        json_object_set_new(x, "label", json_string(k && *k ? k : t(r, "stats.unknown")));
        json_array_append_new(regions, x);
    }
    json_array_foreach(json_object_get(sj, "by_month"), ri, row)
        json_array_append_new(months, json_deep_copy(row));
    json_t *matched = json_object_get(json_object_get(sj, "funnel"), "matched");

    /* overdue follow-ups: all, or those of the chosen event's intentions */
    json_t *od = json_array();
    followup_rec *fu;
    int nf;
    if (intention_overdue(&r->c, &fu, &nf, &e) == ERR_OK)
        for (int i = 0; i < nf; i++) {
            if (ev && fu[i].event_id != ev) continue;
            json_t *f = followup_to_json(&fu[i]);
            if (str_eq(fu[i].kind, "six_month"))
                json_object_set_new(f, "text", json_string(t(r, "outcome.title")));
            json_array_append_new(od, f);
        }
    e = (err){0};

    /* report downloads (routes of the report module) */
    const char *base =
        ev ? arena_printf(r->a, "/events/%lld/report", (long long)ev) : "/stats/report";
    const char *qs = "";
    if (*from || *to) qs = arena_printf(r->a, "?from=%s&to=%s", from, to);

    json_t *ctx = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:b,s:s,s:b,s:s,s:s}", "funnel", funnel_rows(r, &s), "by_field",
        stats_rows(r, s.by_field, s.nfield, true), "by_org_type",
        stats_rows(r, s.by_org_type, s.norg_type, false), "events", events, "cards", cards(r, &s),
        "overall", ev == 0, "title", t(r, "dash.title"), "nav_stats", 1, "from", from, "to", to);
    json_object_set_new(ctx, "attendance", att);
    json_object_set_new(ctx, "by_region", regions);
    json_object_set_new(ctx, "has_region", json_boolean(json_array_size(regions) > 0));
    json_object_set_new(ctx, "by_month", months);
    json_object_set_new(ctx, "has_month", json_boolean(json_array_size(months) > 0));
    if (json_is_integer(matched)) { /* after "promoted", in the order of the funnel */
        json_t *fr = json_object_get(ctx, "funnel");
        json_array_insert_new(
            fr, 3,
            json_pack("{s:s,s:s,s:s,s:s}", "key", "matched", "label", t(r, "dash.fig.matched"),
                      "def", t(r, "dash.def.matched"), "value",
                      arena_printf(r->a, "%lld", (long long)json_integer_value(matched))));
    }
    json_object_set_new(ctx, "has_attendance", json_boolean(ev != 0));
    json_object_set_new(ctx, "overdue", od);
    json_object_set_new(ctx, "has_overdue", json_boolean(json_array_size(od) > 0));
    json_object_set_new(ctx, "outcomes", outcome_rows(r, &ot));
    json_object_set_new(ctx, "six",
                        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)ot.total,
                                  "recorded", (json_int_t)(ot.total - ot.pending), "pending",
                                  (json_int_t)ot.pending, "overdue", (json_int_t)ot.overdue,
                                  "m_held", (json_int_t)ot.meetings_held, "m_recorded",
                                  (json_int_t)ot.meetings_recorded));
    json_object_set_new(ctx, "stats_json", json_string(dumps(r, sj)));
    json_object_set_new(ctx, "outcomes_json",
                        json_string(dumps(r, outcome_tally_to_json(ev, &ot))));
    json_object_set_new(ctx, "labels_json", json_string(chart_labels(r)));
    json_object_set_new(ctx, "report_pdf", json_string(arena_printf(r->a, "%s.pdf%s", base, qs)));
    json_object_set_new(ctx, "report_xlsx", json_string(arena_printf(r->a, "%s.xlsx%s", base, qs)));
    json_object_set_new(ctx, "has_period", json_boolean(*from || *to));
    if (chosen) {
        json_object_set_new(ctx, "event_id", json_integer(ev));
        json_object_set_new(
            ctx, "event_title",
            json_string(is_en(r) && *chosen->title_en ? chosen->title_en : chosen->title));
        json_object_set_new(ctx, "event_date", json_string(chosen->date));
    }
    res_page(r, 200, "stats", ctx);
}
