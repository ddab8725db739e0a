/* test_listing.c — achievements and needs (domain/listing.c, listing_json.c) against a real
 * SQLite database: validation, ownership, the state machine, history and visibility. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* A database with two universities, two enterprises and one user per part to play. */
typedef struct {
    test_db t;
    int64_t uni, uni2, ent1, ent2;
    user_rec organizer, inst, inst2, ent_a, ent_b;
} world;

static bool world_open(world *w)
{
    memset(w, 0, sizeof *w);
    if (!test_db_open(&w->t)) return false;
    w->uni = test_org(&w->t, "五邑大学", "university");
    w->uni2 = test_org(&w->t, "广东省科学院", "institute");
    w->ent1 = test_org(&w->t, "开平甲药业有限公司", "enterprise");
    w->ent2 = test_org(&w->t, "江门乙医疗器械有限公司", "enterprise");
    return w->uni && w->uni2 && w->ent1 && w->ent2 &&
           test_user(&w->t, "org@example.cn", "organizer", NULL, &w->organizer) &&
           test_user(&w->t, "tto@wyu.example.cn", "inst_member", "五邑大学", &w->inst) &&
           test_user(&w->t, "tto@gdas.example.cn", "inst_member", "广东省科学院", &w->inst2) &&
           test_user(&w->t, "rd@jia.example.cn", "ent_member", "开平甲药业有限公司", &w->ent_a) &&
           test_user(&w->t, "rd@yi.example.cn", "ent_member", "江门乙医疗器械有限公司", &w->ent_b);
}

static void world_close(world *w)
{
    test_db_close(&w->t);
}

static listing_input achievement_input(void)
{
    return (listing_input){
        .title = "  一种缓释药用辅料的制备方法 ",
        .summary = "以改性淀粉为载体的缓释辅料。",
        .description = "本成果提供一种缓释药用辅料的制备方法，已完成中试。",
        .field = "biomed.excipient",
        .keywords = "药用辅料，缓释、制剂;淀粉",
        .trl = "6",
        .patents = "ZL202110000001.2 granted\nCN115000000A",
        .modes = "license, joint,license",
        .price_wan = "120",
        .contact_name = "王老师",
        .contact_phone = "0750-3296000",
        .contact_email = "wang@wyu.example.cn",
    };
}

static listing_input need_input(void)
{
    return (listing_input){
        .title = "原料药杂质控制技术攻关",
        .description = "现有工艺的基因毒性杂质超标，寻求分析与控制方案。",
        .field = "biomed.api",
        .modes = "commission,joint",
        .need_type = "tech_breakthrough",
        .deadline = "2027-06-30",
        .anonymous = "1",
        .price_wan = "50",
        .contact_name = "李工",
        .contact_email = "li@jia.example.cn",
    };
}

/* The field an invalid input is refused for, "(ok)" when it validates, or "(code N)" when
 * it fails with another code. Arena-owned. */
static const char *bad_field(world *w, const char *kind, const listing_input *in)
{
    err e = {0};
    listing_rec l;
    err_code rc = listing_validate(&w->t.sys, kind, in, &l, &e);
    if (rc == ERR_OK) return "(ok)";
    if (rc != ERR_INVALID) return arena_printf(w->t.a, "(code %d)", rc);
    return arena_strdup(w->t.a, e.field);
}

