/* test_stats.c — the statistics (domain/stats.c, store/stats.c) of one event, overall, and for a
 * period, against a fixture written row by row in SQL so that every figure can be counted by
 * hand from the comments below. */
#include <string.h>

#include "domain/report.h"
#include "test.h"

/* Orgs: 1 university (A市), 2 institute (B市), 3 enterprise (A市), 4 government (no region).
 * Achievements (published day, Asia/Shanghai): L1 U biomed.api 03-10, L2 U biomed.excipient 04-05,
 * L3 I it.ai 04-20, L4 I biomed.api 2026-05-31T17:00Z = local 06-01, L5 U draft; need N1 of E.
 * Events: E1 2026-05-20 published, E2 2026-10-01 published, E3 2026-06-15 draft.
 * Registrations: E1: R1 U university approved checked-in brings L1 L2; R2 I institute approved
 * brings L3; R3 E enterprise approved checked-in brings N1; R4 other pending; R5 government
 * rejected; R6 institute rejected brings L4. E2: R7 institute approved checked-in brings L4; R8
 * enterprise approved checked-in. E3: R9 university approved brings L1.
 * Roadshows: E1 L1; E2 L4. Meetings: E1 M1 R3→R1 accepted in a slot, M2 R3→R2 requested, M3
 * R1→R2 declined; E2 M4 R8→R7 accepted, no slot.
 * Intentions: I1 E1 L1 U–E signed 50 万元 on 06-10 (recorded 05-20); I2 E1 N1 I–E preliminary
 * (05-20); I3 E2 L4 I–E completed 123.45 万元 on 10-02 (10-01); I4 no event, E only, terminated,
 * recorded 2026-07-01T20:00Z = local 07-02. */
