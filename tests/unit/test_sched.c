/* test_sched.c — the meeting scheduler: exact small cases, brute-force optima of tiny random
 * instances, random instances checked by the validator, fixed and unavailable cases, every
 * bad-instance error and every rule of the validator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched.h"
#include "test.h"

/* ---- building problems tersely ---- */

/* Slots "s1".."sN"; the first `am` in session "am", the rest in "pm". */
static sched_problem *problem(arena *a, int tables, int nslots, int am)
{
    sched_problem *p = sched_new(a, tables);
    err e = {0};
    for (int s = 0; s < nslots; s++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", s + 1);
        if (sched_add_slot(p, id, s < am ? "am" : "pm", &e)) return NULL;
    }
    return p;
}

/* Participants "p1".."pN" without caps. */
static bool people(sched_problem *p, int n)
{
    err e = {0};
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", i + 1);
        if (sched_add_participant(p, id, -1, &e)) return false;
    }
    return true;
}

static bool meet(sched_problem *p, const char *id, const char *a, const char *b, double w)
{
    err e = {0};
    return sched_add_meeting(p, id, a, b, w, NULL, 0, &e) == ERR_OK;
}

/* Solves p, checks the answer with the validator and returns its stats. */
static sched_stats solve_ok(sched_problem *p, arena *a, sched_answer *ans)
{
    err e = {0};
    sched_answer local;
    if (!ans) ans = &local;
    sched_stats none = {-1, -1, -1};
    if (!CHECK_EQ_INT(sched_solve(p, a, ans, &e), ERR_OK)) return none;
    const char *bad = sched_validate(p, ans, a);
    if (!CHECK_EQ_STR(bad, NULL)) return none;
    return sched_stats_of(p, ans);
}

/* ---- exact small cases ---- */

TEST(sched_triangle_takes_the_two_heaviest)
{
    /* a triangle has matchings of one edge only: two slots hold two of the three meetings */
    arena *a = arena_new();
    sched_problem *p = problem(a, 10, 2, 2);
    CHECK(people(p, 3));
    CHECK(meet(p, "m1", "p1", "p2", 1) && meet(p, "m2", "p2", "p3", 2) &&
          meet(p, "m3", "p1", "p3", 3));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans);
    CHECK_EQ_INT(st.scheduled, 2);
    CHECK(st.weight == 5);
    CHECK_EQ_INT(ans.slot[0], -1);
    CHECK_EQ_INT(ans.table[0], 0);
    CHECK_EQ_INT(st.idle_gaps, 0);
    arena_free(a);
}

TEST(sched_tables_cap_each_slot)
{
    arena *a = arena_new();
    sched_problem *p = problem(a, 1, 2, 2);
    CHECK(people(p, 6));
    CHECK(meet(p, "m1", "p1", "p2", 1) && meet(p, "m2", "p3", "p4", 4) &&
          meet(p, "m3", "p5", "p6", 2));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans);
    CHECK_EQ_INT(st.scheduled, 2);
    CHECK(st.weight == 6);
    CHECK_EQ_INT(ans.slot[0], -1);
    CHECK_EQ_INT(ans.table[1], 1);
    CHECK_EQ_INT(ans.table[2], 1);
    arena_free(a);
}

TEST(sched_max_meetings_keeps_the_heaviest)
{
    arena *a = arena_new();
    sched_problem *p = problem(a, 5, 4, 4);
    err e = {0};
    CHECK_EQ_INT(sched_add_participant(p, "hub", 2, &e), ERR_OK);
    CHECK(people(p, 4));
    CHECK(meet(p, "m1", "hub", "p1", 1) && meet(p, "m2", "hub", "p2", 3) &&
          meet(p, "m3", "hub", "p3", 2) && meet(p, "m4", "hub", "p4", 1));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans);
    CHECK_EQ_INT(st.scheduled, 2);
    CHECK(st.weight == 5);
    CHECK(ans.slot[1] >= 0 && ans.slot[2] >= 0);
    CHECK_EQ_INT(st.idle_gaps, 0); /* the two are back to back */
    arena_free(a);
}

