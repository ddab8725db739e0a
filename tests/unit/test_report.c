/* test_report.c — the news-release summary (domain/report.c): every number from the stats_view,
 * zero clauses left out, both languages, event and overall with a period. */
#include <string.h>

#include "domain/report.h"
#include "test.h"

static stats_attendance_rec demo_att[5] = {
    {"university", 19, 18, 13}, {"institute", 16, 15, 9}, {"enterprise", 33, 32, 21},
    {"government", 12, 11, 8},  {"other", 7, 7, 5},
};

static stats_view demo_view(void)
{
    stats_view s;
    memset(&s, 0, sizeof s);
    s.event_id = 1;
    s.v[STATS_COLLECTED] = 110;
    s.v[STATS_DISPLAYED] = 110;
    s.v[STATS_PROMOTED] = 6;
    s.v[STATS_INTENTIONS] = 7;
    s.v[STATS_CONTRACTS] = 1;
    s.amount_centi = 5000;
    s.matched = 40;
    s.requested = 30;
    s.accepted = 25;
    s.held = 25;
    s.attendance = demo_att;
    s.nattendance = 5;
    s.registered = 87;
    s.approved = 83;
    s.checked_in = 56;
    return s;
}

static event_rec demo_event(void)
{
    event_rec ev;
    memset(&ev, 0, sizeof ev);
    ev.id = 1;
    ev.title = "2026年开平市生物医药科技成果对接会";
    ev.title_en = "Kaiping Biomedicine Technology Matchmaking Conference 2026";
    ev.venue = "开平市潭江半岛酒店";
    ev.date = "2026-11-20";
    return ev;
}

TEST(report_summary_event_zh_en)
{
    arena *a = arena_new();
    stats_view s = demo_view();
    event_rec ev = demo_event();
    CHECK_EQ_STR(report_summary(a, &ev, &s, "zh-CN"),
                 "2026年11月20日，2026年开平市生物医药科技成果对接会在开平市潭江半岛酒店举办。"
                 "来自高校、科研院所、企业、政府部门等单位的56名代表参加活动。"
                 "本次对接活动共征集、展示科技成果110项，遴选6项成果进行路演推介，"
                 "40项成果与需求方实现对接匹配，组织供需双方一对一洽谈25场，"
                 "达成初步合作意向7项，其中签约1项，合同金额50万元。");
    CHECK_EQ_STR(report_summary(a, &ev, &s, "en"),
                 "On 20 November 2026, the Kaiping Biomedicine Technology Matchmaking Conference "
                 "2026 was held at 开平市潭江半岛酒店. 56 participants from universities, research "
                 "institutes, enterprises, and government bodies attended. The event collected and "
                 "displayed 110 technology achievements, 6 of which were presented in roadshows. "
                 "40 achievements were matched with a demand. 25 one-to-one meetings were held "
                 "between the supply and the demand side. 7 preliminary cooperation intentions "
                 "were reached, 1 of which has been signed as a contract worth RMB 500,000.");
    /* the three figures equal: one clause, as in the official phrase */
    s.v[STATS_PROMOTED] = 110;
    s.matched = 0;
    s.v[STATS_CONTRACTS] = 0;
    s.amount_centi = 0;
    s.held = 0;
    const char *zh = report_summary(a, &ev, &s, "zh-CN");
    CHECK(strstr(zh, "本次对接活动共征集、展示、推介科技成果110项，安排一对一洽谈25场，"
                     "达成初步合作意向7项。") != NULL);
    CHECK(strstr(zh, "签约") == NULL);
    CHECK(strstr(zh, "匹配") == NULL);
    /* large sums in 亿元, rounded with 约 */
    s.v[STATS_CONTRACTS] = 3;
    s.amount_centi = 1250000; /* 12500 万元 */
    CHECK(strstr(report_summary(a, &ev, &s, "zh-CN"), "签约3项，合同金额1.25亿元。") != NULL);
    s.amount_centi = 194713100; /* 1947131 万元 */
    CHECK(strstr(report_summary(a, &ev, &s, "zh-CN"), "合同金额约194.71亿元。") != NULL);
    CHECK(strstr(report_summary(a, &ev, &s, "en"), "worth RMB 19,471,310,000 in total.") != NULL);
    arena_free(a);
}

TEST(report_summary_zero_and_overall)
{
    arena *a = arena_new();
    stats_view s;
    memset(&s, 0, sizeof s);
    event_rec ev = demo_event();
    CHECK_EQ_STR(report_summary(a, &ev, &s, "zh-CN"),
                 "2026年11月20日，2026年开平市生物医药科技成果对接会在开平市潭江半岛酒店举办。"
                 "本次对接活动暂无成果征集、洽谈和合作意向记录。");
    CHECK_EQ_STR(report_summary(a, NULL, &s, "en"),
                 "No achievements, meetings or cooperation intentions have been recorded yet.");
    s.from = "2026-01-01";
    s.to = "2026-06-30";
    CHECK_EQ_STR(report_summary(a, NULL, &s, "en"),
                 "From 1 January 2026 to 30 June 2026, no achievements, meetings or cooperation "
                 "intentions have been recorded yet.");
    s.v[STATS_COLLECTED] = 3;
    s.v[STATS_INTENTIONS] = 2;
    s.v[STATS_CONTRACTS] = 2;
    s.amount_centi = 12345; /* 123.45 万元 */
    CHECK_EQ_STR(report_summary(a, NULL, &s, "zh-CN"),
                 "2026年1月1日至2026年6月30日，平台累计征集科技成果3项，达成初步合作意向2项，"
                 "其中签约2项，合同金额123.45万元。");
    CHECK_EQ_STR(report_summary(a, NULL, &s, "en"),
                 "From 1 January 2026 to 30 June 2026, the platform collected 3 technology "
                 "achievements. 2 preliminary cooperation intentions were reached, 2 of which have "
                 "been signed as contracts worth RMB 1,234,500 in total.");
    arena_free(a);
}
