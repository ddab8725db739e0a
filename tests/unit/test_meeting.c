/* test_meeting.c — the 1:1 meeting flow on the demo event: scheduling stores a valid schedule
 * (no participant twice in a slot, tables within the event's count and distinct per slot),
 * re-running for the unscheduled keeps placed meetings where they are, moves are checked. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

/* The demo event's id (the newest event). */
static int64_t demo_event(test_db *t)
{
    err e = {0};
    db_stmt *s = db_prepare(t->db, "SELECT MAX(id) FROM events", &e);
    int64_t id = 0;
    if (s && db_step(s, &e) == DB_ROW) id = db_col_int(s, 0);
    db_done(s);
    return id;
}

/* Checks the rules of a stored schedule; returns the number of placed meetings or -1. */
static int schedule_valid(test_db *t, int64_t ev, int tables)
{
    err e = {0};
    meeting_rec *m;
    int n;
    if (!CHECK_EQ_INT(meeting_list(&t->sys, ev, &m, &n, &e), ERR_OK)) return -1;
    int placed = 0;
    for (int i = 0; i < n; i++) {
        if (!m[i].slot_id) continue;
        placed++;
        if (!CHECK(str_eq(m[i].status, "accepted"))) return -1;
        if (!CHECK(m[i].table_no >= 1 && m[i].table_no <= tables)) return -1;
        for (int k = i + 1; k < n; k++) {
            if (m[k].slot_id != m[i].slot_id) continue;
            if (!CHECK(m[k].table_no != m[i].table_no)) return -1;
            bool shared =
                m[k].requester_id == m[i].requester_id || m[k].requester_id == m[i].invitee_id ||
                m[k].invitee_id == m[i].requester_id || m[k].invitee_id == m[i].invitee_id;
            if (!CHECK(!shared)) return -1;
        }
    }
    return placed;
}

TEST(meeting_schedule_is_valid_and_rerun_keeps_placed)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    fflush(stdout);
    int saved = dup(STDOUT_FILENO); /* the demo prints its accounts: keep the test output clean */
    FILE *null = freopen("/dev/null", "w", stdout);
    err_code rc = demo_load(&t.sys, &e);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    (void)null;
    if (!CHECK_EQ_STR(rc ? e.msg : "", "")) goto done;
    int64_t ev = demo_event(&t);
    if (!CHECK(ev > 0)) goto done;
    meeting_settings_rec set;
    if (!CHECK_EQ_INT(meeting_settings_get(&t.sys, ev, &set, &e), ERR_OK)) goto done;
    meeting_schedule_stats st;
    if (!CHECK_EQ_INT(meeting_schedule(&t.sys, ev, false, &st, &e), ERR_OK)) goto done;
    CHECK(st.accepted > 0);
    CHECK_EQ_INT(st.scheduled + st.unscheduled, st.accepted);
    int placed = schedule_valid(&t, ev, set.tables);
    CHECK_EQ_INT(placed, st.scheduled);

    /* re-running for the unscheduled only leaves every placed meeting in its cell */
    meeting_rec *before;
    int nb;
    if (!CHECK_EQ_INT(meeting_list(&t.sys, ev, &before, &nb, &e), ERR_OK)) goto done;
    meeting_schedule_stats st2;
    if (!CHECK_EQ_INT(meeting_schedule(&t.sys, ev, true, &st2, &e), ERR_OK)) goto done;
    meeting_rec *after;
    int na;
    if (!CHECK_EQ_INT(meeting_list(&t.sys, ev, &after, &na, &e), ERR_OK)) goto done;
    int moved = 0;
    for (int i = 0; i < nb; i++)
        for (int k = 0; k < na; k++)
            if (after[k].id == before[i].id && before[i].slot_id &&
                (after[k].slot_id != before[i].slot_id || after[k].table_no != before[i].table_no))
                moved++;
    CHECK_EQ_INT(moved, 0);
    CHECK(schedule_valid(&t, ev, set.tables) >= placed);

    /* a move onto a table out of range is refused, the schedule unchanged */
    for (int i = 0; i < na; i++) {
        if (!after[i].slot_id) continue;
        char slot[24], table[24];
        snprintf(slot, sizeof slot, "%lld", (long long)after[i].slot_id);
        snprintf(table, sizeof table, "%d", set.tables + 1);
        CHECK(meeting_move(&t.sys, ev, after[i].id, slot, table, &e) != ERR_OK);
        break;
    }
    CHECK(schedule_valid(&t, ev, set.tables) >= placed);
done:
    test_db_close(&t);
}

/* ---- participants' unavailable slots: who may read and change whose ---- */