TEST(sched_relocates_a_blocker)
{
    /* p2 can only meet in s1; the greedy puts m1 (p1–p3) there first, the repair moves it */
    arena *a = arena_new();
    sched_problem *p = problem(a, 5, 2, 2);
    err e = {0};
    CHECK(people(p, 3));
    CHECK_EQ_INT(sched_add_unavailable(p, "p2", "s2", &e), ERR_OK);
    CHECK(meet(p, "m1", "p1", "p3", 1) && meet(p, "m2", "p1", "p2", 1));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans);
    CHECK_EQ_INT(st.scheduled, 2);
    CHECK_EQ_INT(ans.slot[1], 0);
    CHECK_EQ_INT(ans.slot[0], 1);
    arena_free(a);
}

TEST(sched_unavailable_forces_a_gap_and_gaps_count_per_session)
{
    arena *a = arena_new();
    sched_problem *p = problem(a, 5, 6, 3);
    err e = {0};
    CHECK(people(p, 5));
    CHECK_EQ_INT(sched_add_unavailable(p, "p1", "s2", &e), ERR_OK);
    for (int s = 4; s <= 6; s++) {
        char sid[16];
        snprintf(sid, sizeof sid, "s%d", s);
        CHECK_EQ_INT(sched_add_unavailable(p, "p1", sid, &e), ERR_OK); /* am only */
    }
    CHECK(meet(p, "m1", "p1", "p2", 1) && meet(p, "m2", "p1", "p3", 1));
    /* p4 and p5 meet twice (two requests): back to back, no gap */
    CHECK(meet(p, "m3", "p4", "p5", 1) && meet(p, "m4", "p5", "p4", 1));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans);
    CHECK_EQ_INT(st.scheduled, 4);
    CHECK_EQ_INT(st.idle_gaps, 1); /* p1 in s1 and s3 */
    CHECK(ans.slot[0] != 1 && ans.slot[1] != 1);
    CHECK_EQ_INT(sched_slot_count(p), 6);
    CHECK_EQ_STR(sched_slot_id(p, 2), "s3");
    arena_free(a);
}

TEST(sched_fixed_meetings_stay_put)
{
    arena *a = arena_new();
    sched_problem *p = problem(a, 3, 4, 2);
    err e = {0};
    CHECK(people(p, 4));
    CHECK_EQ_INT(sched_add_meeting(p, "f1", "p1", "p2", 1, "s4", 3, &e), ERR_OK);
    CHECK_EQ_INT(sched_add_meeting(p, "f2", "p3", "p4", 0, "s4", 0, &e), ERR_OK);
    CHECK(meet(p, "m1", "p1", "p3", 5) && meet(p, "m2", "p2", "p4", 5));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans);
    CHECK_EQ_INT(ans.slot[0], 3);
    CHECK_EQ_INT(ans.table[0], 3);
    CHECK_EQ_INT(ans.slot[1], 3);
    CHECK(ans.table[1] != 3);
    CHECK_EQ_INT(st.scheduled, 4);
    CHECK_EQ_INT(st.idle_gaps, 0); /* m1 and m2 next to the fixed s4, or in the other session */
    CHECK(ans.slot[2] != 1 && ans.slot[3] != 1);
    CHECK_EQ_INT(sched_meeting_find(p, "f2"), 1);
    CHECK_EQ_INT(sched_slot_find(p, "nope"), -1);
    arena_free(a);
}

TEST(sched_empty_and_degenerate)
{
    arena *a = arena_new();
    sched_problem *p = problem(a, 2, 0, 0);
    CHECK(people(p, 2));
    CHECK(meet(p, "m1", "p1", "p2", 1));
    sched_answer ans;
    sched_stats st = solve_ok(p, a, &ans); /* no slots: everything unscheduled */
    CHECK_EQ_INT(st.scheduled, 0);
    CHECK_EQ_INT(ans.slot[0], -1);
    sched_problem *q = problem(a, 2, 3, 3);
    st = solve_ok(q, a, NULL); /* no meetings */
    CHECK_EQ_INT(st.scheduled, 0);
    arena_free(a);
}