TEST(listing_validate_accepts_and_normalizes)
{
    world w;
    if (!world_open(&w)) goto done;
    listing_input in = achievement_input();
    listing_rec l;
    err e = {0};
    if (!CHECK_EQ_INT(listing_validate(&w.t.sys, "achievement", &in, &l, &e), ERR_OK)) goto done;
    CHECK_EQ_STR(l.kind, "achievement");
    CHECK_EQ_STR(l.title, "一种缓释药用辅料的制备方法"); /* trimmed */
    CHECK_EQ_STR(l.keywords, "[\"药用辅料\",\"缓释\",\"制剂\",\"淀粉\"]");
    CHECK_EQ_STR(l.modes, ",license,joint,"); /* duplicates dropped */
    CHECK_EQ_INT(l.trl, 6);
    CHECK_EQ_INT(l.price_wan, 120);
    CHECK_EQ_STR(l.lang, "zh-Hans");
    CHECK_EQ_STR(l.patents, "[{\"number\":\"ZL202110000001.2\",\"status\":\"granted\"},"
                            "{\"number\":\"CN115000000A\",\"status\":\"pending\"}]");
    in.price_wan = "";
    in.title = "Sustained-release excipient";
    in.description = "English text";
    if (CHECK_EQ_INT(listing_validate(&w.t.sys, "achievement", &in, &l, &e), ERR_OK)) {
        CHECK_EQ_INT(l.price_wan, -1); /* 面议 */
        CHECK_EQ_STR(l.lang, "en");
    }
    listing_input need = need_input();
    if (CHECK_EQ_INT(listing_validate(&w.t.sys, "need", &need, &l, &e), ERR_OK)) {
        CHECK_EQ_STR(l.need_type, "tech_breakthrough");
        CHECK_EQ_STR(l.deadline, "2027-06-30");
        CHECK(l.anonymous);
        CHECK_EQ_INT(l.trl, 0); /* optional for needs */
        CHECK_EQ_STR(l.modes, ",commission,joint,");
    }
done:
    world_close(&w);
}

TEST(listing_validate_names_the_field)
{
    world w;
    if (!world_open(&w)) goto done;
    listing_input in;
#define BAD(kind, base, member, value, field)                                                      \
    do {                                                                                           \
        in = base();                                                                               \
        in.member = value;                                                                         \
        CHECK_EQ_STR(bad_field(&w, kind, &in), field);                                             \
    } while (0)
    BAD("achievement", achievement_input, title, NULL, "title");
    BAD("achievement", achievement_input, title, "   ", "title");
    BAD("achievement", achievement_input, title, "药", "title"); /* too short */
    BAD("achievement", achievement_input, title, "\xe4\xb8", "title");
    BAD("achievement", achievement_input, title, "bad\xc0\x80title", "title");
    BAD("achievement", achievement_input, title, "bell\x07title", "title");
    BAD("achievement", achievement_input, summary, NULL, "summary");
    BAD("achievement", achievement_input, description, "", "description");
    BAD("achievement", achievement_input, field, NULL, "field");
    BAD("achievement", achievement_input, field, "biomed.nope", "field");
    BAD("achievement", achievement_input, field, "\xff", "field");
    BAD("achievement", achievement_input, trl, "0", "trl");
    BAD("achievement", achievement_input, trl, "10", "trl");
    BAD("achievement", achievement_input, trl, "abc", "trl");
    BAD("achievement", achievement_input, trl, "5.5", "trl");
    BAD("achievement", achievement_input, trl, NULL, "trl");
    BAD("achievement", achievement_input, trl, "9", "(ok)");
    BAD("achievement", achievement_input, contact_email, "wang", "contact_email");
    BAD("achievement", achievement_input, contact_email, "wang@", "contact_email");
    BAD("achievement", achievement_input, contact_email, "@wyu.cn", "contact_email");
    BAD("achievement", achievement_input, contact_email, "a b@wyu.cn", "contact_email");
    BAD("achievement", achievement_input, contact_email, "\"><script>@x.cn", "contact_email");
    BAD("achievement", achievement_input, contact_phone, "call me", "contact_phone");
    BAD("achievement", achievement_input, keywords, "a,b,c,d,e,f,g,h,i,j,k", "keywords");
    BAD("achievement", achievement_input, keywords, "a,b,c,d,e,f,g,h,i,j", "(ok)");
    BAD("achievement", achievement_input, keywords,
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
        "keywords"); /* 41 characters */
    BAD("achievement", achievement_input, keywords, "ok,\xed\xa0\x80", "keywords");
    BAD("achievement", achievement_input, modes, "license,teleport", "transfer_modes");
    BAD("achievement", achievement_input, modes, "commission", "transfer_modes"); /* needs only */
    BAD("achievement", achievement_input, modes, " , ", "transfer_modes");
    BAD("achievement", achievement_input, price_wan, "-1", "price_wan");
    BAD("achievement", achievement_input, price_wan, "1万", "price_wan");
    BAD("achievement", achievement_input, patents, "CN1 granted\nCN2 maybe", "patents");
    BAD("achievement", achievement_input, lang, "fr", "lang");
    BAD("need", need_input, deadline, "2027-02-30", "deadline");
    BAD("need", need_input, deadline, "2027-02-29", "deadline"); /* not a leap year */
    BAD("need", need_input, deadline, "2028-02-29", "(ok)");
    BAD("need", need_input, deadline, "2027-13-01", "deadline");
    BAD("need", need_input, deadline, "27-01-01", "deadline");
    BAD("need", need_input, deadline, "2027/01/01", "deadline");
    BAD("need", need_input, deadline, "2027-+1-01", "deadline");
    BAD("need", need_input, deadline, "2027- 1-01", "deadline");
    BAD("need", need_input, deadline, "2027-01-01x", "deadline");
    BAD("need", need_input, need_type, NULL, "type");
    BAD("need", need_input, need_type, "wish", "type");
    BAD("need", need_input, modes, "license,teleport", "cooperation");
    BAD("need", need_input, price_wan, "abc", "budget_wan");
    BAD("need", need_input, summary, NULL, "(ok)"); /* optional for needs */
#undef BAD
    in = achievement_input();
    CHECK_EQ_STR(bad_field(&w, "patent", &in), "kind");
    /* a long title counts characters, not bytes */
    buf t = {0};
    for (int i = 0; i < 120; i++)
        buf_puts(&t, "药");
    in.title = t.s;
    CHECK_EQ_STR(bad_field(&w, "achievement", &in), "(ok)");
    buf_puts(&t, "药");
    in.title = t.s;
    CHECK_EQ_STR(bad_field(&w, "achievement", &in), "title");
    buf_free(&t);
done:
    world_close(&w);
}

