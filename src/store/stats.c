/* stats.c — the SQL of the statistics (统计). Every figure is defined in domain/stats.c; this
 * file only counts. Each query binds ?1 = event id (0 = every event), ?2 = first day and ?3 =
 * last day of the period (local dates YYYY-MM-DD, "" = open). The date a figure is dated by:
 * an achievement's publication (overall) or its event's date (one event) for collected; the
 * event's date for displayed, promoted, matched, meetings and attendance; the creation day
 * (Asia/Shanghai) of an intention; the signing date of a contract. */
#include <string.h>

#include "store/row.h"

/* The top-level field of listing alias L (two-level taxonomy). */
#define TOP(L) "COALESCE(NULLIF(f" L ".parent, ''), f" L ".code, '')"
/* x within the period. */
#define PER(x) "((?2 = '' OR " x " >= ?2) AND (?3 = '' OR " x " <= ?3))"
/* The local day an achievement was published (UTC time stamps, Asia/Shanghai = UTC+8). */
#define PUBDAY "date(COALESCE(l.published_at, l.created_at), '+8 hours')"
#define INTDAY "date(i.created_at, '+8 hours')"
#define SIGNDAY "COALESCE(i.signed_on, date(i.updated_at, '+8 hours'))"

/* Achievements collected: published, and for one event brought by a registration that is not
 * rejected of that event in the period. */
#define COLLECTED                                                                                  \
    "l.status = 'published' AND ((?1 = 0 AND " PER(PUBDAY) ") OR (?1 <> 0 AND l.id IN (SELECT "    \
                                                           "rl.listing_id FROM "                   \
                                                           "registration_listings rl JOIN "        \
                                                           "registrations r ON r.id = "            \
                                                           "rl.registration_id JOIN events ev "    \
                                                           "ON ev.id = r.event_id WHERE "          \
                                                           "r.event_id = ?1 AND r.status <> "      \
                                                           "'rejected' AND " PER("ev.date") ")))"

/* The month a collected achievement is counted in. */
#define COLLECTED_MONTH                                                                            \
    "CASE WHEN ?1 = 0 THEN substr(" PUBDAY ", 1, 7) ELSE (SELECT substr(date, 1, 7) FROM events "  \
    "WHERE id = ?1) END"

static const char *const listing_sets[4] = {
    /* STATS_COLLECTED */
    COLLECTED,
    /* STATS_DISPLAYED */
    "l.status = 'published' AND l.id IN (SELECT rl.listing_id FROM registration_listings rl JOIN "
    "registrations r ON r.id = rl.registration_id JOIN events ev ON ev.id = r.event_id WHERE "
    "r.status = 'approved' AND ev.status = 'published' AND (?1 = 0 OR r.event_id = ?1) "
    "AND " PER("ev.date") ")",
    /* STATS_PROMOTED */
    "l.id IN (SELECT rp.listing_id FROM roadshow_projects rp JOIN events ev ON ev.id = rp.event_id "
    "WHERE (?1 = 0 OR rp.event_id = ?1) AND " PER("ev.date") ")",
    /* STATS_MATCHED */
    COLLECTED " AND (l.id IN (SELECT i.achievement_id FROM intentions i WHERE i.achievement_id IS "
              "NOT NULL AND (?1 = 0 OR i.event_id = ?1) AND " PER(
                  INTDAY) ") OR l.id IN (SELECT rl.listing_id FROM registration_listings rl JOIN "
                          "registrations r ON r.id = rl.registration_id JOIN events ev ON ev.id = "
                          "r.event_id WHERE (?1 = 0 OR r.event_id = ?1) AND " PER(
                              "ev.date") " AND EXISTS (SELECT 1 FROM meetings m WHERE m.status = "
                                         "'accepted' AND (m.requester_id = r.id OR m.invitee_id "
                                         "= r.id))))",
};
static const int listing_figs[4] = {STATS_COLLECTED, STATS_DISPLAYED, STATS_PROMOTED,
                                    STATS_MATCHED};

#define INTENTION_FROM                                                                             \
    " FROM intentions i LEFT JOIN listings la ON la.id = i.achievement_id LEFT JOIN fields fa ON " \
    "fa.code = la.field LEFT JOIN listings ln ON ln.id = i.need_id LEFT JOIN fields fn ON "        \
    "fn.code = ln.field LEFT JOIN orgs oa ON oa.id = i.org_a_id LEFT JOIN orgs ob ON ob.id = "     \
    "i.org_b_id WHERE (?1 = 0 OR i.event_id = ?1) AND "