/* ---- random instances ---- */

typedef struct {
    uint64_t s;
} lcg;

static int rnd_int(lcg *r, int n)
{
    r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
    return (int)((r->s >> 33) % (uint64_t)n);
}

/* A random instance: np participants, nm meetings, ns slots in two sessions, some caps,
 * unavailability, weights 1..3 and a few fixed meetings (kept only when sched_check accepts). */
static sched_problem *random_problem(arena *a, lcg *r, int np, int nm, int ns, int tables,
                                     bool with_fixed)
{
    sched_problem *p = problem(a, tables, ns, ns / 2);
    err e = {0};
    for (int i = 0; i < np; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", i + 1);
        sched_add_participant(p, id, rnd_int(r, 3) ? -1 : 1 + rnd_int(r, ns), &e);
        if (!rnd_int(r, 4)) {
            char sid[16];
            snprintf(sid, sizeof sid, "s%d", 1 + rnd_int(r, ns));
            sched_add_unavailable(p, id, sid, &e);
        }
    }
    for (int m = 0; m < nm; m++) {
        char id[16], pa[16], pb[16], fs[16];
        int x = rnd_int(r, np), y = rnd_int(r, np - 1);
        if (y >= x) y++;
        if (x > np / 3 && rnd_int(r, 2)) x = rnd_int(r, 1 + np / 5); /* popular ones */
        if (x == y) continue;
        snprintf(id, sizeof id, "m%d", m + 1);
        snprintf(pa, sizeof pa, "p%d", x + 1);
        snprintf(pb, sizeof pb, "p%d", y + 1);
        snprintf(fs, sizeof fs, "s%d", 1 + rnd_int(r, ns));
        bool fixed = with_fixed && !rnd_int(r, 30);
        sched_add_meeting(p, id, pa, pb, 1 + rnd_int(r, 3), fixed ? fs : NULL, 0, &e);
        if (fixed && sched_check(p, &e)) { /* drop the fixing that broke it: rebuild that one */
            return random_problem(a, r, np, nm, ns, tables, false);
        }
    }
    return p;
}

/* Brute force over every assignment of the movable meetings: the best weight, and the fewest
 * gaps at that weight. Only for tiny instances. */
static void brute(const sched_problem *p, sched_answer *cur, int m, double *best_w, long *best_g)
{
    int n = sched_meeting_count(p), S = sched_slot_count(p);
    if (m == n) {
        arena *a = arena_new();
        /* tables: number them per slot so that only the rules that matter can fail */
        int used[64] = {0};
        for (int i = 0; i < n; i++)
            cur->table[i] = cur->slot[i] < 0 ? 0 : ++used[cur->slot[i]];
        if (!sched_validate(p, cur, a)) {
            sched_stats st = sched_stats_of(p, cur);
            if (st.weight > *best_w + 1e-9 ||
                (st.weight > *best_w - 1e-9 && st.idle_gaps < *best_g)) {
                *best_w = st.weight;
                *best_g = st.idle_gaps;
            }
        }
        arena_free(a);
        return;
    }
    for (int s = -1; s < S; s++) {
        cur->slot[m] = s;
        brute(p, cur, m + 1, best_w, best_g);
    }
}