TEST(listing_create_ownership)
{
    world w;
    if (!world_open(&w)) goto done;
    err e = {0};
    int64_t id = 0;
    listing_rec l;
    listing_input in = achievement_input();

    /* an institution member lists for their own org */
    dctx inst = test_ctx(&w.t, &w.inst);
    if (!CHECK_EQ_INT(listing_create(&inst, "achievement", &in, &id, &e), ERR_OK)) goto done;
    if (CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK)) {
        CHECK_EQ_INT(l.org_id, w.uni);
        CHECK_EQ_STR(l.status, "draft");
        CHECK_EQ_INT(l.created_by, w.inst.id);
        CHECK_EQ_STR(l.org_name, "五邑大学");
    }
    /* a member naming another org still posts for their own */
    in.org = arena_printf(w.t.a, "%lld", (long long)w.uni2);
    if (CHECK_EQ_INT(listing_create(&inst, "achievement", &in, &id, &e), ERR_OK) &&
        CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK))
        CHECK_EQ_INT(l.org_id, w.uni);
    in.org = NULL;
    CHECK_EQ_INT(test_count_listings(&w.t, "achievement"), 2);

    /* an enterprise member may not list achievements, nor an institution member needs */
    dctx ent = test_ctx(&w.t, &w.ent_a);
    CHECK_EQ_INT(listing_create(&ent, "achievement", &in, &id, &e), ERR_FORBIDDEN);
    listing_input need = need_input();
    CHECK(listing_create(&inst, "need", &need, &id, &e) != ERR_OK);
    CHECK_EQ_INT(test_count_listings(&w.t, "achievement"), 2);
    CHECK_EQ_INT(test_count_listings(&w.t, "need"), 0);
    /* anonymous visitors cannot create */
    dctx anon = test_ctx(&w.t, NULL);
    CHECK_EQ_INT(listing_create(&anon, "achievement", &in, &id, &e), ERR_UNAUTH);
    /* members cannot create published listings */
    in.status = "published";
    CHECK_EQ_INT(listing_create(&inst, "achievement", &in, &id, &e), ERR_FORBIDDEN);
    in.status = NULL;
    /* the enterprise member posts a need for their own company */
    if (CHECK_EQ_INT(listing_create(&ent, "need", &need, &id, &e), ERR_OK) &&
        CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK))
        CHECK_EQ_INT(l.org_id, w.ent1);

    /* organizers name the org, by id or name, of the right type */
    dctx staff = test_ctx(&w.t, &w.organizer);
    CHECK_EQ_INT(listing_create(&staff, "achievement", &in, &id, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "org");
    in.org = "没有这个单位";
    CHECK_EQ_INT(listing_create(&staff, "achievement", &in, &id, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "org");
    in.org = "广东省科学院";
    if (CHECK_EQ_INT(listing_create(&staff, "achievement", &in, &id, &e), ERR_OK) &&
        CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK))
        CHECK_EQ_INT(l.org_id, w.uni2);
    need.org = "五邑大学"; /* needs belong to enterprises */
    CHECK_EQ_INT(listing_create(&staff, "need", &need, &id, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "org");
    CHECK_EQ_INT(test_count_listings(&w.t, "achievement"), 3);
    CHECK_EQ_INT(test_count_listings(&w.t, "need"), 1);
done:
    world_close(&w);
}

/* The status of listing id as stored ("" when it cannot be read). */
static const char *status_of(world *w, int64_t id)
{
    listing_rec l;
    err e = {0};
    return store_listing_get(w->t.db, w->t.a, id, &l, &e) ? "" : l.status;
}

TEST(listing_state_machine_and_history)
{
    world w;
    if (!world_open(&w)) goto done;
    err e = {0};
    int64_t id = 0;
    dctx inst = test_ctx(&w.t, &w.inst), staff = test_ctx(&w.t, &w.organizer);
    listing_input in = achievement_input();
    if (!CHECK_EQ_INT(listing_create(&inst, "achievement", &in, &id, &e), ERR_OK)) goto done;

    /* wrong state: nothing to archive or reject yet */
    CHECK_EQ_INT(listing_transition(&inst, id, "archive", NULL, &e), ERR_CONFLICT);
    CHECK_EQ_INT(listing_transition(&staff, id, "reject", "x", &e), ERR_CONFLICT);
    CHECK_EQ_INT(listing_transition(&inst, id, "fly", NULL, &e), ERR_INVALID);

    CHECK_EQ_INT(listing_transition(&inst, id, "submit", NULL, &e), ERR_OK);
    CHECK_EQ_STR(status_of(&w, id), "submitted");
    CHECK_EQ_INT(listing_transition(&inst, id, "submit", NULL, &e), ERR_CONFLICT);
    /* members cannot publish or reject their own listings */
    CHECK_EQ_INT(listing_transition(&inst, id, "publish", NULL, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(listing_transition(&inst, id, "reject", "no", &e), ERR_FORBIDDEN);
    CHECK_EQ_STR(status_of(&w, id), "submitted");

    /* a rejection needs a reason and sends the listing back to draft */
    CHECK_EQ_INT(listing_transition(&staff, id, "reject", NULL, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "reason");
    CHECK_EQ_INT(listing_transition(&staff, id, "reject", "  \xe3\x80\x80 ", &e), ERR_INVALID);
    CHECK_EQ_STR(status_of(&w, id), "submitted");
    CHECK_EQ_INT(listing_transition(&staff, id, "reject", " 请补充专利信息 ", &e), ERR_OK);
    listing_rec l;
    if (CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK)) {
        CHECK_EQ_STR(l.status, "draft");
        CHECK_EQ_STR(l.reject_reason, "请补充专利信息");
    }

    CHECK_EQ_INT(listing_transition(&inst, id, "submit", NULL, &e), ERR_OK);
    CHECK_EQ_INT(listing_transition(&staff, id, "publish", NULL, &e), ERR_OK);
    if (CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK)) {
        CHECK_EQ_STR(l.status, "published");
        CHECK(*l.published_at != 0);
    }
    CHECK_EQ_INT(listing_transition(&staff, id, "publish", NULL, &e), ERR_CONFLICT);
    CHECK_EQ_INT(listing_transition(&inst, id, "submit", NULL, &e), ERR_CONFLICT);

    /* another org's member sees the published listing but may not change it */
    dctx other = test_ctx(&w.t, &w.inst2);
    CHECK_EQ_INT(listing_update(&other, id, &in, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(listing_transition(&other, id, "archive", NULL, &e), ERR_FORBIDDEN);

    /* a member's edit of a published listing goes back to review */
    in.title = "一种缓释药用辅料的制备方法（修订）";
    CHECK_EQ_INT(listing_update(&inst, id, &in, &e), ERR_OK);
    if (CHECK_EQ_INT(store_listing_get(w.t.db, w.t.a, id, &l, &e), ERR_OK)) {
        CHECK_EQ_STR(l.status, "submitted");
        CHECK_EQ_STR(l.title, "一种缓释药用辅料的制备方法（修订）");
    }
    /* an invalid edit changes nothing */
    in.trl = "10";
    CHECK_EQ_INT(listing_update(&inst, id, &in, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "trl");
    in.trl = "6";
    CHECK_EQ_INT(listing_transition(&staff, id, "publish", NULL, &e), ERR_OK);
    /* an organizer's edit keeps it published */
    in.summary = "修订摘要";
    CHECK_EQ_INT(listing_update(&staff, id, &in, &e), ERR_OK);
    CHECK_EQ_STR(status_of(&w, id), "published");

    CHECK_EQ_INT(listing_transition(&inst, id, "archive", NULL, &e), ERR_OK);
    CHECK_EQ_STR(status_of(&w, id), "archived");
    CHECK_EQ_INT(listing_transition(&staff, id, "archive", NULL, &e), ERR_CONFLICT);
    /* archived is final for members */
    CHECK_EQ_INT(listing_transition(&inst, id, "archive", NULL, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(listing_update(&inst, id, &in, &e), ERR_FORBIDDEN);

    history_rec *h;
    int n = 0;
    if (CHECK_EQ_INT(store_history_list(w.t.db, w.t.a, "achievement", id, &h, &n, &e), ERR_OK)) {
        buf acts = {0};
        for (int i = 0; i < n; i++)
            buf_printf(&acts, "%s%s", i ? "," : "", h[i].action);
        CHECK_EQ_STR(acts.s, "create,submit,reject,submit,publish,update,resubmit,publish,"
                             "update,archive");
        buf_free(&acts);
        if (n >= 3) {
            CHECK_EQ_INT(h[0].user_id, w.inst.id);
            CHECK_EQ_INT(h[2].user_id, w.organizer.id);
            CHECK(strstr(h[2].detail, "请补充专利信息") != NULL);
        }
        if (n >= 6) CHECK(strstr(h[5].detail, "\"title\"") != NULL); /* the diff names it */
    }
done:
    world_close(&w);
}

TEST(listing_drafts_are_private)
{
    world w;
    if (!world_open(&w)) goto done;
    err e = {0};
    int64_t id = 0;
    dctx ent = test_ctx(&w.t, &w.ent_a), other = test_ctx(&w.t, &w.ent_b),
         anon = test_ctx(&w.t, NULL), staff = test_ctx(&w.t, &w.organizer);
    listing_input need = need_input();
    if (!CHECK_EQ_INT(listing_create(&ent, "need", &need, &id, &e), ERR_OK)) goto done;
    listing_rec l;
    CHECK_EQ_INT(listing_get(&ent, id, &l, &e), ERR_OK);
    CHECK_EQ_INT(listing_get(&staff, id, &l, &e), ERR_OK);
    CHECK_EQ_INT(listing_get(&other, id, &l, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(listing_get(&anon, id, &l, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(listing_update(&other, id, &need, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(listing_transition(&other, id, "submit", NULL, &e), ERR_NOT_FOUND);
    CHECK_EQ_INT(listing_transition(&anon, id, "submit", NULL, &e), ERR_UNAUTH);
    CHECK_EQ_STR(status_of(&w, id), "draft");

    listing_filter f = {.kind = "need"};
    listing_rec *rows;
    int n = -1;
    int64_t total = -1;
    CHECK(listing_list(&anon, "public", &f, &rows, &n, &total, &e) == ERR_OK && total == 0);
    f = (listing_filter){.kind = "need"};
    CHECK(listing_list(&ent, "mine", &f, &rows, &n, &total, &e) == ERR_OK && total == 1);
    f = (listing_filter){.kind = "need"};
    CHECK(listing_list(&other, "mine", &f, &rows, &n, &total, &e) == ERR_OK && total == 0);
    f = (listing_filter){.kind = "need"};
    CHECK_EQ_INT(listing_list(&ent, "all", &f, &rows, &n, &total, &e), ERR_FORBIDDEN);
    f = (listing_filter){.kind = "need"};
    CHECK_EQ_INT(listing_list(&anon, "mine", &f, &rows, &n, &total, &e), ERR_UNAUTH);
done:
    world_close(&w);
}

/* The listing as viewer c sees it through listing_to_json; NULL on error. Caller decrefs. */
static json_t *view_as(world *w, const dctx *c, int64_t id)
{
    listing_rec l;
    err e = {0};
    if (store_listing_get(w->t.db, w->t.a, id, &l, &e)) return NULL;
    return listing_to_json(c, &l);
}

/* True when the JSON view of listing id for c shows its organization. */
static bool shows_org(world *w, const dctx *c, int64_t id)
{
    json_t *j = view_as(w, c, id);
    bool shown = json_is_object(json_object_get(j, "org"));
    json_decref(j);
    return shown;
}

static bool shows_contact(world *w, const dctx *c, int64_t id)
{
    json_t *j = view_as(w, c, id);
    bool shown = json_is_object(json_object_get(j, "contact"));
    json_decref(j);
    return shown;
}

TEST(listing_json_hides_anonymous_need_and_contacts)
{
    world w;
    if (!world_open(&w)) goto done;
    err e = {0};
    int64_t need_id = 0, ach_id = 0;
    dctx ent = test_ctx(&w.t, &w.ent_a), other = test_ctx(&w.t, &w.ent_b),
         inst = test_ctx(&w.t, &w.inst), anon = test_ctx(&w.t, NULL),
         staff = test_ctx(&w.t, &w.organizer);
    listing_input need = need_input();
    need.status = "submitted";
    if (!CHECK_EQ_INT(listing_create(&ent, "need", &need, &need_id, &e), ERR_OK)) goto done;
    if (!CHECK_EQ_INT(listing_transition(&staff, need_id, "publish", NULL, &e), ERR_OK)) goto done;
    listing_input ach = achievement_input();
    ach.org = "五邑大学";
    ach.status = "published";
    if (!CHECK_EQ_INT(listing_create(&staff, "achievement", &ach, &ach_id, &e), ERR_OK)) goto done;

    /* the anonymous need: only organizers and the company itself see the company */
    CHECK(!shows_org(&w, &anon, need_id));
    CHECK(!shows_org(&w, &other, need_id));
    CHECK(!shows_org(&w, &inst, need_id));
    CHECK(shows_org(&w, &staff, need_id));
    CHECK(shows_org(&w, &w.t.sys, need_id));
    CHECK(shows_org(&w, &ent, need_id));
    json_t *j = view_as(&w, &staff, need_id);
    CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(j, "org"), "name")),
                 "开平甲药业有限公司");
    CHECK(json_is_true(json_object_get(j, "anonymous")));
    json_decref(j);
    /* the anonymous viewer's JSON holds the company's name nowhere */
    j = view_as(&w, &anon, need_id);
    char *text = json_dumps(j, 0);
    CHECK(text && !strstr(text, "开平甲药业"));
    free(text);
    json_decref(j);

    /* contacts: signed-in users only; an anonymous need's contact would name the company, so
     * only organizers and the company itself see it */
    CHECK(!shows_contact(&w, &anon, need_id));
    CHECK(!shows_contact(&w, &anon, ach_id));
    CHECK(!shows_contact(&w, &other, need_id));
    CHECK(!shows_contact(&w, &inst, need_id));
    CHECK(shows_contact(&w, &staff, need_id));
    CHECK(shows_contact(&w, &ent, need_id));
    CHECK(shows_contact(&w, &ent, ach_id));
    j = view_as(&w, &inst, ach_id);
    CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(j, "contact"), "email")),
                 "wang@wyu.example.cn");
    json_decref(j);

    /* a non-anonymous listing shows its org to everyone */
    CHECK(shows_org(&w, &anon, ach_id));
    need.anonymous = "0";
    need.status = NULL;
    CHECK_EQ_INT(listing_update(&staff, need_id, &need, &e), ERR_OK);
    CHECK(shows_org(&w, &anon, need_id));
    CHECK(shows_org(&w, &other, need_id));
    CHECK(shows_contact(&w, &other, need_id));
done:
    world_close(&w);
}

TEST(listing_input_from_json_types)
{
    arena *a = arena_new();
    err e = {0};
    listing_input in;
    json_t *o =
        json_loads("{\"title\":\"T\",\"trl\":5,\"keywords\":[\"a\",\"b\"],"
                   "\"transfer_modes\":[\"license\"],\"price_wan\":null,"
                   "\"patents\":[{\"number\":\"CN1\",\"status\":\"granted\"},{\"number\":\"CN2\"}],"
                   "\"contact\":{\"name\":\"王\",\"phone\":\"123456\"},"
                   "\"org\":{\"name\":\"五邑大学\"},\"ignored\":[1]}",
                   0, NULL);
    if (CHECK(o != NULL) &&
        CHECK_EQ_INT(listing_input_from_json(a, "achievement", o, &in, &e), ERR_OK)) {
        CHECK_EQ_STR(in.title, "T");
        CHECK_EQ_STR(in.trl, "5");
        CHECK_EQ_STR(in.keywords, "a,b");
        CHECK_EQ_STR(in.modes, "license");
        CHECK(in.price_wan == NULL);
        CHECK_EQ_STR(in.patents, "CN1 granted\nCN2 pending");
        CHECK_EQ_STR(in.contact_name, "王");
        CHECK_EQ_STR(in.contact_phone, "123456");
        CHECK_EQ_STR(in.org, "五邑大学");
    }
    json_decref(o);
    /* needs read trl_min, cooperation and budget_wan */
    o = json_loads("{\"trl_min\":3,\"cooperation\":\"joint\",\"budget_wan\":10,\"anonymous\":true,"
                   "\"org\":7}",
                   0, NULL);
    if (CHECK_EQ_INT(listing_input_from_json(a, "need", o, &in, &e), ERR_OK)) {
        CHECK_EQ_STR(in.trl, "3");
        CHECK_EQ_STR(in.modes, "joint");
        CHECK_EQ_STR(in.price_wan, "10");
        CHECK_EQ_STR(in.anonymous, "1");
        CHECK_EQ_STR(in.org, "7");
    }
    json_decref(o);
    /* wrong types name the key */
    const char *bad[][2] = {
        {"{\"title\":[\"x\"]}", "title"},
        {"{\"keywords\":[1]}", "keywords"},
        {"{\"keywords\":[\"a,b\"]}", "keywords"},
        {"{\"transfer_modes\":{}}", "transfer_modes"},
        {"{\"patents\":[{\"number\":\"CN 1\"}]}", "patents"},
        {"{\"patents\":[\"CN1\"]}", "patents"},
        {"{\"contact\":{\"name\":[]}}", "contact"},
        {"{\"org\":[1]}", "org"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        o = json_loads(bad[i][0], 0, NULL);
        e = (err){0};
        CHECK_EQ_INT(listing_input_from_json(a, "achievement", o, &in, &e), ERR_INVALID);
        CHECK_EQ_STR(e.field, bad[i][1]);
        json_decref(o);
    }
    o = json_array();
    CHECK_EQ_INT(listing_input_from_json(a, "achievement", o, &in, &e), ERR_INVALID);
    json_decref(o);
    arena_free(a);
}
