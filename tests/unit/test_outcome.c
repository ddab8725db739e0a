/* test_outcome.c — the six-month follow-up (domain/outcome.c): its due date, that it is made with
 * every intention recorded for an event and only then, who may record the outcome, the counts;
 * and the visibility rules of an event's public results (domain/results.c). */
#include <string.h>

#include "domain/results.h"
#include "test.h"

TEST(outcome_dates_and_codes)
{
    char d[11];
    CHECK(outcome_date_add("2026-11-29", 182, d) && !strcmp(d, "2027-05-30"));
    CHECK(outcome_date_add("2024-02-28", 1, d) && !strcmp(d, "2024-02-29")); /* leap year */
    CHECK(outcome_date_add("2023-02-28", 1, d) && !strcmp(d, "2023-03-01"));
    CHECK(outcome_date_add("2026-12-31", 1, d) && !strcmp(d, "2027-01-01"));
    CHECK(outcome_date_add("2026-06-01", 0, d) && !strcmp(d, "2026-06-01"));
    CHECK(!outcome_date_add("2026-02-30", 182, d));
    CHECK(!outcome_date_add("", 182, d));
    CHECK(outcome_valid("no_contact") && outcome_valid("valuable_contact") &&
          outcome_valid("negotiating") && outcome_valid("agreement"));
    CHECK(!outcome_valid("signed") && !outcome_valid("") && !outcome_valid(NULL));
}