TEST(sched_tiny_random_instances_match_brute_force)
{
    lcg r = {7};
    int weight_misses = 0, gap_misses = 0;
    for (int k = 0; k < 60; k++) {
        arena *a = arena_new();
        int ns = 2 + rnd_int(&r, 2), nm = 4 + rnd_int(&r, 3);
        sched_problem *p =
            random_problem(a, &r, 3 + rnd_int(&r, 3), nm, ns, 1 + rnd_int(&r, 2), false);
        sched_stats st = solve_ok(p, a, NULL);
        double bw = -1;
        long bg = 1 << 30;
        sched_answer cur = sched_answer_new(p, a);
        brute(p, &cur, 0, &bw, &bg);
        if (st.weight < bw - 1e-9)
            weight_misses++;
        else if (st.idle_gaps > bg)
            gap_misses++;
        arena_free(a);
    }
    CHECK_EQ_INT(weight_misses, 0);
    CHECK_EQ_INT(gap_misses, 0);
}

TEST(sched_random_instances_are_valid)
{
    lcg r = {42};
    for (int k = 0; k < 40; k++) {
        arena *a = arena_new();
        int ns = 1 + rnd_int(&r, 12), np = 2 + rnd_int(&r, 60);
        sched_problem *p =
            random_problem(a, &r, np, rnd_int(&r, 300), ns, 1 + rnd_int(&r, 12), true);
        err e = {0};
        sched_answer ans;
        if (!CHECK_EQ_INT(sched_solve(p, a, &ans, &e), ERR_OK)) {
            arena_free(a);
            return;
        }
        if (!CHECK_EQ_STR(sched_validate(p, &ans, a), NULL)) {
            arena_free(a);
            return;
        }
        arena_free(a);
    }
}

TEST(sched_is_deterministic_and_valid_on_a_large_instance)
{
    lcg r = {3};
    arena *a = arena_new();
    sched_problem *p = random_problem(a, &r, 300, 2000, 16, 40, true);
    sched_answer x, y;
    sched_stats sx = solve_ok(p, a, &x), sy = solve_ok(p, a, &y);
    CHECK(sx.weight == sy.weight);
    CHECK_EQ_INT(sx.idle_gaps, sy.idle_gaps);
    CHECK(!memcmp(x.slot, y.slot, (size_t)sched_meeting_count(p) * sizeof(int)));
    CHECK(!memcmp(x.table, y.table, (size_t)sched_meeting_count(p) * sizeof(int)));
    arena_free(a);
}

/* ---- bad instances: every error names the item ---- */

static bool fails_naming(err_code rc, const err *e, const char *item)
{
    return rc == ERR_INVALID && strstr(e->msg, item) != NULL;
}

TEST(sched_bad_ids)
{
    arena *a = arena_new();
    sched_problem *p = problem(a, 2, 2, 2);
    err e = {0};
    CHECK(fails_naming(sched_add_slot(p, "s1", "am", &e), &e, "duplicate slot id \"s1\""));
    CHECK(fails_naming(sched_add_slot(p, "", "am", &e), &e, "empty id"));
    CHECK(people(p, 2));
    CHECK(fails_naming(sched_add_participant(p, "p2", -1, &e), &e,
                       "duplicate participant id \"p2\""));
    CHECK(fails_naming(sched_add_unavailable(p, "p9", "s1", &e), &e, "\"p9\""));
    CHECK(fails_naming(sched_add_unavailable(p, "p1", "s9", &e), &e, "\"s9\""));
    CHECK(meet(p, "m1", "p1", "p2", 1));
    CHECK(fails_naming(sched_add_meeting(p, "m1", "p1", "p2", 1, NULL, 0, &e), &e,
                       "duplicate meeting id \"m1\""));
    CHECK(fails_naming(sched_add_meeting(p, "m2", "p1", "p7", 1, NULL, 0, &e), &e,
                       "\"p7\" is unknown"));
    CHECK_EQ_STR(e.field, "m2");
    CHECK(fails_naming(sched_add_meeting(p, "m3", "p1", "p1", 1, NULL, 0, &e), &e,
                       "\"p1\" cannot meet themselves"));
    CHECK(fails_naming(sched_add_meeting(p, "m4", "p1", "p2", -1, NULL, 0, &e), &e, "m4"));
    CHECK(fails_naming(sched_add_meeting(p, "m5", "p1", "p2", 1, "s7", 0, &e), &e,
                       "fixed slot \"s7\" is unknown"));
    CHECK(fails_naming(sched_add_meeting(p, "m6", "p1", "p2", 1, "s1", 3, &e), &e,
                       "fixed table 3 is out of range 1..2"));
    CHECK(fails_naming(sched_add_meeting(p, "m7", "p1", "p2", 1, NULL, 1, &e), &e,
                       "needs a fixed slot"));
    CHECK_EQ_INT(sched_meeting_count(p), 1); /* the failures added nothing */
    arena_free(a);
}

