/* stats.c — the statistics funnel (统计) of one event or overall, computed from the records on
 * every request (nothing is cached or stored). The figures, as shown on /stats and in
 * GET /api/v1/stats (docs/API.md "Statistics"):
 *
 *   collected   achievements with status published; for an event: those brought to it, i.e.
 *               linked through registration_listings to a registration of the event that is not
 *               rejected. Overall: every published achievement.
 *   displayed   published achievements brought by an approved registration of a published event
 *               (this event, or any event for overall): on show on the day.
 *   promoted    achievements presented as roadshow projects (roadshow_projects) of the event, or
 *               of any event.
 *   requested   1:1 meeting requests of the event (every row of meetings, whatever its status).
 *   accepted    meetings in status accepted (including those already placed in a slot).
 *   held        accepted meetings placed in a slot and table by the scheduler (scheduled).
 *   intentions  intentions recorded for the event (event_id), or all; every stage counts,
 *               terminated included.
 *   contracts   intentions at stage signed, implementing or completed.
 *   amount      the sum of the contracts' amounts, in 万元.
 *
 * Breakdowns: by the top-level field of the achievement (for intentions: of the linked
 * achievement, else of the linked need) and by organization type (listing figures: the owner
 * organization of the achievement; intentions: org_a, else org_b). Meetings are not broken down.
 * "" stands for unknown (no linked listing or organization). */
#include <string.h>

#include "domain/domain.h"

static stats_row *row_for(arena *a, stats_row **rows, int *n, int *cap, const char *key)
{
    for (int i = 0; i < *n; i++)
        if (str_eq((*rows)[i].key, key)) return &(*rows)[i];
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        stats_row *nr = arena_alloc(a, sizeof *nr * (size_t)nc);
        if (*n) memcpy(nr, *rows, sizeof *nr * (size_t)*n);
        *rows = nr;
        *cap = nc;
    }
    stats_row *r = &(*rows)[(*n)++];
    memset(r, 0, sizeof *r);
    r->key = key;
    return r;
}

err_code stats_compute(dctx *c, int64_t event_id, stats_view *out, err *e)
{
    memset(out, 0, sizeof *out);
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "statistics are for organizers");
    if (event_id) {
        event_rec ev;
        if (store_event_get(c->db, c->a, event_id, &ev, e)) return e->code;
    }
    out->event_id = event_id;
    stats_cell *cells;
    int n, capf = 0, capo = 0;
    if (store_stats_cells(c->db, c->a, event_id, &cells, &n, e) ||
        store_stats_meetings(c->db, event_id, &out->requested, &out->accepted, &out->held, e))
        return e->code;
    for (int i = 0; i < n; i++) {
        const stats_cell *s = &cells[i];
        if (s->figure < 0 || s->figure > STATS_CONTRACTS) continue;
        stats_row *f = row_for(c->a, &out->by_field, &out->nfield, &capf, s->field);
        stats_row *o = row_for(c->a, &out->by_org_type, &out->norg_type, &capo, s->org_type);
        out->v[s->figure] += s->count;
        f->v[s->figure] += s->count;
        o->v[s->figure] += s->count;
        if (s->figure == STATS_CONTRACTS) {
            out->amount_centi += s->amount_centi;
            f->amount_centi += s->amount_centi;
            o->amount_centi += s->amount_centi;
        }
    }
    return ERR_OK;
}

static json_t *row_json(arena *a, const stats_row *r)
{
    return json_pack(
        "{s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "key", r->key, "collected",
        (json_int_t)r->v[STATS_COLLECTED], "displayed", (json_int_t)r->v[STATS_DISPLAYED],
        "promoted", (json_int_t)r->v[STATS_PROMOTED], "intentions",
        (json_int_t)r->v[STATS_INTENTIONS], "contracts", (json_int_t)r->v[STATS_CONTRACTS],
        "amount_wan", intention_amount_text(a, r->amount_centi));
}

json_t *stats_to_json(arena *a, const stats_view *s)
{
    json_t *bf = json_array(), *bo = json_array();
    for (int i = 0; i < s->nfield; i++)
        json_array_append_new(bf, row_json(a, &s->by_field[i]));
    for (int i = 0; i < s->norg_type; i++)
        json_array_append_new(bo, row_json(a, &s->by_org_type[i]));
    return json_pack(
        "{s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s},s:o,s:o}", "event_id",
        s->event_id ? json_integer(s->event_id) : json_null(), "funnel", "collected",
        (json_int_t)s->v[STATS_COLLECTED], "displayed", (json_int_t)s->v[STATS_DISPLAYED],
        "promoted", (json_int_t)s->v[STATS_PROMOTED], "meetings_requested",
        (json_int_t)s->requested, "meetings_accepted", (json_int_t)s->accepted, "meetings_held",
        (json_int_t)s->held, "intentions", (json_int_t)s->v[STATS_INTENTIONS], "contracts",
        (json_int_t)s->v[STATS_CONTRACTS], "contract_amount_wan",
        intention_amount_text(a, s->amount_centi), "by_field", bf, "by_org_type", bo);
}