TEST(meeting_availability_permissions)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    user_rec org, ent, inst, outsider;
    if (!test_org(&t, "开平市科学技术局", "government") || !test_org(&t, "某药业", "enterprise") ||
        !test_org(&t, "某大学", "university") ||
        !test_user(&t, "org@example.cn", "organizer", NULL, &org) ||
        !test_user(&t, "rd@ent.example.cn", "ent_member", "某药业", &ent) ||
        !test_user(&t, "tto@uni.example.cn", "inst_member", "某大学", &inst) ||
        !test_user(&t, "x@else.example.cn", "ent_member", "某药业", &outsider))
        goto done;
    dctx co = test_ctx(&t, &org), ce = test_ctx(&t, &ent), ci = test_ctx(&t, &inst),
         cx = test_ctx(&t, &outsider), ca = test_ctx(&t, NULL);
    event_input in = {.title = "生物医药对接会",
                      .orgs = "1",
                      .venue = "开平",
                      .date = "2031-05-20",
                      .start_time = "09:00",
                      .end_time = "17:00"};
    int64_t ev = 0, ses = 0, s1 = 0, s2 = 0, re = 0, ri = 0;
    if (!CHECK_EQ_STR(event_create(&co, &in, &ev, &e) ? e.msg : "", "") ||
        !CHECK_EQ_STR(event_transition(&co, ev, "publish", &e) ? e.msg : "", ""))
        goto done;
    agenda_input ag = {
        .kind = "matchmaking", .title = "洽谈", .start_time = "14:00", .end_time = "15:00"};
    if (!CHECK_EQ_STR(agenda_create(&co, ev, &ag, &ses, &e) ? e.msg : "", "")) goto done;
    const char *sid = arena_printf(t.a, "%lld", (long long)ses);
    if (!CHECK_EQ_STR(meeting_slot_create(&co, ev, sid, "14:00", "14:20", &s1, &e) ? e.msg : "",
                      "") ||
        !CHECK_EQ_STR(meeting_slot_create(&co, ev, sid, "14:20", "14:40", &s2, &e) ? e.msg : "",
                      ""))
        goto done;
    registration_input pe = {.name = "王工",
                             .org_name = "某药业",
                             .category = "enterprise",
                             .brings = "needs",
                             .email = "rd@ent.example.cn"};
    registration_input pi = {.name = "李老师",
                             .org_name = "某大学",
                             .category = "university",
                             .brings = "achievements",
                             .email = "tto@uni.example.cn"};
    if (!CHECK_EQ_STR(registration_create(&co, ev, &pe, &re, NULL, &e) ? e.msg : "", "") ||
        !CHECK_EQ_STR(registration_create(&co, ev, &pi, &ri, NULL, &e) ? e.msg : "", ""))
        goto done;

    /* a participant reads their own, never another's; outsiders and visitors nothing */
    meeting_availability av;
    if (!CHECK_EQ_INT(meeting_availability_get(&ce, ev, 0, &av, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(av.r.id, re);
    CHECK_EQ_INT(av.n, 2);
    CHECK(av.editable && !av.final && !av.slots[0].unavailable);
    CHECK_EQ_INT(meeting_availability_get(&ce, ev, ri, &av, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(meeting_availability_get(&cx, ev, 0, &av, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(meeting_availability_get(&ca, ev, 0, &av, &e), ERR_UNAUTH);
    CHECK_EQ_INT(meeting_availability_get(&co, ev, 0, &av, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "registration");
    int64_t *ur, *us;
    int nu;
    CHECK_EQ_INT(meeting_unavailable_list(&ce, ev, &ur, &us, &nu, &e), ERR_FORBIDDEN);

    /* a participant changes their own (replace, repeats harmless), only slots of the event */
    int64_t mine[3] = {s1, s1, s2}, bad[1] = {s2 + 1000};
    int conflicts = -1;
    CHECK_EQ_INT(meeting_availability_put(&ce, ev, 0, mine, 3, &conflicts, &e), ERR_OK);
    CHECK_EQ_INT(conflicts, 0);
    CHECK_EQ_INT(meeting_availability_put(&ce, ev, 0, mine + 2, 1, NULL, &e), ERR_OK);
    CHECK_EQ_INT(meeting_availability_put(&ce, ev, 0, bad, 1, NULL, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "unavailable");
    CHECK_EQ_INT(meeting_availability_put(&ce, ev, ri, mine, 1, NULL, &e), ERR_FORBIDDEN);
    CHECK_EQ_INT(meeting_availability_put(&ci, ev, re, NULL, 0, NULL, &e), ERR_FORBIDDEN);
    if (!CHECK_EQ_INT(meeting_availability_get(&ce, ev, 0, &av, &e), ERR_OK)) goto done;
    CHECK(!av.slots[0].unavailable && av.slots[1].unavailable);

    /* staff change anyone's; the final agenda stops participants, not staff */
    CHECK_EQ_INT(meeting_availability_put(&co, ev, ri, mine, 1, NULL, &e), ERR_OK);
    CHECK_EQ_INT(meeting_availability_put(&co, ev, 999999, mine, 1, NULL, &e), ERR_INVALID);
    if (!CHECK_EQ_INT(meeting_unavailable_list(&co, ev, &ur, &us, &nu, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(nu, 2);
    CHECK(meeting_unavailable_has(ur, us, nu, ri, s1) &&
          meeting_unavailable_has(ur, us, nu, re, s2));
    CHECK(!meeting_unavailable_has(ur, us, nu, re, s1));
    CHECK_EQ_INT(meeting_settings_update(&co, ev, NULL, NULL, "final", &e), ERR_OK);
    if (!CHECK_EQ_INT(meeting_availability_get(&ci, ev, 0, &av, &e), ERR_OK)) goto done;
    CHECK(av.final && !av.editable);
    CHECK_EQ_INT(meeting_availability_put(&ci, ev, 0, NULL, 0, NULL, &e), ERR_FORBIDDEN);
    CHECK_EQ_STR(e.key, "avail.err.final");
    CHECK_EQ_INT(meeting_availability_put(&co, ev, ri, NULL, 0, NULL, &e), ERR_OK);
    if (!CHECK_EQ_INT(meeting_availability_get(&ci, ev, 0, &av, &e), ERR_OK)) goto done;
    CHECK(!av.slots[0].unavailable && !av.slots[1].unavailable);

    /* a conflict: an accepted meeting placed where one of its parties is unavailable */
    meeting_rec m = {.slot_id = s2, .status = "accepted", .requester_id = ri, .invitee_id = re};
    CHECK_EQ_INT(meeting_conflict_of(&m, ur, us, nu), re);
    m.slot_id = s1;
    CHECK_EQ_INT(meeting_conflict_of(&m, ur, us, nu), ri);
    m.status = "requested";
    CHECK_EQ_INT(meeting_conflict_of(&m, ur, us, nu), 0);
done:
    test_db_close(&t);
}