#define INTENTION_KEYS                                                                             \
    "COALESCE(NULLIF(fa.parent, ''), fa.code, NULLIF(fn.parent, ''), fn.code, ''), "               \
    "COALESCE(oa.type, ob.type, ''), CASE WHEN oa.id IS NOT NULL THEN oa.region ELSE "             \
    "COALESCE(ob.region, '') END, "

static void cell_read(db_stmt *s, arena *a, stats_cell *c)
{
    c->figure = (int)db_col_int(s, 0);
    c->field = row_text(a, s, 1);
    c->org_type = row_text(a, s, 2);
    c->region = row_text(a, s, 3);
    c->month = row_text(a, s, 4);
    c->count = db_col_int(s, 5);
    c->amount_centi = db_col_int(s, 6);
}

static void bind_scope(db_stmt *s, const stats_scope *sc)
{
    db_bind_int(s, 1, sc->event_id);
    db_bind_text(s, 2, sc->from ? sc->from : "");
    db_bind_text(s, 3, sc->to ? sc->to : "");
}

err_code store_stats_cells(db *d, arena *a, const stats_scope *sc, stats_cell **out, int *n, err *e)
{
    buf q = {0};
    for (int i = 0; i < 4; i++)
        buf_printf(&q,
                   "SELECT %d, " TOP("1") ", o.type, o.region, %s, COUNT(*), 0 FROM listings l "
                                          "JOIN orgs o ON o.id = l.org_id LEFT JOIN fields f1 ON "
                                          "f1.code = l.field WHERE l.kind = 'achievement' AND "
                                          "(%s) GROUP BY 2, 3, 4, 5 UNION ALL ",
                   listing_figs[i], listing_figs[i] == STATS_COLLECTED ? COLLECTED_MONTH : "''",
                   listing_sets[i]);
    buf_printf(&q,
               "SELECT %d, " INTENTION_KEYS "substr(" INTDAY
               ", 1, 7), COUNT(*), 0" INTENTION_FROM PER(
                   INTDAY) " GROUP BY 2, 3, 4, 5 UNION ALL "
                           "SELECT %d, " INTENTION_KEYS "substr(" SIGNDAY
                           ", 1, 7), COUNT(*), SUM(COALESCE(i.amount_centi, 0))" INTENTION_FROM
                           "i.stage IN ('signed','implementing','completed') AND " PER(
                               SIGNDAY) " GROUP BY 2, 3, 4, 5",
               STATS_INTENTIONS, STATS_CONTRACTS);
    char *sql = arena_strdup(a, q.s);
    buf_free(&q);
    db_stmt *s = db_prepare(d, sql, e);
    if (!s) return e->code;
    bind_scope(s, sc);
    ROW_COLLECT(s, a, stats_cell, cell_read, out, n);
}

err_code store_stats_meetings(db *d, const stats_scope *sc, int64_t *requested, int64_t *accepted,
                              int64_t *held, err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.status = 'accepted' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN m.status = 'accepted' AND m.slot_id IS NOT NULL THEN 1 ELSE 0 "
        "END), 0) FROM meetings m JOIN events ev ON ev.id = m.event_id WHERE (?1 = 0 OR "
        "m.event_id = ?1) AND " PER("ev.date"),
        e);
    if (!s) return e->code;
    bind_scope(s, sc);
    err_code rc = row_one(s, e, "meetings");
    if (!rc) {
        *requested = db_col_int(s, 0);
        *accepted = db_col_int(s, 1);
        *held = db_col_int(s, 2);
    }
    db_done(s);
    return rc;
}

static void att_read(db_stmt *s, arena *a, stats_attendance_rec *r)
{
    r->category = row_text(a, s, 0);
    r->registered = db_col_int(s, 1);
    r->approved = db_col_int(s, 2);
    r->checked_in = db_col_int(s, 3);
}

err_code store_stats_attendance(db *d, arena *a, const stats_scope *sc, stats_attendance_rec **out,
                                int *n, err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT r.category, COUNT(*), SUM(CASE WHEN r.status = 'approved' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN COALESCE(r.checked_in_at, '') <> '' THEN 1 ELSE 0 END) FROM "
        "registrations r JOIN events "
        "ev ON ev.id = r.event_id WHERE (?1 = 0 OR r.event_id = ?1) AND " PER(
            "ev.date") " GROUP BY r.category ORDER BY CASE r.category WHEN 'university' THEN 1 "
                       "WHEN 'institute' THEN 2 WHEN 'enterprise' THEN 3 WHEN 'government' THEN 4 "
                       "ELSE 5 END",
        e);
    if (!s) return e->code;
    bind_scope(s, sc);
    ROW_COLLECT(s, a, stats_attendance_rec, att_read, out, n);
}