TEST(outcome_six_month_followup_rights_and_counts)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    int64_t uni = test_org(&t, "五邑大学", "university");
    int64_t ins = test_org(&t, "广东省科学院", "institute");
    user_rec um, im, om;
    if (!uni || !ins || !test_user(&t, "tto@wyu.example.cn", "inst_member", "五邑大学", &um) ||
        !test_user(&t, "tto@gdas.example.cn", "inst_member", "广东省科学院", &im) ||
        !test_user(&t, "org@example.cn", "organizer", NULL, &om))
        goto done;
    dctx uc = test_ctx(&t, &um), ic = test_ctx(&t, &im), oc = test_ctx(&t, &om);
    event_input ein = {.title = "生物医药对接会",
                       .orgs = "五邑大学",
                       .venue = "开平",
                       .date = "2026-11-29",
                       .start_time = "09:00",
                       .end_time = "17:00",
                       .fields = "biomed"};
    int64_t ev = 0;
    if (!CHECK_EQ_INT(event_create(&oc, &ein, &ev, &e), ERR_OK)) goto done;
    const char *ev_s = arena_printf(t.a, "%lld", (long long)ev);
    const char *uni_s = arena_printf(t.a, "%lld", (long long)uni);

    /* recorded for the event: one six-month follow-up, due 182 days after the event's date */
    int64_t i1 = 0, i2 = 0;
    intention_input in1 = {.title = "缓释辅料许可", .org_a_id = uni_s, .event_id = ev_s};
    intention_input in2 = {.title = "不属于活动", .org_a_id = uni_s};
    if (!CHECK_EQ_INT(intention_create(&uc, &in1, &i1, &e), ERR_OK) ||
        !CHECK_EQ_INT(intention_create(&uc, &in2, &i2, &e), ERR_OK))
        goto done;
    followup_rec *fu;
    int nf;
    if (!CHECK_EQ_INT(intention_followups(&uc, i1, &fu, &nf, &e), ERR_OK) || !CHECK_EQ_INT(nf, 1))
        goto done;
    CHECK_EQ_STR(fu[0].kind, "six_month");
    CHECK_EQ_STR(fu[0].due_date, "2027-05-30");
    CHECK_EQ_STR(fu[0].outcome, "");
    CHECK(!fu[0].done);
    int64_t six = fu[0].id;
    /* … and none without an event */
    followup_rec *fu2;
    int nf2;
    if (CHECK_EQ_INT(intention_followups(&uc, i2, &fu2, &nf2, &e), ERR_OK)) CHECK_EQ_INT(nf2, 0);

    /* an ordinary task takes no outcome */
    int64_t task = 0;
    CHECK_EQ_INT(intention_followup_add(&uc, i1, "寄样品", "2026-12-10", &task, &e), ERR_OK);
    CHECK_EQ_INT(outcome_record(&uc, i1, task, "agreement", "", &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "outcome");
    /* a non-party may not record; a bad code names the field; the follow-up must belong */
    CHECK_EQ_INT(outcome_record(&ic, i1, six, "agreement", "", &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(outcome_record(&uc, i1, six, "signed", "", &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "outcome");
    CHECK_EQ_INT(outcome_record(&uc, i1, six, "", "", &e), ERR_INVALID);
    CHECK_EQ_INT(outcome_record(&uc, i2, six, "agreement", "", &e), ERR_NOT_FOUND);

    /* counts before: 1 due, pending */
    outcome_tally ot;
    CHECK_EQ_INT(outcome_tally_get(&uc, ev, &ot, &e), ERR_FORBIDDEN);
    if (CHECK_EQ_INT(outcome_tally_get(&oc, ev, &ot, &e), ERR_OK)) {
        CHECK_EQ_INT(ot.total, 1);
        CHECK_EQ_INT(ot.pending, 1);
        CHECK_EQ_INT(ot.agreement, 0);
    }
    /* the party records, then corrects it; done, history has both */
    CHECK_EQ_INT(outcome_record(&uc, i1, six, "negotiating", "双方已开始洽谈", &e), ERR_OK);
    CHECK_EQ_INT(outcome_record(&uc, i1, six, "agreement", "已签订许可合同", &e), ERR_OK);
    followup_rec f;
    if (CHECK_EQ_INT(store_followup_get(t.sys.db, t.a, six, &f, &e), ERR_OK)) {
        CHECK_EQ_STR(f.outcome, "agreement");
        CHECK_EQ_STR(f.outcome_note, "已签订许可合同");
        CHECK(f.done);
        CHECK(*f.outcome_at);
    }
    history_rec *h;
    int nh, outcomes = 0;
    if (CHECK_EQ_INT(intention_history(&uc, i1, &h, &nh, &e), ERR_OK))
        for (int i = 0; i < nh; i++)
            outcomes += str_eq(h[i].action, "outcome");
    CHECK_EQ_INT(outcomes, 2);
    if (CHECK_EQ_INT(outcome_tally_get(&oc, ev, &ot, &e), ERR_OK)) {
        CHECK_EQ_INT(ot.total, 1);
        CHECK_EQ_INT(ot.pending, 0);
        CHECK_EQ_INT(ot.agreement, 1);
        CHECK_EQ_INT(ot.negotiating, 0);
    }
    if (CHECK_EQ_INT(outcome_tally_get(&oc, 0, &ot, &e), ERR_OK)) CHECK_EQ_INT(ot.total, 1);
    CHECK_EQ_INT(outcome_tally_get(&oc, ev + 100, &ot, &e), ERR_NOT_FOUND);

    /* results: a draft event's results are a staff preview; published + results_public for all */
    dctx anon = test_ctx(&t, NULL);
    results_view rv;
    stats_view sv;
    CHECK_EQ_INT(results_compute(&anon, ev, &rv, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(results_compute(&uc, ev, &rv, &e), ERR_NOT_FOUND);
    if (CHECK_EQ_INT(results_compute(&oc, ev, &rv, &e), ERR_OK)) {
        CHECK(rv.preview && !rv.published);
        CHECK_EQ_INT(rv.stats.v[STATS_INTENTIONS], 1);
        CHECK_EQ_INT(rv.stages[0], 1); /* preliminary */
        CHECK_EQ_INT(rv.outcomes.agreement, 1);
        CHECK(rv.ranking == NULL);
    }
    CHECK_EQ_INT(results_set_public(&uc, ev, true, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(results_set_public(&anon, ev, true, &e), ERR_UNAUTH);
    CHECK_EQ_INT(results_set_public(&oc, ev, true, &e), ERR_OK);
    /* still a draft event: not public yet */
    CHECK_EQ_INT(results_stats(&anon, ev, &sv, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(event_transition(&oc, ev, "publish", &e), ERR_OK);
    if (CHECK_EQ_INT(results_stats(&anon, ev, &sv, &e), ERR_OK))
        CHECK_EQ_INT(sv.v[STATS_INTENTIONS], 1);
    if (CHECK_EQ_INT(results_compute(&anon, ev, &rv, &e), ERR_OK))
        CHECK(rv.published && !rv.preview);
    CHECK_EQ_INT(results_set_public(&oc, ev, false, &e), ERR_OK);
    CHECK_EQ_INT(results_compute(&anon, ev, &rv, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(results_set_public(&oc, ev + 100, true, &e), ERR_NOT_FOUND);

    /* meeting outcomes: organizers only, per event; none held here */
    meeting_outcome_rec *mo;
    int nmo;
    CHECK_EQ_INT(outcome_meetings(&uc, ev, &mo, &nmo, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(outcome_meetings(&anon, ev, &mo, &nmo, &e), ERR_UNAUTH);
    CHECK_EQ_INT(outcome_meetings(&oc, ev + 100, &mo, &nmo, &e), ERR_NOT_FOUND);
    if (CHECK_EQ_INT(outcome_meetings(&oc, ev, &mo, &nmo, &e), ERR_OK)) CHECK_EQ_INT(nmo, 0);
    CHECK_EQ_INT(outcome_meeting_record(&uc, ev, 1, "agreement", "", &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(outcome_meeting_record(&oc, ev, 999, "agreement", "", &e), ERR_NOT_FOUND);
    if (CHECK_EQ_INT(outcome_tally_get(&oc, ev, &ot, &e), ERR_OK)) {
        CHECK_EQ_INT(ot.meetings_held, 0);
        CHECK_EQ_INT(ot.meetings_recorded, 0);
    }
done:
    test_db_close(&t);
}
