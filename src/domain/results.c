/* results.c — the public results page of an event (rules in domain.h, "public results of an
 * event"). The statistics are organizer-only (stats.c refuses others), so this file is the one
 * documented door through which a visitor sees them: it checks that the event is published and
 * its results_public flag is set, then computes with organizer rights on a system copy of the
 * context and hands back aggregates only. */
#include <string.h>

#include "domain/results.h"

const char *const results_stages[6] = {"preliminary",  "negotiating", "signed",
                                       "implementing", "completed",   "terminated"};

/* Loads the event and decides whether this viewer may see its results. */
static err_code visible(dctx *c, int64_t event_id, event_rec *ev, bool *published, bool *preview,
                        err *e)
{
    bool pub = false;
    if (store_event_get(c->db, c->a, event_id, ev, e) ||
        store_event_results_public(c->db, event_id, &pub, e))
        return e->code;
    *published = pub && str_eq(ev->status, "published");
    *preview = !*published && dctx_is_staff(c);
    if (!*published && !*preview) {
        if (str_eq(ev->status, "published")) /* the event itself is public: say why */
            return err_set(e, ERR_NOT_FOUND, NULL, "results.err.not_public",
                           "the results of this event are not published");
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "event %lld not found",
                       (long long)event_id);
    }
    return ERR_OK;
}

bool results_are_public(dctx *c, int64_t event_id)
{
    event_rec ev;
    bool pub = false;
    err e = {0};
    if (store_event_get(c->db, c->a, event_id, &ev, &e) ||
        store_event_results_public(c->db, event_id, &pub, &e))
        return false;
    return pub && str_eq(ev.status, "published");
}

/* Zeroes what the public may not see of s: every per-row amount, and the total when it sums
 * fewer than RESULTS_MIN_CONTRACTS_FOR_AMOUNT contracts. Returns whether the total was withheld. */
static bool withhold_amounts(stats_view *s)
{
    for (int i = 0; i < s->nfield; i++)
        s->by_field[i].amount_centi = 0;
    for (int i = 0; i < s->norg_type; i++)
        s->by_org_type[i].amount_centi = 0;
    for (int i = 0; i < s->nregion; i++)
        s->by_region[i].amount_centi = 0;
    for (int i = 0; i < s->nmonth; i++)
        s->by_month[i].amount_centi = 0;
    if (s->v[STATS_CONTRACTS] >= RESULTS_MIN_CONTRACTS_FOR_AMOUNT) return false;
    s->amount_centi = 0;
    return true;
}

err_code results_stats(dctx *c, int64_t event_id, stats_view *out, err *e)
{
    event_rec ev;
    bool pub, preview;
    memset(out, 0, sizeof *out);
    if (visible(c, event_id, &ev, &pub, &preview, e)) return e->code;
    dctx sys = {.db = c->db, .a = c->a, .user = NULL, .system = true};
    if (stats_compute(&sys, event_id, out, e)) return e->code;
    withhold_amounts(out);
    return ERR_OK;
}

err_code results_compute(dctx *c, int64_t event_id, results_view *out, err *e)
{
    memset(out, 0, sizeof *out);
    if (visible(c, event_id, &out->ev, &out->published, &out->preview, e)) return e->code;
    dctx sys = {.db = c->db, .a = c->a, .user = NULL, .system = true};
    char today[17];
    event_now_local(today);
    today[10] = 0;
    if (stats_compute(&sys, event_id, &out->stats, e) ||
        store_intention_stage_counts(c->db, event_id, results_stages, 6, out->stages, e) ||
        store_outcome_tally(c->db, event_id, today, &out->outcomes, e))
        return e->code;
    out->amount_withheld = withhold_amounts(&out->stats);
    /* the ranking as an anonymous visitor would see it: only when published */
    dctx anon = {.db = c->db, .a = c->a, .user = NULL, .system = false};
    err re = {0};
    if (roadshow_ranking(&anon, event_id, &out->rs, &out->ranking, &re) != ERR_OK ||
        out->rs.nprojects == 0)
        out->ranking = NULL;
    return ERR_OK;
}

err_code results_set_public(dctx *c, int64_t event_id, bool pub, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "organizers only");
    event_rec ev;
    if (store_event_get(c->db, c->a, event_id, &ev, e)) return e->code;
    if (db_begin(c->db, e)) return e->code;
    if (store_event_set_results_public(c->db, event_id, pub, e) ||
        store_history_add(c->db, "event", event_id, c->user ? c->user->id : 0, "results_public",
                          pub ? "{\"results_public\":true}" : "{\"results_public\":false}", e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}
