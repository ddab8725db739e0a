/* test_intention.c — cooperation intentions (domain/intention.c): the stage machine, amounts,
 * who may record and see an intention, and the statistics funnel (domain/stats.c) against a
 * hand-counted fixture. */
#include <string.h>

#include "test.h"

TEST(intention_stage_machine)
{
    /* forward moves, skipping allowed */
    CHECK(intention_stage_allowed("preliminary", "negotiating"));
    CHECK(intention_stage_allowed("preliminary", "signed"));
    CHECK(intention_stage_allowed("negotiating", "signed"));
    CHECK(intention_stage_allowed("signed", "implementing"));
    CHECK(intention_stage_allowed("implementing", "completed"));
    CHECK(intention_stage_allowed("preliminary", "completed"));
    /* terminated from every open stage */
    CHECK(intention_stage_allowed("preliminary", "terminated"));
    CHECK(intention_stage_allowed("negotiating", "terminated"));
    CHECK(intention_stage_allowed("signed", "terminated"));
    CHECK(intention_stage_allowed("implementing", "terminated"));
    /* never backwards, never in place, never out of a final stage */
    CHECK(!intention_stage_allowed("negotiating", "preliminary"));
    CHECK(!intention_stage_allowed("signed", "negotiating"));
    CHECK(!intention_stage_allowed("signed", "signed"));
    CHECK(!intention_stage_allowed("completed", "terminated"));
    CHECK(!intention_stage_allowed("completed", "implementing"));
    CHECK(!intention_stage_allowed("terminated", "negotiating"));
    CHECK(!intention_stage_allowed("terminated", "terminated"));
    CHECK(!intention_stage_allowed("preliminary", "bogus"));
    CHECK(!intention_stage_allowed("bogus", "signed"));
    CHECK(intention_stage_open("implementing"));
    CHECK(!intention_stage_open("completed"));
    CHECK(!intention_stage_open("terminated"));
    CHECK(intention_contract_type_valid("license"));
    CHECK(!intention_contract_type_valid("gift"));
}

TEST(intention_amounts)
{
    int64_t c = -1;
    CHECK(intention_amount_parse("120", &c) && c == 12000);
    CHECK(intention_amount_parse("0.5", &c) && c == 50);
    CHECK(intention_amount_parse("12.34", &c) && c == 1234);
    CHECK(!intention_amount_parse("1.234", &c));
    CHECK(!intention_amount_parse("-1", &c));
    CHECK(!intention_amount_parse("1.", &c));
    CHECK(!intention_amount_parse(".5", &c));
    CHECK(!intention_amount_parse("", &c));
    CHECK(!intention_amount_parse("1e3", &c));
    arena *a = arena_new();
    CHECK_EQ_STR(intention_amount_text(a, 12050), "120.5");
    CHECK_EQ_STR(intention_amount_text(a, 12000), "120");
    CHECK_EQ_STR(intention_amount_text(a, 1234), "12.34");
    CHECK_EQ_STR(intention_amount_text(a, 5), "0.05");
    arena_free(a);
}

static int64_t published(test_db *t, int64_t org, const char *field, const char *status)
{
    listing_input in = {.title = "测试成果",
                        .summary = "摘要",
                        .description = "一项用于统计测试的科技成果。",
                        .field = field,
                        .trl = "6",
                        .modes = "license",
                        .org = arena_printf(t->a, "%lld", (long long)org),
                        .status = status,
                        .contact_name = "王老师",
                        .contact_email = "wang@example.cn"};
    int64_t id = 0;
    err e = {0};
    if (!CHECK_EQ_INT(listing_create(&t->sys, "achievement", &in, &id, &e), ERR_OK)) {
        CHECK_EQ_STR(e.field, "");
        return 0;
    }
    return id;
}