static const char *const fixture_sql =
    "INSERT INTO orgs (id, name, type, region, created_at) VALUES "
    "(1, 'U', 'university', 'A市', 'x'), (2, 'I', 'institute', 'B市', 'x'), "
    "(3, 'E', 'enterprise', 'A市', 'x'), (4, 'G', 'government', '', 'x');"
    "INSERT INTO listings (id, kind, org_id, title, field, status, created_at, updated_at, "
    "published_at) VALUES "
    "(1, 'achievement', 1, 'L1', 'biomed.api', 'published', '2026-01-01T00:00:00Z', 'x', "
    "'2026-03-10T02:00:00Z'),"
    "(2, 'achievement', 1, 'L2', 'biomed.excipient', 'published', '2026-01-01T00:00:00Z', 'x', "
    "'2026-04-05T02:00:00Z'),"
    "(3, 'achievement', 2, 'L3', 'it.ai', 'published', '2026-01-01T00:00:00Z', 'x', "
    "'2026-04-20T02:00:00Z'),"
    "(4, 'achievement', 2, 'L4', 'biomed.api', 'published', '2026-01-01T00:00:00Z', 'x', "
    "'2026-05-31T17:00:00Z'),"
    "(5, 'achievement', 1, 'L5', 'biomed.api', 'draft', '2026-01-01T00:00:00Z', 'x', NULL),"
    "(6, 'need', 3, 'N1', 'biomed.api', 'published', '2026-01-01T00:00:00Z', 'x', "
    "'2026-01-02T00:00:00Z');"
    "INSERT INTO events (id, title, venue, date, start_time, end_time, status, created_at, "
    "updated_at) VALUES (1, 'E1', 'V', '2026-05-20', '09:00', '17:00', 'published', 'x', 'x'),"
    "(2, 'E2', 'V', '2026-10-01', '09:00', '17:00', 'published', 'x', 'x'),"
    "(3, 'E3', 'V', '2026-06-15', '09:00', '17:00', 'draft', 'x', 'x');"
    "INSERT INTO registrations (id, event_id, org_id, name, org_name, category, brings, email, "
    "status, token, checked_in_at, created_at, updated_at) VALUES "
    "(1, 1, 1, 'r1', 'U', 'university', 'achievements', 'r1@x.cn', 'approved', 't1', 'c', 'x', "
    "'x'),"
    "(2, 1, 2, 'r2', 'I', 'institute', 'achievements', 'r2@x.cn', 'approved', 't2', NULL, 'x', "
    "'x'),"
    "(3, 1, 3, 'r3', 'E', 'enterprise', 'needs', 'r3@x.cn', 'approved', 't3', 'c', 'x', 'x'),"
    "(4, 1, NULL, 'r4', 'O', 'other', 'neither', 'r4@x.cn', 'pending', 't4', NULL, 'x', 'x'),"
    "(5, 1, 4, 'r5', 'G', 'government', 'neither', 'r5@x.cn', 'rejected', 't5', NULL, 'x', "
    "'x'),"
    "(6, 1, 2, 'r6', 'I', 'institute', 'achievements', 'r6@x.cn', 'rejected', 't6', NULL, 'x', "
    "'x'),"
    "(7, 2, 2, 'r7', 'I', 'institute', 'achievements', 'r7@x.cn', 'approved', 't7', 'c', 'x', "
    "'x'),"
    "(8, 2, 3, 'r8', 'E', 'enterprise', 'needs', 'r8@x.cn', 'approved', 't8', 'c', 'x', 'x'),"
    "(9, 3, 1, 'r9', 'U', 'university', 'achievements', 'r9@x.cn', 'approved', 't9', NULL, "
    "'x', 'x');"
    "INSERT INTO registration_listings VALUES (1, 1), (1, 2), (2, 3), (3, 6), (6, 4), (7, 4), "
    "(9, 1);"
    "INSERT INTO roadshow_projects (event_id, listing_id, presenter, sort, created_at, "
    "updated_at) VALUES (1, 1, 'p', 1, 'x', 'x'), (2, 4, 'p', 1, 'x', 'x');"
    "INSERT INTO event_sessions (id, event_id, kind, title, start_time, end_time, created_at, "
    "updated_at) VALUES (1, 1, 'matchmaking', 's', '14:00', '17:00', 'x', 'x');"
    "INSERT INTO meeting_slots (id, event_id, session_id, start_time, end_time, created_at) "
    "VALUES (1, 1, 1, '14:00', '14:20', 'x');"
    "INSERT INTO meetings (id, event_id, requester_id, invitee_id, status, slot_id, table_no, "
    "expires_at, created_at, updated_at) VALUES "
    "(1, 1, 3, 1, 'accepted', 1, 1, 'x', 'x', 'x'), (2, 1, 3, 2, 'requested', NULL, NULL, 'x', "
    "'x', 'x'), (3, 1, 1, 2, 'declined', NULL, NULL, 'x', 'x', 'x'), (4, 2, 8, 7, 'accepted', "
    "NULL, NULL, 'x', 'x', 'x');"
    "INSERT INTO intentions (id, title, source, event_id, achievement_id, need_id, org_a_id, "
    "org_b_id, stage, contract_type, amount_centi, signed_on, created_at, updated_at) VALUES "
    "(1, 'I1', 'meeting', 1, 1, NULL, 1, 3, 'signed', 'license', 5000, '2026-06-10', "
    "'2026-05-20T03:00:00Z', 'x'),"
    "(2, 'I2', 'manual', 1, NULL, 6, 2, 3, 'preliminary', NULL, NULL, NULL, "
    "'2026-05-20T03:00:00Z', 'x'),"
    "(3, 'I3', 'match', 2, 4, NULL, 2, 3, 'completed', 'transfer', 12345, '2026-10-02', "
    "'2026-10-01T03:00:00Z', 'x'),"
    "(4, 'I4', 'manual', NULL, NULL, NULL, NULL, 3, 'terminated', NULL, NULL, NULL, "
    "'2026-07-01T20:00:00Z', 'x');";

static const stats_row *row(const stats_row *rows, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (str_eq(rows[i].key, key)) return &rows[i];
    return NULL;
}

static const stats_attendance_rec *att(const stats_view *s, const char *cat)
{
    for (int i = 0; i < s->nattendance; i++)
        if (str_eq(s->attendance[i].category, cat)) return &s->attendance[i];
    return NULL;
}

static void check_funnel(const stats_view *s, long long c, long long d, long long p, long long m,
                         long long rq, long long ac, long long h, long long in, long long k,
                         long long amt)
{
    CHECK_EQ_INT(s->v[STATS_COLLECTED], c);
    CHECK_EQ_INT(s->v[STATS_DISPLAYED], d);
    CHECK_EQ_INT(s->v[STATS_PROMOTED], p);
    CHECK_EQ_INT(s->matched, m);
    CHECK_EQ_INT(s->requested, rq);
    CHECK_EQ_INT(s->accepted, ac);
    CHECK_EQ_INT(s->held, h);
    CHECK_EQ_INT(s->v[STATS_INTENTIONS], in);
    CHECK_EQ_INT(s->v[STATS_CONTRACTS], k);
    CHECK_EQ_INT(s->amount_centi, amt);
}

