/* stats.c — the statistics (统计) of one event or overall, optionally for a period, computed
 * from the records on every request (nothing is cached or stored). The figures, as shown on
 * /stats, in GET /api/v1/stats and in the reports (docs/API.md "Statistics"):
 *
 *   collected   achievements with status published; for an event: those brought to it, i.e.
 *               linked through registration_listings to a registration of the event that is not
 *               rejected. Overall: every published achievement.
 *   displayed   published achievements brought by an approved registration of a published event
 *               (this event, or any event for overall): on show on the day.
 *   promoted    achievements presented as roadshow projects (roadshow_projects) of the event, or
 *               of any event.
 *   matched     collected achievements that met a demand on the record: named by an intention
 *               (any source, any stage) of the event (or any), or brought by a registration of
 *               the event (or any event) that has at least one accepted 1:1 meeting, either as
 *               requester or invitee. A meeting is between participants, not about one
 *               achievement, so each achievement its side brought counts once. Computed from the
 *               records, not from the matching engine's scores, so that it can be recounted.
 *   requested   1:1 meeting requests of the event (every row of meetings, whatever its status).
 *   accepted    meetings in status accepted (including those already placed in a slot).
 *   held        accepted meetings placed in a slot and table by the scheduler (scheduled).
 *   intentions  intentions recorded for the event (event_id), or all; every stage counts,
 *               terminated included.
 *   contracts   intentions at stage signed, implementing or completed.
 *   amount      the sum of the contracts' amounts, in 万元.
 *
 * Attendance, per registration category (university, institute, enterprise, government, other;
 * all five are listed, zeros included): registered = every registration, whatever its status (as
 * on the event dashboard), approved = status approved, checked_in = registrations with a check-in
 * time (only approved ones can check in). Overall: over every event (in the period).
 *
 * Period (from, to: local dates, inclusive, either may be open). Each figure is dated by what it
 * counts: collected by the achievement's publication day (overall) or the event's date (one
 * event); displayed, promoted, matched, meetings and attendance by the event's date; intentions by
 * the day they were recorded (Asia/Shanghai); contracts and their amount by the signing date. The
 * monthly series (by_month) uses the same dates: collected, intentions, contracts, amount per
 * month YYYY-MM, months with no figure left out.
 *
 * Breakdowns: by the top-level field of the achievement (for intentions: of the linked
 * achievement, else of the linked need), by organization type and by region (listing figures: the
 * owner organization of the achievement; intentions: org_a, else org_b). Meetings and matched are
 * not broken down. "" stands for unknown (no linked listing or organization, or no region). */
#include <stdlib.h>
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

static const char *const categories[] = {"university", "institute", "enterprise", "government",
                                         "other"};

static stats_month *month_for(arena *a, stats_view *v, int *cap, const char *month)
{
    for (int i = 0; i < v->nmonth; i++)
        if (str_eq(v->by_month[i].month, month)) return &v->by_month[i];
    if (v->nmonth == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        stats_month *nm = arena_alloc(a, sizeof *nm * (size_t)nc);
        if (v->nmonth) memcpy(nm, v->by_month, sizeof *nm * (size_t)v->nmonth);
        v->by_month = nm;
        *cap = nc;
    }
    stats_month *m = &v->by_month[v->nmonth++];
    memset(m, 0, sizeof *m);
    m->month = month;
    return m;
}

static int month_cmp(const void *x, const void *y)
{
    return strcmp(((const stats_month *)x)->month, ((const stats_month *)y)->month);
}

err_code stats_compute(dctx *c, int64_t event_id, stats_view *out, err *e)
{
    return stats_compute_period(c, event_id, NULL, NULL, out, e);
}