TEST(intention_rights_and_stats_fixture)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    int64_t uni = test_org(&t, "五邑大学", "university");
    int64_t ins = test_org(&t, "广东省科学院", "institute");
    int64_t ent = test_org(&t, "开平甲药业有限公司", "enterprise");
    user_rec um, em, im;
    if (!uni || !ins || !ent ||
        !test_user(&t, "tto@wyu.example.cn", "inst_member", "五邑大学", &um) ||
        !test_user(&t, "rd@jia.example.cn", "ent_member", "开平甲药业有限公司", &em) ||
        !test_user(&t, "tto@gdas.example.cn", "inst_member", "广东省科学院", &im))
        goto done;
    /* hand-counted fixture: 3 published achievements (2 of the university, 1 of the institute,
     * all under the top-level field biomed), 1 draft that must not count */
    int64_t a1 = published(&t, uni, "biomed.excipient", "published");
    int64_t a2 = published(&t, uni, "biomed.api", "published");
    int64_t a3 = published(&t, ins, "biomed.excipient", "published");
    int64_t a4 = published(&t, uni, "biomed.api", "draft");
    if (!a1 || !a2 || !a3 || !a4) goto done;
    const char *uni_s = arena_printf(t.a, "%lld", (long long)uni);
    const char *ent_s = arena_printf(t.a, "%lld", (long long)ent);
    const char *ins_s = arena_printf(t.a, "%lld", (long long)ins);
    const char *a1_s = arena_printf(t.a, "%lld", (long long)a1);

    /* I1: the university member records one with the enterprise for achievement a1 */
    dctx uc = test_ctx(&t, &um), ec = test_ctx(&t, &em), ic = test_ctx(&t, &im);
    int64_t i1 = 0, i2 = 0, i3 = 0;
    intention_input in1 = {.title = "缓释辅料许可", .achievement_id = a1_s, .org_b_id = ent_s};
    if (!CHECK_EQ_INT(intention_create(&uc, &in1, &i1, &e), ERR_OK)) goto done;
    /* the institute member may not record one between the university and the company */
    intention_input bad = {.title = "越权", .org_a_id = uni_s, .org_b_id = ent_s};
    int64_t x;
    CHECK_EQ_INT(intention_create(&ic, &bad, &x, &e), ERR_FORBIDDEN);
    bad.title = "";
    CHECK_EQ_INT(intention_create(&uc, &bad, &x, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "title");
    intention_rec r;
    CHECK_EQ_INT(intention_get(&ec, i1, &r, &e), ERR_OK);
    CHECK_EQ_INT(r.org_a_id, uni);
    CHECK_EQ_INT(intention_get(&ic, i1, &r, &e), ERR_FORBIDDEN);
    /* sign I1 at 100.5 万元 */
    intention_move_input m = {.stage = "signed"};
    CHECK_EQ_INT(intention_move(&ec, i1, &m, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "contract_type");
    m = (intention_move_input){.stage = "signed",
                               .contract_type = "license",
                               .amount = "100.5",
                               .signed_on = "2026-10-01"};
    CHECK_EQ_INT(intention_move(&ec, i1, &m, &e), ERR_OK);
    m = (intention_move_input){.stage = "negotiating"};
    CHECK_EQ_INT(intention_move(&ec, i1, &m, &e), ERR_CONFLICT);
    /* I2: the institute by hand, preliminary; I3: the university by hand, terminated */
    intention_input in2 = {.title = "联合攻关", .org_a_id = ins_s};
    intention_input in3 = {.title = "未成", .org_a_id = uni_s};
    if (!CHECK_EQ_INT(intention_create(&ic, &in2, &i2, &e), ERR_OK) ||
        !CHECK_EQ_INT(intention_create(&uc, &in3, &i3, &e), ERR_OK))
        goto done;
    m = (intention_move_input){.stage = "terminated", .reason = "预算取消"};
    CHECK_EQ_INT(intention_move(&uc, i3, &m, &e), ERR_OK);
    history_rec *h;
    int nh;
    if (CHECK_EQ_INT(intention_history(&uc, i1, &h, &nh, &e), ERR_OK)) CHECK_EQ_INT(nh, 2);

    /* the members see their own organization's only */
    intention_rec *list;
    int n;
    if (CHECK_EQ_INT(intention_list(&ic, NULL, NULL, &list, &n, &e), ERR_OK)) CHECK_EQ_INT(n, 1);
    if (CHECK_EQ_INT(intention_list(&uc, NULL, NULL, &list, &n, &e), ERR_OK)) CHECK_EQ_INT(n, 2);

    /* the funnel, by hand: collected 3 (a1 a2 a3), displayed 0, promoted 0 (no event), 3
     * intentions, 1 contract of 100.5 万元. By organization type: university 2 collected,
     * 2 intentions (I1, I3), 1 contract; institute 1 collected, 1 intention. By field: biomed 3
     * collected and I1; I2 and I3 link no listing (""). */
    stats_view s;
    CHECK_EQ_INT(stats_compute(&uc, 0, &s, &e), ERR_FORBIDDEN);
    if (!CHECK_EQ_INT(stats_compute(&t.sys, 0, &s, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(s.v[STATS_COLLECTED], 3);
    CHECK_EQ_INT(s.v[STATS_DISPLAYED], 0);
    CHECK_EQ_INT(s.v[STATS_PROMOTED], 0);
    CHECK_EQ_INT(s.v[STATS_INTENTIONS], 3);
    CHECK_EQ_INT(s.v[STATS_CONTRACTS], 1);
    CHECK_EQ_INT(s.amount_centi, 10050);
    CHECK_EQ_INT(s.requested, 0);
    for (int i = 0; i < s.norg_type; i++) {
        const stats_row *o = &s.by_org_type[i];
        if (str_eq(o->key, "university")) {
            CHECK_EQ_INT(o->v[STATS_COLLECTED], 2);
            CHECK_EQ_INT(o->v[STATS_INTENTIONS], 2);
            CHECK_EQ_INT(o->v[STATS_CONTRACTS], 1);
            CHECK_EQ_INT(o->amount_centi, 10050);
        } else if (str_eq(o->key, "institute")) {
            CHECK_EQ_INT(o->v[STATS_COLLECTED], 1);
            CHECK_EQ_INT(o->v[STATS_INTENTIONS], 1);
        } else {
            CHECK_EQ_STR(o->key, "(unexpected)");
        }
    }
    CHECK_EQ_INT(s.norg_type, 2);
    for (int i = 0; i < s.nfield; i++) {
        const stats_row *f = &s.by_field[i];
        if (str_eq(f->key, "biomed")) {
            CHECK_EQ_INT(f->v[STATS_COLLECTED], 3);
            CHECK_EQ_INT(f->v[STATS_INTENTIONS], 1);
        } else if (str_eq(f->key, "")) {
            CHECK_EQ_INT(f->v[STATS_COLLECTED], 0);
            CHECK_EQ_INT(f->v[STATS_INTENTIONS], 2);
        } else {
            CHECK_EQ_STR(f->key, "(unexpected)");
        }
    }
    CHECK_EQ_INT(s.nfield, 2);
done:
    test_db_close(&t);
}