TEST(stats_event_fixture)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    if (!CHECK_EQ_INT(db_exec(t.db, fixture_sql, &e), ERR_OK)) goto done;
    stats_view s;
    if (!CHECK_EQ_INT(stats_compute(&t.sys, 1, &s, &e), ERR_OK)) goto done;
    /* E1: collected L1 L2 L3 (L4 came with a rejected registration); displayed the same;
     * promoted L1; matched L1 (I1) and L1 L2 (R1 has the accepted M1) = 2; meetings 3/1/1;
     * intentions I1 I2; contract I1, 50 万元 */
    check_funnel(&s, 3, 3, 1, 2, 3, 1, 1, 2, 1, 5000);
    const stats_row *r = row(s.by_field, s.nfield, "biomed");
    if (CHECK(r)) {
        CHECK_EQ_INT(r->v[STATS_COLLECTED], 2);
        CHECK_EQ_INT(r->v[STATS_INTENTIONS], 2); /* I1 by L1, I2 by the need N1 */
        CHECK_EQ_INT(r->v[STATS_CONTRACTS], 1);
        CHECK_EQ_INT(r->amount_centi, 5000);
    }
    r = row(s.by_field, s.nfield, "it");
    if (CHECK(r)) CHECK_EQ_INT(r->v[STATS_COLLECTED], 1);
    CHECK_EQ_INT(s.nfield, 2);
    r = row(s.by_org_type, s.norg_type, "university");
    if (CHECK(r)) {
        CHECK_EQ_INT(r->v[STATS_COLLECTED], 2);
        CHECK_EQ_INT(r->v[STATS_PROMOTED], 1);
        CHECK_EQ_INT(r->v[STATS_INTENTIONS], 1);
        CHECK_EQ_INT(r->v[STATS_CONTRACTS], 1);
    }
    r = row(s.by_org_type, s.norg_type, "institute");
    if (CHECK(r)) {
        CHECK_EQ_INT(r->v[STATS_DISPLAYED], 1);
        CHECK_EQ_INT(r->v[STATS_INTENTIONS], 1); /* I2: org_a is the institute */
    }
    r = row(s.by_region, s.nregion, "A市");
    if (CHECK(r)) {
        CHECK_EQ_INT(r->v[STATS_COLLECTED], 2);
        CHECK_EQ_INT(r->v[STATS_INTENTIONS], 1);
        CHECK_EQ_INT(r->amount_centi, 5000);
    }
    r = row(s.by_region, s.nregion, "B市");
    if (CHECK(r)) {
        CHECK_EQ_INT(r->v[STATS_COLLECTED], 1);
        CHECK_EQ_INT(r->v[STATS_INTENTIONS], 1);
    }
    CHECK_EQ_INT(s.nregion, 2);
    /* attendance: every registration counts as registered (R5, R6 rejected, R4 pending) */
    CHECK_EQ_INT(s.nattendance, 5);
    const stats_attendance_rec *a = att(&s, "university");
    if (CHECK(a)) CHECK(a->registered == 1 && a->approved == 1 && a->checked_in == 1);
    a = att(&s, "institute");
    if (CHECK(a)) CHECK(a->registered == 2 && a->approved == 1 && a->checked_in == 0);
    a = att(&s, "government");
    if (CHECK(a)) CHECK(a->registered == 1 && a->approved == 0 && a->checked_in == 0);
    a = att(&s, "other");
    if (CHECK(a)) CHECK(a->registered == 1 && a->approved == 0 && a->checked_in == 0);
    CHECK(s.registered == 6 && s.approved == 3 && s.checked_in == 2);
    /* months: collected in the event's month; I1 I2 recorded in May; I1 signed in June */
    if (CHECK_EQ_INT(s.nmonth, 2)) {
        CHECK_EQ_STR(s.by_month[0].month, "2026-05");
        CHECK(s.by_month[0].collected == 3 && s.by_month[0].intentions == 2 &&
              s.by_month[0].contracts == 0);
        CHECK_EQ_STR(s.by_month[1].month, "2026-06");
        CHECK(s.by_month[1].contracts == 1 && s.by_month[1].amount_centi == 5000);
    }
    /* the JSON keys the dashboard reads */
    json_t *j = stats_to_json(t.a, &s);
    CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(j, "funnel"), "matched")), 2);
    CHECK_EQ_INT(json_array_size(json_object_get(j, "by_region")), 2);
    CHECK_EQ_INT(json_array_size(json_object_get(j, "attendance")), 5);
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_array_get(json_object_get(j, "by_month"), 1), "amount_wan")),
                 "50");
    CHECK(json_is_null(json_object_get(json_object_get(j, "period"), "from")));
    json_decref(j);