err_code stats_compute_period(dctx *c, int64_t event_id, const char *from, const char *to,
                              stats_view *out, err *e)
{
    memset(out, 0, sizeof *out);
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "statistics are for organizers");
    if (from && !*from) from = NULL;
    if (to && !*to) to = NULL;
    if (from && !input_date_valid(from))
        return err_set(e, ERR_INVALID, "from", "err.date", "from must be a date YYYY-MM-DD");
    if (to && !input_date_valid(to))
        return err_set(e, ERR_INVALID, "to", "err.date", "to must be a date YYYY-MM-DD");
    if (from && to && strcmp(from, to) > 0)
        return err_set(e, ERR_INVALID, "to", "stats.err.period", "to is before from");
    if (event_id) {
        event_rec ev;
        if (store_event_get(c->db, c->a, event_id, &ev, e)) return e->code;
    }
    out->event_id = event_id;
    out->from = from ? arena_strdup(c->a, from) : NULL;
    out->to = to ? arena_strdup(c->a, to) : NULL;
    stats_scope sc = {event_id, from, to};
    stats_cell *cells;
    stats_attendance_rec *att;
    int n, natt, capf = 0, capo = 0, capr = 0, capm = 0;
    if (store_stats_cells(c->db, c->a, &sc, &cells, &n, e) ||
        store_stats_meetings(c->db, &sc, &out->requested, &out->accepted, &out->held, e) ||
        store_stats_attendance(c->db, c->a, &sc, &att, &natt, e))
        return e->code;
    for (int i = 0; i < n; i++) {
        const stats_cell *s = &cells[i];
        if (s->figure == STATS_MATCHED) {
            out->matched += s->count;
            continue;
        }
        if (s->figure < 0 || s->figure > STATS_CONTRACTS) continue;
        stats_row *f = row_for(c->a, &out->by_field, &out->nfield, &capf, s->field);
        stats_row *o = row_for(c->a, &out->by_org_type, &out->norg_type, &capo, s->org_type);
        stats_row *r = row_for(c->a, &out->by_region, &out->nregion, &capr, s->region);
        out->v[s->figure] += s->count;
        f->v[s->figure] += s->count;
        o->v[s->figure] += s->count;
        r->v[s->figure] += s->count;
        if (s->figure == STATS_CONTRACTS) {
            out->amount_centi += s->amount_centi;
            f->amount_centi += s->amount_centi;
            o->amount_centi += s->amount_centi;
            r->amount_centi += s->amount_centi;
        }
        if (*s->month && (s->figure == STATS_COLLECTED || s->figure == STATS_INTENTIONS ||
                          s->figure == STATS_CONTRACTS)) {
            stats_month *m = month_for(c->a, out, &capm, s->month);
            if (s->figure == STATS_COLLECTED) m->collected += s->count;
            if (s->figure == STATS_INTENTIONS) m->intentions += s->count;
            if (s->figure == STATS_CONTRACTS) {
                m->contracts += s->count;
                m->amount_centi += s->amount_centi;
            }
        }
    }
    if (out->nmonth > 1)
        qsort(out->by_month, (size_t)out->nmonth, sizeof *out->by_month, month_cmp);
    int ncat = (int)(sizeof categories / sizeof *categories);
    out->attendance = arena_alloc(c->a, sizeof *out->attendance * (size_t)ncat);
    out->nattendance = ncat;
    for (int k = 0; k < ncat; k++) {
        stats_attendance_rec *r = &out->attendance[k];
        memset(r, 0, sizeof *r);
        r->category = categories[k];
        for (int i = 0; i < natt; i++)
            if (str_eq(att[i].category, categories[k])) {
                r->registered = att[i].registered;
                r->approved = att[i].approved;
                r->checked_in = att[i].checked_in;
            }
        out->registered += r->registered;
        out->approved += r->approved;
        out->checked_in += r->checked_in;
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
    json_t *bf = json_array(), *bo = json_array(), *br = json_array(), *at = json_array(),
           *bm = json_array();
    for (int i = 0; i < s->nfield; i++)
        json_array_append_new(bf, row_json(a, &s->by_field[i]));
    for (int i = 0; i < s->norg_type; i++)
        json_array_append_new(bo, row_json(a, &s->by_org_type[i]));
    for (int i = 0; i < s->nregion; i++)
        json_array_append_new(br, row_json(a, &s->by_region[i]));
    for (int i = 0; i < s->nattendance; i++) {
        const stats_attendance_rec *r = &s->attendance[i];
        json_array_append_new(at, json_pack("{s:s,s:I,s:I,s:I}", "category", r->category,
                                            "registered", (json_int_t)r->registered, "approved",
                                            (json_int_t)r->approved, "checked_in",
                                            (json_int_t)r->checked_in));
    }
    for (int i = 0; i < s->nmonth; i++) {
        const stats_month *m = &s->by_month[i];
        json_array_append_new(bm, json_pack("{s:s,s:I,s:I,s:I,s:s}", "month", m->month, "collected",
                                            (json_int_t)m->collected, "intentions",
                                            (json_int_t)m->intentions, "contracts",
                                            (json_int_t)m->contracts, "amount_wan",
                                            intention_amount_text(a, m->amount_centi)));
    }
    json_t *j = json_pack(
        "{s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s},s:o,s:o}", "event_id",
        s->event_id ? json_integer(s->event_id) : json_null(), "funnel", "collected",
        (json_int_t)s->v[STATS_COLLECTED], "displayed", (json_int_t)s->v[STATS_DISPLAYED],
        "promoted", (json_int_t)s->v[STATS_PROMOTED], "meetings_requested",
        (json_int_t)s->requested, "meetings_accepted", (json_int_t)s->accepted, "meetings_held",
        (json_int_t)s->held, "intentions", (json_int_t)s->v[STATS_INTENTIONS], "contracts",
        (json_int_t)s->v[STATS_CONTRACTS], "contract_amount_wan",
        intention_amount_text(a, s->amount_centi), "by_field", bf, "by_org_type", bo);
    json_object_set_new(json_object_get(j, "funnel"), "matched", json_integer(s->matched));
    json_object_set_new(j, "by_region", br);
    json_object_set_new(j, "attendance", at);
    json_object_set_new(j, "by_month", bm);
    json_object_set_new(j, "period",
                        json_pack("{s:o,s:o}", "from", s->from ? json_string(s->from) : json_null(),
                                  "to", s->to ? json_string(s->to) : json_null()));
    return j;
}
