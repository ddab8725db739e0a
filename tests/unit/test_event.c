/* test_event.c — events (domain/event.c, event_ics.c) against a real SQLite database:
 * validation naming the field, the registration window, capacity, duplicates, approval, check-in
 * signing and the once-only check-in, the agenda and its iCalendar. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

typedef struct {
    test_db t;
    int64_t gov, uni;
    user_rec organizer, inst;
} world;

static bool world_open(world *w)
{
    memset(w, 0, sizeof *w);
    if (!test_db_open(&w->t)) return false;
    w->gov = test_org(&w->t, "开平市科学技术局", "government");
    w->uni = test_org(&w->t, "五邑大学", "university");
    return w->gov && w->uni &&
           test_user(&w->t, "org@example.cn", "organizer", NULL, &w->organizer) &&
           test_user(&w->t, "tto@wyu.example.cn", "inst_member", "五邑大学", &w->inst);
}

static event_input good_event(void)
{
    return (event_input){
        .title = " 生物医药对接会 ",
        .orgs = "开平市科学技术局, 1",
        .venue = "开平",
        .date = "2031-05-20",
        .start_time = "09:00",
        .end_time = "17:00",
        .fields = "biomed，biomed.api、biomed",
        .capacity = "2",
    };
}

static registration_input person(const char *email)
{
    return (registration_input){.name = "张三",
                                .org_name = "某公司",
                                .category = "enterprise",
                                .brings = "needs",
                                .email = email};
}

/* Creates and publishes an event as the organizer; 0 on failure (recorded). */
static int64_t published_event(world *w, event_input in)
{
    dctx c = test_ctx(&w->t, &w->organizer);
    err e = {0};
    int64_t id = 0;
    if (!CHECK_EQ_STR(event_create(&c, &in, &id, &e) ? e.msg : "", "")) return 0;
    if (!CHECK_EQ_STR(event_transition(&c, id, "publish", &e) ? e.msg : "", "")) return 0;
    return id;
}