/* A fresh problem with 2 tables, slots s1..s3 (one session), p1..p4, p4 unavailable in s2, p3
 * capped at 1 meeting. */
static sched_problem *fixed_base(arena *a)
{
    sched_problem *p = problem(a, 2, 3, 3);
    err e = {0};
    sched_add_participant(p, "p1", -1, &e);
    sched_add_participant(p, "p2", -1, &e);
    sched_add_participant(p, "p3", 1, &e);
    sched_add_participant(p, "p4", -1, &e);
    sched_add_participant(p, "p5", -1, &e);
    sched_add_participant(p, "p6", -1, &e);
    sched_add_unavailable(p, "p4", "s2", &e);
    return p;
}

TEST(sched_infeasible_fixed_meetings)
{
    arena *a = arena_new();
    err e = {0};
    sched_answer ans;

    sched_problem *p = fixed_base(a); /* one person, two fixed meetings in one slot */
    sched_add_meeting(p, "f1", "p1", "p2", 1, "s1", 0, &e);
    sched_add_meeting(p, "f2", "p1", "p5", 1, "s1", 0, &e);
    CHECK(fails_naming(
        sched_check(p, &e), &e,
        "meetings \"f1\" and \"f2\" are both fixed in slot \"s1\" for participant \"p1\""));
    CHECK(fails_naming(sched_solve(p, a, &ans, &e), &e, "\"f2\""));

    p = fixed_base(a); /* fixed where unavailable */
    sched_add_meeting(p, "f3", "p1", "p4", 1, "s2", 0, &e);
    CHECK(fails_naming(
        sched_check(p, &e), &e,
        "meeting \"f3\" is fixed in slot \"s2\" where participant \"p4\" is unavailable"));

    p = fixed_base(a); /* more fixed meetings in a slot than tables */
    sched_add_meeting(p, "f4", "p1", "p2", 1, "s3", 0, &e);
    sched_add_meeting(p, "f5", "p4", "p5", 1, "s3", 0, &e);
    sched_add_meeting(p, "f6", "p3", "p6", 1, "s3", 0, &e);
    CHECK(fails_naming(sched_check(p, &e), &e,
                       "slot \"s3\" has more fixed meetings than its 2 tables"));
    CHECK_EQ_STR(e.field, "f6");

    p = fixed_base(a); /* a table taken twice */
    sched_add_meeting(p, "f7", "p1", "p2", 1, "s1", 2, &e);
    sched_add_meeting(p, "f8", "p4", "p5", 1, "s1", 2, &e);
    CHECK(fails_naming(sched_check(p, &e), &e,
                       "meetings \"f7\" and \"f8\" are both fixed at table 2 in slot \"s1\""));

    p = fixed_base(a); /* more fixed meetings than max_meetings */
    sched_add_meeting(p, "f9", "p3", "p1", 1, "s1", 0, &e);
    sched_add_meeting(p, "f10", "p3", "p2", 1, "s2", 0, &e);
    CHECK(fails_naming(sched_check(p, &e), &e, "participant \"p3\" has more fixed meetings"));

    p = fixed_base(a); /* and a feasible set passes */
    sched_add_meeting(p, "g1", "p1", "p2", 1, "s1", 2, &e);
    sched_add_meeting(p, "g2", "p4", "p5", 1, "s1", 1, &e);
    sched_add_meeting(p, "g3", "p1", "p4", 1, "s3", 0, &e);
    CHECK_EQ_INT(sched_check(p, &e), ERR_OK);
    arena_free(a);
}

