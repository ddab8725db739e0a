/* test_roadshow.c — roadshow ranking math (weights, z-scores, tie-break) and the
 * conflict-of-interest rule (domain/roadshow.c). */
#include <math.h>
#include <string.h>

#include "test.h"

TEST(roadshow_judge_total_weights)
{
    double w[3] = {2, 1, 1};
    int s[3] = {10, 6, 2};
    CHECK(fabs(roadshow_judge_total(w, s, 3) - 7.0) < 1e-9); /* (20+6+2)/4 */
    int miss[3] = {10, 0, 2};
    CHECK(roadshow_judge_total(w, miss, 3) < 0);
}

TEST(roadshow_rank_mean_and_tiebreak)
{
    /* 3 projects, 2 judges, 1 criterion. p0: 8,6 (mean 7, max 8); p1: 7,7 (mean 7, max 7);
     * p2: 9 by one judge only. p0 beats p1 on the single-judge maximum. */
    double w[1] = {1};
    int order[3] = {1, 2, 3};
    int sc[3 * 2] = {8, 6, 7, 7, 9, 0};
    roadshow_math m = {3, 2, 1, w, order, sc, false};
    roadshow_rank_row out[3];
    roadshow_rank(&m, out);
    CHECK_EQ_INT(out[0].project, 2);
    CHECK_EQ_INT(out[1].project, 0);
    CHECK_EQ_INT(out[2].project, 1);
    CHECK_EQ_INT(out[1].rank, 2);
    CHECK_EQ_INT(out[0].njudges, 1);
}

TEST(roadshow_rank_tiebreak_judges_then_order)
{
    double w[1] = {1};
    int order[3] = {3, 1, 2};
    /* p0: 7 by one judge; p1: 7,7; p2: 7,7 — same mean and max: more judges, then order */
    int sc[3 * 2] = {7, 0, 7, 7, 7, 7};
    roadshow_math m = {3, 2, 1, w, order, sc, false};
    roadshow_rank_row out[3];
    roadshow_rank(&m, out);
    CHECK_EQ_INT(out[0].project, 1);
    CHECK_EQ_INT(out[1].project, 2);
    CHECK_EQ_INT(out[2].project, 0);
}

TEST(roadshow_rank_unscored_last)
{
    double w[1] = {1};
    int order[2] = {1, 2};
    int sc[2] = {0, 1};
    roadshow_math m = {2, 1, 1, w, order, sc, false};
    roadshow_rank_row out[2];
    roadshow_rank(&m, out);
    CHECK_EQ_INT(out[0].project, 1);
    CHECK_EQ_INT(out[1].njudges, 0);
}

TEST(roadshow_rank_zscores_remove_judge_severity)
{
    /* judge 0 is harsh (2,3,4), judge 1 lenient (8,9,10): both order p2 > p1 > p0 equally.
     * Raw means would be equal shifts; z-scores are exactly -1.2247, 0, 1.2247 per judge. */
    double w[1] = {1};
    int order[3] = {1, 2, 3};
    int sc[3 * 2] = {2, 8, 3, 9, 4, 10};
    roadshow_math m = {3, 2, 1, w, order, sc, true};
    roadshow_rank_row out[3];
    roadshow_rank(&m, out);
    CHECK_EQ_INT(out[0].project, 2);
    CHECK(fabs(out[0].score - sqrt(1.5)) < 1e-9);
    CHECK(fabs(out[1].score) < 1e-9);
    CHECK(fabs(out[0].raw - 7.0) < 1e-9);
    /* a lenient judge scoring one project alone cannot lift it: z = 0 */
    int sc2[2 * 2] = {5, 0, 6, 10};
    roadshow_math m2 = {2, 2, 1, w, order, sc2, true};
    roadshow_rank(&m2, out);
    CHECK_EQ_INT(out[0].project, 1);
}

TEST(roadshow_rank_weights_change_order)
{
    int order[2] = {1, 2};
    int sc[2 * 1 * 2] = {10, 2, 2, 9}; /* p0 strong on c0, p1 on c1 */
    double w1[2] = {3, 1}, w2[2] = {1, 3};
    roadshow_rank_row out[2];
    roadshow_math m = {2, 1, 2, w1, order, sc, false};
    roadshow_rank(&m, out);
    CHECK_EQ_INT(out[0].project, 0);
    m.weights = w2;
    roadshow_rank(&m, out);
    CHECK_EQ_INT(out[0].project, 1);
}

TEST(roadshow_conflict_rule)
{
    CHECK(roadshow_conflict(5, 5));
    CHECK(!roadshow_conflict(5, 6));
    CHECK(!roadshow_conflict(0, 0));
    CHECK(!roadshow_conflict(0, 6));
}

TEST(roadshow_score_refuses_conflict_and_bad_values)
{
    test_db t;
    user_rec org, judge;
    if (!test_db_open(&t)) goto done;
    int64_t uni = test_org(&t, "五邑大学", "university");
    if (!uni || !test_user(&t, "org@example.cn", "organizer", NULL, &org) ||
        !test_user(&t, "judge@wyu.example.cn", "expert", "五邑大学", &judge))
        goto done;
    dctx oc = test_ctx(&t, &org), jc = test_ctx(&t, &judge);
    err e = {0};
    int64_t ev = 0, lid = 0, pid = 0;
    event_input ei = {.title = "路演",
                      .orgs = "五邑大学",
                      .venue = "开平",
                      .date = "2031-05-20",
                      .start_time = "09:00",
                      .end_time = "12:00"};
    listing_input li = {.org = "五邑大学",
                        .title = "一种新型原料药合成工艺",
                        .summary = "摘要",
                        .description = "工艺说明",
                        .modes = "license",
                        .field = "biomed.api",
                        .trl = "6",
                        .status = "published"};
    if (!CHECK_EQ_STR(event_create(&oc, &ei, &ev, &e) || event_transition(&oc, ev, "publish", &e)
                          ? e.msg
                          : "",
                      ""))
        goto done;
    if (!CHECK_EQ_STR(listing_create(&t.sys, "achievement", &li, &lid, &e) ? e.msg : "", ""))
        goto done;
    rs_project_input pi = {.listing_id = arena_printf(t.a, "%lld", (long long)lid),
                           .presenter = "李老师"};
    if (!CHECK_EQ_STR(roadshow_project_create(&oc, ev, &pi, &pid, &e) ? e.msg : "", "")) goto done;
    const char *codes[] = {"uniqueness", "novelty", "advancement", "maturity", "market"};
    const char *vals[] = {"8", "8", "8", "8", "8"};
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(roadshow_score_put(&jc, ev, pid, codes, vals, 5, &e), ERR_FORBIDDEN);
    CHECK_EQ_STR(e.key, "roadshow.err.not_judge");
    memset(&e, 0, sizeof e);
    if (!CHECK_EQ_INT(roadshow_judge_add(&oc, ev, "judge@wyu.example.cn", NULL, &e), ERR_OK))
        goto done;
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(roadshow_score_put(&jc, ev, pid, codes, vals, 5, &e), ERR_FORBIDDEN);
    CHECK_EQ_STR(e.key, "roadshow.err.conflict");
    rs_criterion_input bad = {"uniqueness", NULL, NULL, "0"};
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(roadshow_criteria_set(&oc, ev, &bad, 1, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "weight");
done:
    test_db_close(&t);
}