TEST(event_validate_names_the_field)
{
    world w;
    if (!world_open(&w)) goto done;
    dctx c = test_ctx(&w.t, &w.organizer);
    const struct {
        const char *what, *value, *field;
    } bad[] = {
        {"title", "", "title"},
        {"orgs", "", "orgs"},
        {"orgs", "99", "orgs"},
        {"orgs", "没有这个单位", "orgs"},
        {"venue", "", "venue"},
        {"date", "2031-02-29", "date"},
        {"date", "31-05-20", "date"},
        {"start_time", "9:00", "start_time"},
        {"end_time", "24:00", "end_time"},
        {"end_time", "08:59", "end_time"},
        {"fields", "biomed,nope", "fields"},
        {"capacity", "0", "capacity"},
        {"capacity", "abc", "capacity"},
        {"reg_deadline", "2031-05-20T17:01", "reg_deadline"},
        {"reg_deadline", "2031-05-20", "reg_deadline"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        event_input in = good_event();
        const char **slot = str_eq(bad[i].what, "title")        ? &in.title
                            : str_eq(bad[i].what, "orgs")       ? &in.orgs
                            : str_eq(bad[i].what, "venue")      ? &in.venue
                            : str_eq(bad[i].what, "date")       ? &in.date
                            : str_eq(bad[i].what, "start_time") ? &in.start_time
                            : str_eq(bad[i].what, "end_time")   ? &in.end_time
                            : str_eq(bad[i].what, "fields")     ? &in.fields
                            : str_eq(bad[i].what, "capacity")   ? &in.capacity
                                                                : &in.reg_deadline;
        *slot = bad[i].value;
        event_rec ev;
        int64_t *orgs;
        int n;
        err e = {0};
        CHECK_EQ_INT(event_validate(&c, &in, &ev, &orgs, &n, &e), ERR_INVALID);
        if (!CHECK_EQ_STR(e.field, bad[i].field)) break;
    }
    /* the good input: trimmed, fields de-duplicated as ",a,b,", orgs by name or id, once */
    event_input in = good_event();
    in.reg_deadline = "2031-05-19 18:00";
    event_rec ev;
    int64_t *orgs;
    int n;
    err e = {0};
    CHECK_EQ_INT(event_validate(&c, &in, &ev, &orgs, &n, &e), ERR_OK);
    CHECK_EQ_STR(ev.title, "生物医药对接会");
    CHECK_EQ_STR(ev.fields, ",biomed,biomed.api,");
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(ev.capacity, 2);
    CHECK_EQ_STR(ev.reg_deadline, "2031-05-19T18:00");
done:
    test_db_close(&w.t);
}

TEST(event_only_staff_manage)
{
    world w;
    if (!world_open(&w)) goto done;
    dctx inst = test_ctx(&w.t, &w.inst), anon = test_ctx(&w.t, NULL);
    event_input in = good_event();
    err e = {0};
    int64_t id;
    CHECK_EQ_INT(event_create(&inst, &in, &id, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(event_create(&anon, &in, &id, &e), ERR_UNAUTH);
    dctx org = test_ctx(&w.t, &w.organizer);
    if (!CHECK_EQ_INT(event_create(&org, &in, &id, &e), ERR_OK)) goto done;
    event_rec ev;
    CHECK_EQ_INT(event_get(&anon, id, &ev, &e), ERR_NOT_FOUND); /* a draft */
    CHECK_EQ_INT(event_get(&org, id, &ev, &e), ERR_OK);
    CHECK_EQ_INT(event_transition(&inst, id, "publish", &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(event_transition(&org, id, "publish", &e), ERR_OK);
    CHECK_EQ_INT(event_transition(&org, id, "publish", &e), ERR_CONFLICT);
    CHECK_EQ_INT(event_get(&anon, id, &ev, &e), ERR_OK);
done:
    test_db_close(&w.t);
}

TEST(event_registration_window)
{
    event_rec ev = {.status = "published",
                    .date = "2031-05-20",
                    .start_time = "09:00",
                    .end_time = "17:00",
                    .reg_deadline = ""};
    const char *why;
    CHECK(event_registration_open(&ev, "2031-05-20T16:59", 0, &why));
    CHECK(!event_registration_open(&ev, "2031-05-20T17:00", 0, &why));
    CHECK_EQ_STR(why, "event.err.closed");
    ev.reg_deadline = "2031-05-18T12:00";
    CHECK(event_registration_open(&ev, "2031-05-18T11:59", 0, &why));
    CHECK(!event_registration_open(&ev, "2031-05-18T12:00", 0, &why));
    ev.capacity = 3;
    CHECK(event_registration_open(&ev, "2031-05-01T00:00", 2, &why));
    CHECK(!event_registration_open(&ev, "2031-05-01T00:00", 3, &why));
    CHECK_EQ_STR(why, "event.err.full");
    ev.status = "draft";
    CHECK(!event_registration_open(&ev, "2031-05-01T00:00", 0, &why));
    CHECK_EQ_STR(why, "event.err.not_published");
}

TEST(event_registration_rules)
{
    world w;
    if (!world_open(&w)) goto done;
    int64_t id = published_event(&w, good_event()); /* capacity 2 */
    if (!id) goto done;
    dctx anon = test_ctx(&w.t, NULL);
    err e = {0};
    int64_t rid;
    const char *token;
    registration_input bad = person("a@example.com");
    bad.category = "alien";
    CHECK_EQ_INT(registration_create(&anon, id, &bad, &rid, &token, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "category");
    bad = person("not-an-email");
    CHECK_EQ_INT(registration_create(&anon, id, &bad, &rid, &token, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "email");
    bad = person("a@example.com");
    bad.link_org = "1"; /* visitors have no organization to link */
    CHECK_EQ_INT(registration_create(&anon, id, &bad, &rid, &token, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "link_org");

    registration_input p = person("A@Example.com");
    if (!CHECK_EQ_INT(registration_create(&anon, id, &p, &rid, &token, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(strlen(token), 32);
    p = person("a@example.COM");
    CHECK_EQ_INT(registration_create(&anon, id, &p, &rid, &token, &e), ERR_CONFLICT);
    CHECK_EQ_STR(e.field, "email");
    CHECK_EQ_STR(e.key, "event.err.duplicate_email");
    p = person("b@example.com");
    CHECK_EQ_INT(registration_create(&anon, id, &p, &rid, &token, &e), ERR_OK);
    p = person("c@example.com");
    CHECK_EQ_INT(registration_create(&anon, id, &p, &rid, &token, &e), ERR_CONFLICT);
    CHECK_EQ_STR(e.key, "event.err.full");
    /* the member links the org */
    dctx inst = test_ctx(&w.t, &w.inst);
    event_input in2 = good_event();
    in2.capacity = "";
    int64_t id2 = published_event(&w, in2);
    p = person("tto@wyu.example.cn");
    p.org_name = "";
    p.link_org = "1";
    if (!CHECK_EQ_INT(registration_create(&inst, id2, &p, &rid, &token, &e), ERR_OK)) goto done;
    registration_rec g;
    CHECK_EQ_INT(store_registration_get(w.t.db, w.t.a, rid, &g, &e), ERR_OK);
    CHECK_EQ_INT(g.org_id, w.uni);
    CHECK_EQ_STR(g.org_name, "五邑大学");
    CHECK_EQ_INT(g.user_id, w.inst.id);
done:
    test_db_close(&w.t);
}

TEST(event_checkin_signature)
{
    unsigned char k1[32], k2[32];
    memset(k1, 1, sizeof k1);
    memset(k2, 2, sizeof k2);
    char sig[33];
    event_checkin_sign(k1, 7, 42, sig);
    CHECK_EQ_INT(strlen(sig), 32);
    CHECK_EQ_INT(strspn(sig, "0123456789abcdef"), 32);
    CHECK(event_checkin_verify(k1, 7, 42, sig));
    CHECK(!event_checkin_verify(k1, 7, 43, sig));
    CHECK(!event_checkin_verify(k1, 8, 42, sig));
    CHECK(!event_checkin_verify(k2, 7, 42, sig));
    CHECK(!event_checkin_verify(k1, 7, 42, NULL));
    CHECK(!event_checkin_verify(k1, 7, 42, ""));
    char tampered[33];
    memcpy(tampered, sig, sizeof tampered);
    tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
    CHECK(!event_checkin_verify(k1, 7, 42, tampered));
    char again[33];
    event_checkin_sign(k1, 7, 42, again);
    CHECK_EQ_STR(again, sig); /* deterministic: the QR code can be printed in advance */
}

TEST(event_checkin_key_is_created_once)
{
    world w;
    if (!world_open(&w)) goto done;
    dctx c = test_ctx(&w.t, &w.organizer);
    unsigned char a[32], b[32];
    err e = {0};
    CHECK_EQ_INT(event_checkin_key(&c, a, &e), ERR_OK);
    CHECK_EQ_INT(event_checkin_key(&c, b, &e), ERR_OK);
    CHECK(memcmp(a, b, 32) == 0);
    unsigned char zero[32] = {0};
    CHECK(memcmp(a, zero, 32) != 0);
done:
    test_db_close(&w.t);
}

TEST(event_checkin_once)
{
    world w;
    if (!world_open(&w)) goto done;
    event_input in = good_event();
    in.needs_approval = "1";
    int64_t id = published_event(&w, in);
    if (!id) goto done;
    dctx anon = test_ctx(&w.t, NULL), org = test_ctx(&w.t, &w.organizer),
         inst = test_ctx(&w.t, &w.inst);
    err e = {0};
    int64_t rid;
    registration_input p = person("x@example.com");
    if (!CHECK_EQ_INT(registration_create(&anon, id, &p, &rid, NULL, &e), ERR_OK)) goto done;
    const char *path;
    CHECK_EQ_INT(event_checkin_path(&org, id, rid, &path, &e), ERR_OK);
    const char *sig = strrchr(path, '/') + 1;
    registration_rec g;
    CHECK_EQ_INT(event_checkin(&org, id, rid, sig, &g, &e), ERR_CONFLICT); /* still pending */
    CHECK_EQ_STR(e.key, "event.err.not_approved");
    CHECK_EQ_INT(registration_decide(&inst, id, rid, "approve", &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(registration_decide(&org, id, rid, "approve", &e), ERR_OK);
    CHECK_EQ_INT(event_checkin(&inst, id, rid, sig, &g, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(event_checkin(&org, id, rid, "00000000000000000000000000000000", &g, &e),
                 ERR_FORBIDDEN);
    CHECK_EQ_STR(e.key, "event.err.bad_signature");
    CHECK_EQ_INT(event_checkin(&org, id + 1, rid, sig, &g, &e), ERR_FORBIDDEN);
    if (!CHECK_EQ_INT(event_checkin(&org, id, rid, sig, &g, &e), ERR_OK)) goto done;
    CHECK(*g.checked_in_at != 0);
    CHECK_EQ_INT(event_checkin(&org, id, rid, NULL, &g, &e), ERR_CONFLICT);
    CHECK_EQ_STR(e.key, "event.err.already");
    CHECK(strstr(e.msg, "already checked in at ") != NULL);
    CHECK_EQ_INT(registration_decide(&org, id, rid, "reject", &e), ERR_CONFLICT);
    event_count_rec *cs;
    int n;
    CHECK_EQ_INT(event_counts(&org, id, &cs, &n, &e), ERR_OK);
    if (CHECK_EQ_INT(n, 1)) {
        CHECK_EQ_STR(cs[0].category, "enterprise");
        CHECK_EQ_INT(cs[0].approved, 1);
        CHECK_EQ_INT(cs[0].checked_in, 1);
    }
done:
    test_db_close(&w.t);
}

TEST(event_agenda_and_ics)
{
    world w;
    if (!world_open(&w)) goto done;
    int64_t id = published_event(&w, good_event());
    if (!id) goto done;
    dctx org = test_ctx(&w.t, &w.organizer), anon = test_ctx(&w.t, NULL);
    err e = {0};
    agenda_input bad = {.kind = "party", .title = "x", .start_time = "09:00", .end_time = "10:00"};
    CHECK_EQ_INT(agenda_create(&org, id, &bad, NULL, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "kind");
    bad.kind = "opening";
    bad.end_time = "09:00";
    CHECK_EQ_INT(agenda_create(&org, id, &bad, NULL, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "end_time");
    agenda_input a = {
        .kind = "roadshow", .title = "路演", .start_time = "10:00", .end_time = "11:00"};
    agenda_input b = {.kind = "opening",
                      .title = "开幕",
                      .title_en = "Opening",
                      .start_time = "09:00",
                      .end_time = "09:30",
                      .place = "主会场"};
    CHECK_EQ_INT(agenda_create(&anon, id, &a, NULL, &e), ERR_UNAUTH);
    CHECK_EQ_INT(agenda_create(&org, id, &a, NULL, &e), ERR_OK);
    CHECK_EQ_INT(agenda_create(&org, id, &b, NULL, &e), ERR_OK);
    agenda_rec *s;
    int n;
    CHECK_EQ_INT(agenda_list(&anon, id, &s, &n, &e), ERR_OK);
    if (CHECK_EQ_INT(n, 2)) CHECK_EQ_STR(s[0].title, "开幕");
    const char *ics;
    if (!CHECK_EQ_INT(event_agenda_ics(&anon, id, &ics, &e), ERR_OK)) goto done;
    CHECK(str_starts(ics, "BEGIN:VCALENDAR\r\n"));
    int vevents = 0;
    for (const char *p = ics; (p = strstr(p, "BEGIN:VEVENT")); p++)
        vevents++;
    CHECK_EQ_INT(vevents, 2);
    CHECK(strstr(ics, "DTSTART:20310520T010000Z") != NULL); /* 09:00 UTC+8 */
    CHECK(strstr(ics, "UID:event-") != NULL);
done:
    test_db_close(&w.t);
}

TEST(event_local_time_converts_utc)
{
    arena *a = arena_new();
    CHECK_EQ_STR(event_local_time(a, "2031-05-20T01:02:03Z"), "2031-05-20 09:02");
    CHECK_EQ_STR(event_local_time(a, "2031-12-31T20:00:00Z"), "2032-01-01 04:00");
    CHECK_EQ_STR(event_local_time(a, ""), "");
    CHECK_EQ_STR(event_local_time(a, "junk"), "");
    arena_free(a);
}

TEST(event_clock_pinned_by_env)
{
    char real[17], now[17];
    const char *saved = getenv("DUIJIE_CLOCK");
    char *keep = saved ? xstrdup(saved) : NULL;
    unsetenv("DUIJIE_CLOCK");
    event_now_local(real);
    setenv("DUIJIE_CLOCK", "10:00", 1);
    event_now_local(now);
    CHECK(memcmp(now, real, 11) == 0);
    CHECK_EQ_STR(now + 11, "10:00");
    setenv("DUIJIE_CLOCK", "2031-05-20T08:30", 1);
    event_now_local(now);
    CHECK_EQ_STR(now, "2031-05-20T08:30");
    static const char *bad[] = {"25:00", "2031-02-30T08:30", "2031-05-20 08:30", "soon", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("DUIJIE_CLOCK", bad[i], 1);
        event_now_local(now);
        CHECK(memcmp(now, real, 10) == 0);
    }
    if (keep)
        setenv("DUIJIE_CLOCK", keep, 1);
    else
        unsetenv("DUIJIE_CLOCK");
    free(keep);
}
