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