/* ---- the validator names the first violation of every rule ---- */

TEST(sched_validate_catches_every_rule)
{
    arena *a = arena_new();
    err e = {0};
    sched_problem *p = fixed_base(a);
    sched_add_meeting(p, "m1", "p1", "p2", 1, NULL, 0, &e);
    sched_add_meeting(p, "m2", "p1", "p5", 1, NULL, 0, &e);
    sched_add_meeting(p, "m3", "p4", "p6", 1, NULL, 0, &e);
    sched_add_meeting(p, "m4", "p3", "p6", 1, NULL, 0, &e);
    sched_add_meeting(p, "m5", "p3", "p5", 1, NULL, 0, &e);
    sched_add_meeting(p, "f1", "p2", "p6", 1, "s3", 2, &e);
    sched_answer ans = sched_answer_new(p, a);
    int ok_slot[] = {0, 1, 0, 1, -1, 2}, ok_table[] = {1, 1, 2, 2, 0, 2};
#define RESET()                                                                                    \
    (memcpy(ans.slot, ok_slot, sizeof ok_slot), memcpy(ans.table, ok_table, sizeof ok_table))
    RESET();
    CHECK_EQ_STR(sched_validate(p, &ans, a), NULL);
    sched_stats st = sched_stats_of(p, &ans);
    CHECK_EQ_INT(st.scheduled, 5);
    CHECK_EQ_INT(st.idle_gaps, 1); /* p2: s1 and s3 */

    RESET();
    ans.slot[1] = 0; /* p1 twice in s1 */
    CHECK_EQ_STR(sched_validate(p, &ans, a),
                 "participant \"p1\" has meetings \"m1\" and \"m2\" in slot \"s1\"");
    RESET();
    ans.slot[2] = 1; /* p4 unavailable in s2 */
    CHECK(strstr(sched_validate(p, &ans, a), "\"m3\" is in slot \"s2\" where participant \"p4\""));
    RESET();
    ans.slot[4] = 2; /* p3 over max_meetings 1 */
    ans.table[4] = 1;
    CHECK(strstr(sched_validate(p, &ans, a), "participant \"p3\" has more than max_meetings 1"));
    RESET();
    ans.table[2] = 1; /* m1 and m3 share table 1 in s1 */
    CHECK_EQ_STR(sched_validate(p, &ans, a),
                 "meetings \"m1\" and \"m3\" share table 1 in slot \"s1\"");
    RESET();
    ans.table[0] = 3;
    CHECK(strstr(sched_validate(p, &ans, a), "\"m1\" is at table 3, outside 1..2"));
    RESET();
    ans.slot[5] = 1; /* the fixed one moved */
    CHECK(strstr(sched_validate(p, &ans, a), "fixed meeting \"f1\" moved"));
    RESET();
    ans.table[5] = 1;
    CHECK(strstr(sched_validate(p, &ans, a), "fixed meeting \"f1\" moved from table 2 to 1"));
    RESET();
    ans.slot[5] = -1;
    ans.table[5] = 0;
    CHECK(strstr(sched_validate(p, &ans, a), "fixed meeting \"f1\" is unscheduled"));
    RESET();
    ans.table[4] = 2;
    CHECK(strstr(sched_validate(p, &ans, a), "unscheduled meeting \"m5\" has table 2"));
    RESET();
    ans.slot[4] = 0; /* a third meeting in s1, which has 2 tables */
    ans.table[4] = 2;
    CHECK_EQ_STR(sched_validate(p, &ans, a), "slot \"s1\" holds more than 2 meetings");
    RESET();
    ans.slot[0] = 9;
    CHECK(strstr(sched_validate(p, &ans, a), "slot 9, which does not exist"));
#undef RESET
    arena_free(a);
}