done:
    test_db_close(&t);
}

TEST(stats_overall_and_period_fixture)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    if (!CHECK_EQ_INT(db_exec(t.db, fixture_sql, &e), ERR_OK)) goto done;
    stats_view s;
    if (!CHECK_EQ_INT(stats_compute(&t.sys, 0, &s, &e), ERR_OK)) goto done;
    /* overall: collected L1–L4; displayed L1 L2 L3 (E1) + L4 (E2; E3 is a draft); promoted L1
     * L4; matched L1 L4 (intentions) ∪ L1 L2 (R1) ∪ L4 (R7) = 3; meetings 4/2/1; intentions 4;
     * contracts I1 I3 = 173.45 万元 */
    check_funnel(&s, 4, 4, 2, 3, 4, 2, 1, 4, 2, 17345);
    CHECK(s.registered == 9 && s.approved == 6 && s.checked_in == 4);
    /* months by publication day (L4 in June, local time), recording day (I4 on 07-02) and
     * signing day */
    static const struct {
        const char *m;
        long long c, i, k, amt;
    } want[] = {{"2026-03", 1, 0, 0, 0},    {"2026-04", 2, 0, 0, 0}, {"2026-05", 0, 2, 0, 0},
                {"2026-06", 1, 0, 1, 5000}, {"2026-07", 0, 1, 0, 0}, {"2026-10", 0, 1, 1, 12345}};
    if (CHECK_EQ_INT(s.nmonth, 6))
        for (int i = 0; i < 6; i++) {
            CHECK_EQ_STR(s.by_month[i].month, want[i].m);
            CHECK_EQ_INT(s.by_month[i].collected, want[i].c);
            CHECK_EQ_INT(s.by_month[i].intentions, want[i].i);
            CHECK_EQ_INT(s.by_month[i].contracts, want[i].k);
            CHECK_EQ_INT(s.by_month[i].amount_centi, want[i].amt);
        }
    const stats_row *r = row(s.by_region, s.nregion, "A市");
    if (CHECK(r)) CHECK_EQ_INT(r->v[STATS_INTENTIONS], 2); /* I1 (org_a U), I4 (org_b E) */

    /* April–May: collected L2 L3 (L4 is 06-01 local); E1 only: displayed 3, promoted 1,
     * meetings 3/1/1; matched L2 (R1's meeting; L1 is outside the period); intentions I1 I2;
     * no contract signed in the period */
    if (!CHECK_EQ_INT(stats_compute_period(&t.sys, 0, "2026-04-01", "2026-05-31", &s, &e), ERR_OK))
        goto done;
    check_funnel(&s, 2, 3, 1, 1, 3, 1, 1, 2, 0, 0);
    CHECK(s.registered == 6 && s.checked_in == 2);
    CHECK_EQ_STR(s.from, "2026-04-01");
    /* one event in a period that holds only its contract */
    if (!CHECK_EQ_INT(stats_compute_period(&t.sys, 1, "2026-06-01", "", &s, &e), ERR_OK)) goto done;
    check_funnel(&s, 0, 0, 0, 0, 0, 0, 0, 0, 1, 5000);
    CHECK(s.to == NULL);
    /* bad periods */
    CHECK_EQ_INT(stats_compute_period(&t.sys, 0, "2026-13-01", NULL, &s, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "from");
    CHECK_EQ_INT(stats_compute_period(&t.sys, 0, "2026-05-01", "2026-04-01", &s, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "to");
    CHECK_EQ_INT(stats_compute(&t.sys, 99, &s, &e), ERR_NOT_FOUND);
done:
    test_db_close(&t);
}

static const char *key_tr(const char *lang, const char *key)
{
    (void)lang;
    return key;
}

static const report_table *find_table(const report_data *d, const char *sheet)
{
    for (int i = 0; i < d->ntables; i++)
        if (str_eq(d->tables[i].sheet, sheet)) return &d->tables[i];
    return NULL;
}

TEST(stats_report_build_fixture)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    if (!CHECK_EQ_INT(db_exec(t.db, fixture_sql, &e), ERR_OK)) goto done;
    user_rec um;
    if (!test_user(&t, "tto@u.example.cn", "inst_member", "U", &um)) goto done;
    dctx uc = test_ctx(&t, &um);
    report_data d;
    CHECK_EQ_INT(report_build(&uc, 1, NULL, NULL, "zh-CN", key_tr, &d, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(report_build(&t.sys, 99, NULL, NULL, "zh-CN", key_tr, &d, &e), ERR_NOT_FOUND);
    if (!CHECK_EQ_INT(report_build(&t.sys, 1, NULL, NULL, "zh-CN", key_tr, &d, &e), ERR_OK))
        goto done;
    /* one table per sheet, in order; the funnel first, with the hand-counted figures of E1 */
    static const char *const sheets[] = {
        "report.sheet.summary", "report.sheet.field",      "report.sheet.org_type",
        "report.sheet.region",  "report.sheet.attendance", "report.sheet.month",
        "report.sheet.ranking", "report.sheet.intentions", "report.sheet.participants"};
    if (CHECK_EQ_INT(d.ntables, 9))
        for (int i = 0; i < 9; i++)
            CHECK_EQ_STR(d.tables[i].sheet, sheets[i]);
    const report_table *f = &d.tables[0];
    static const char *const want[] = {"3", "3", "1", "2", "3", "1", "1", "2", "1", "50"};
    if (CHECK_EQ_INT(f->nrows, 10))
        for (int i = 0; i < 10; i++)
            CHECK_EQ_STR(f->cells[i * 3 + 1].text, want[i]);
    CHECK_EQ_STR(f->cells[3 * 3].text, "report.fig.matched");
    const report_table *att = find_table(&d, "report.sheet.attendance");
    if (CHECK(att) && CHECK_EQ_INT(att->nrows, 6)) /* five categories and the total */
        CHECK_EQ_STR(att->cells[5 * 4 + 3].text, "2");
    const report_table *rk = find_table(&d, "report.sheet.ranking");
    if (CHECK(rk)) CHECK_EQ_INT(rk->nrows, 1); /* L1 is E1's only roadshow project */
    const report_table *in = find_table(&d, "report.sheet.intentions");
    if (CHECK(in)) CHECK_EQ_INT(in->nrows, 2);
    const report_table *pa = find_table(&d, "report.sheet.participants");
    if (CHECK(pa)) {
        CHECK_EQ_INT(pa->nrows, 6);
        CHECK(!pa->in_pdf);
    }
    CHECK(strstr(d.summary, "征集、展示科技成果3项") != NULL);
    CHECK_EQ_STR(d.title, "E1");
    /* overall: no ranking and no participants */
    if (CHECK_EQ_INT(report_build(&t.sys, 0, "2026-04-01", "2026-05-31", "en", key_tr, &d, &e),
                     ERR_OK)) {
        CHECK_EQ_INT(d.ntables, 7);
        CHECK(find_table(&d, "report.sheet.ranking") == NULL);
        CHECK_EQ_STR(d.tables[0].cells[1].text, "2"); /* collected in April–May */
        CHECK(strstr(d.summary, "From 1 April 2026 to 31 May 2026") == d.summary);
        /* I1 and I2 were recorded in May; I3 and I4 fall outside */
        const report_table *it = find_table(&d, "report.sheet.intentions");
        if (CHECK(it) && CHECK_EQ_INT(it->nrows, 2)) CHECK_EQ_STR(it->cells[7].text, "I1");
    }
    /* June: I1 (signed 06-10) only; E1 (05-20) is outside, so no ranking or participants */
    if (CHECK_EQ_INT(report_build(&t.sys, 1, "2026-06-01", "2026-06-30", "en", key_tr, &d, &e),
                     ERR_OK)) {
        CHECK_EQ_INT(d.ntables, 7);
        const report_table *it = find_table(&d, "report.sheet.intentions");
        if (CHECK(it) && CHECK_EQ_INT(it->nrows, 1)) CHECK_EQ_STR(it->cells[0].text, "I1");
    }
done:
    test_db_close(&t);
}
