/* meeting.c — 1:1 meetings at events (洽谈): requests, answers and lazy expiry, recommendations
 * from the matching engine, slots and tables, the scheduler (sched/) with locks, validated moves
 * and re-runs for the unscheduled only, published agendas, .ics, and in-app notices. */
#include <libical/ical.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/domain.h"
#include "sched/sched.h"

enum { MAX_MESSAGE = 1000, MAX_TABLES = 1000, RECOMMEND_K = 30 };

static const char *clean(arena *a, const char *v)
{
    return v ? str_trim(arena_strdup(a, v)) : NULL;
}

static err_code need_user(const dctx *c, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    return ERR_OK;
}

static err_code need_staff(const dctx *c, err *e)
{
    if (need_user(c, e)) return e->code;
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers manage meetings");
    return ERR_OK;
}

static int64_t actor(const dctx *c)
{
    return c->user ? c->user->id : 0;
}

static bool hhmm_valid(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && !(s[i] >= '0' && s[i] <= '9')) return false;
    int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
    return h < 24 && m < 60;
}

/* UTC ISO stamp `minutes` from now. */
static void utc_in(char out[21], long minutes)
{
    time_t t = time(NULL) + minutes * 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Loads the event (visible to the viewer) and expires overdue requests. */
static err_code load_event(dctx *c, int64_t event_id, event_rec *ev, err *e)
{
    if (event_get(c, event_id, ev, e)) return e->code;
    char now[21];
    time_now_iso(now);
    return store_meeting_expire(c->db, event_id, now, NULL, e);
}

err_code meeting_me(dctx *c, int64_t event_id, registration_rec *me, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    err_code rc =
        store_registration_of_user(c->db, c->a, event_id, c->user->id, c->user->email, me, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_FORBIDDEN, NULL, "meeting.err.not_participant",
                       "only approved participants of this event take part in meetings");
    return rc;
}

static int cmp_participant(const void *x, const void *y)
{
    const meeting_participant *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return a->r.id < b->r.id ? -1 : a->r.id > b->r.id;
}

err_code meeting_participants(dctx *c, int64_t event_id, meeting_participant **out, int *n, err *e)
{
    event_rec ev;
    registration_rec me = {0};
    bool staff = dctx_is_staff(c);
    if (load_event(c, event_id, &ev, e)) return e->code;
    if (!staff && meeting_me(c, event_id, &me, e)) return e->code;
    if (staff) {
        err le = {0};
        if (meeting_me(c, event_id, &me, &le)) me.id = 0;
    }
    registration_rec *regs;
    int nr;
    registration_listing_rec *ls;
    int nls;
    meeting_rec *ms;
    int nm;
    if (store_registration_list(c->db, c->a, event_id, "approved", &regs, &nr, e) ||
        store_registration_listings(c->db, c->a, event_id, 0, &ls, &nls, e) ||
        store_meeting_list(c->db, c->a, event_id, me.id, NULL, &ms, &nm, e))
        return e->code;
    meeting_participant *p = arena_alloc(c->a, sizeof *p * (size_t)(nr ? nr : 1));
    int np = 0;
    for (int i = 0; i < nr; i++) {
        if (regs[i].id == me.id) continue;
        meeting_participant *q = &p[np++];
        memset(q, 0, sizeof *q);
        q->r = regs[i];
        q->because = "";
        q->meeting_status = "";
        for (int k = 0; k < nls; k++)
            if (ls[k].registration_id == regs[i].id) {
                if (!q->ls) q->ls = &ls[k]; /* rows of one registration are adjacent */
                q->nls++;
            }
        for (int k = 0; k < nm; k++) {
            bool with = ms[k].requester_id == regs[i].id || ms[k].invitee_id == regs[i].id;
            if (with && me.id &&
                (str_eq(ms[k].status, "requested") || str_eq(ms[k].status, "accepted"))) {
                q->meeting_status = ms[k].status;
                q->meeting_id = ms[k].id;
                break;
            }
        }
    }
    /* recommendations: the engine's matches for each listing the viewer brings, mapped to the
     * participants who bring the matched listings */
    if (me.id) {
        for (int k = 0; k < nls; k++) {
            if (ls[k].registration_id != me.id) continue;
            match_result *mr;
            int nmr;
            err me_err = {0};
            if (matching_for_listing(c, ls[k].listing_id, RECOMMEND_K, &mr, &nmr, &me_err))
                continue; /* no index (CLI) or an unpublished listing: no recommendations */
            for (int j = 0; j < nmr; j++)
                for (int x = 0; x < np; x++)
                    for (int y = 0; y < p[x].nls; y++)
                        if (p[x].ls[y].listing_id == mr[j].l.id && mr[j].score > p[x].score) {
                            p[x].score = mr[j].score;
                            p[x].because = ls[k].title;
                        }
        }
    }
    qsort(p, (size_t)np, sizeof *p, cmp_participant);
    *out = p;
    *n = np;
    return ERR_OK;
}

static err_code notify(dctx *c, const char *email, int64_t event_id, int64_t meeting_id,
                       const char *kind, const char *who, const char *detail, err *e)
{
    return store_notice_insert(c->db, email, event_id, meeting_id, kind, who, detail, e);
}

err_code meeting_request(dctx *c, int64_t event_id, const char *to, const char *message,
                         int64_t *id, err *e)
{
    event_rec ev;
    registration_rec me, other;
    if (need_user(c, e) || load_event(c, event_id, &ev, e) || meeting_me(c, event_id, &me, e))
        return e->code;
    int64_t to_id;
    const char *t = clean(c->a, to);
    if (!t || !*t) return err_set(e, ERR_INVALID, "to", "err.required", "to is required");
    if (!str_to_i64(t, 1, INT64_MAX, &to_id))
        return err_set(e, ERR_INVALID, "to", "meeting.err.participant",
                       "to must be the id of a participant");
    err_code rc = store_registration_get(c->db, c->a, to_id, &other, e);
    if (rc == ERR_NOT_FOUND ||
        (!rc && (other.event_id != event_id || !str_eq(other.status, "approved"))))
        return err_set(e, ERR_INVALID, "to", "meeting.err.participant",
                       "to must be the id of an approved participant of this event");
    if (rc) return rc;
    if (other.id == me.id)
        return err_set(e, ERR_INVALID, "to", "meeting.err.self", "you cannot meet yourself");
    const char *msg = clean(c->a, message);
    if (!msg) msg = "";
    if (!utf8_valid_text(msg, strlen(msg)))
        return err_set(e, ERR_INVALID, "message", "err.utf8", "message is not valid UTF-8 text");
    if (utf8_count(msg) > MAX_MESSAGE)
        return err_set(e, ERR_INVALID, "message", "err.too_long",
                       "message is longer than %d characters", MAX_MESSAGE);
    meeting_settings_rec st;
    if (store_meeting_settings_get(c->db, c->a, event_id, &st, e)) return e->code;
    int64_t open;
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_open_between(c->db, me.id, other.id, &open, e)) goto fail;
    if (open) {
        err_set(e, ERR_CONFLICT, "to", "meeting.err.duplicate",
                "there is already an open request with this participant (meeting %lld)",
                (long long)open);
        goto fail;
    }
    char expires[21];
    utc_in(expires, st.expiry_minutes);
    meeting_rec m = {.event_id = event_id,
                     .requester_id = me.id,
                     .invitee_id = other.id,
                     .message = msg,
                     .status = "requested",
                     .expires_at = expires};
    int64_t nid;
    if (store_meeting_insert(c->db, &m, &nid, e) ||
        notify(c, other.email, event_id, nid, "request", me.name, "", e) ||
        store_history_add(c->db, "event", event_id, actor(c), "meeting_request",
                          arena_printf(c->a, "{\"meeting\":%lld}", (long long)nid), e) ||
        db_commit(c->db, e))
        goto fail;
    if (id) *id = nid;
    return ERR_OK;
fail:
    db_rollback(c->db);
    return e->code;
}

/* The meeting if the viewer is a party or staff; *me_id is the viewer's registration (0 for
 * staff who are not a party). */
static err_code visible(dctx *c, int64_t event_id, int64_t id, meeting_rec *m, int64_t *me_id,
                        err *e)
{
    event_rec ev;
    if (need_user(c, e) || load_event(c, event_id, &ev, e)) return e->code;
    err_code rc = store_meeting_get(c->db, c->a, id, m, e);
    if (rc) return rc;
    *me_id = 0;
    registration_rec me;
    err le = {0};
    if (c->user && !meeting_me(c, event_id, &me, &le) &&
        (me.id == m->requester_id || me.id == m->invitee_id))
        *me_id = me.id;
    if (m->event_id != event_id || (!*me_id && !dctx_is_staff(c)))
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "meeting %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code meeting_get(dctx *c, int64_t event_id, int64_t id, meeting_rec *m, err *e)
{
    int64_t me;
    return visible(c, event_id, id, m, &me, e);
}

err_code meeting_list(dctx *c, int64_t event_id, meeting_rec **out, int *n, err *e)
{
    event_rec ev;
    if (need_user(c, e) || load_event(c, event_id, &ev, e)) return e->code;
    if (dctx_is_staff(c)) return store_meeting_list(c->db, c->a, event_id, 0, NULL, out, n, e);
    registration_rec me;
    if (meeting_me(c, event_id, &me, e)) return e->code;
    return store_meeting_list(c->db, c->a, event_id, me.id, NULL, out, n, e);
}

static bool agenda_published(dctx *c, int64_t event_id)
{
    meeting_settings_rec st;
    err e = {0};
    return !store_meeting_settings_get(c->db, c->a, event_id, &st, &e) &&
           !str_eq(st.published, "none");
}

/* Tells both parties their meeting's time changed (once the agenda is published). */
static err_code notify_schedule(dctx *c, const meeting_rec *m, err *e)
{
    if (!agenda_published(c, m->event_id)) return ERR_OK;
    if (notify(c, m->requester_email, m->event_id, m->id, "schedule", m->invitee_name, "", e) ||
        notify(c, m->invitee_email, m->event_id, m->id, "schedule", m->requester_name, "", e))
        return e->code;
    return ERR_OK;
}

err_code meeting_action(dctx *c, int64_t event_id, int64_t id, const char *action, err *e)
{
    meeting_rec m;
    int64_t me;
    if (visible(c, event_id, id, &m, &me, e)) return e->code;
    const char *status = NULL;
    if (str_eq(action, "accept") || str_eq(action, "decline")) {
        if (me != m.invitee_id)
            return err_set(e, ERR_FORBIDDEN, NULL, "meeting.err.not_invitee",
                           "only the invited participant answers a request");
        status = str_eq(action, "accept") ? "accepted" : "declined";
    } else if (str_eq(action, "cancel")) {
        if (me != m.requester_id)
            return err_set(e, ERR_FORBIDDEN, NULL, "meeting.err.not_requester",
                           "only the requester cancels a request");
        status = "cancelled";
    } else if (str_eq(action, "lock") || str_eq(action, "unlock")) {
        if (need_staff(c, e)) return e->code;
        if (!str_eq(m.status, "accepted") || (str_eq(action, "lock") && !m.slot_id))
            return err_set(e, ERR_CONFLICT, NULL, "meeting.err.not_scheduled",
                           "only a scheduled meeting can be locked");
        if (db_begin(c->db, e)) return e->code;
        if (store_meeting_set_locked(c->db, id, str_eq(action, "lock"), e) ||
            store_history_add(c->db, "event", event_id, actor(c),
                              arena_printf(c->a, "meeting_%s", action),
                              arena_printf(c->a, "{\"meeting\":%lld}", (long long)id), e) ||
            db_commit(c->db, e)) {
            db_rollback(c->db);
            return e->code;
        }
        return ERR_OK;
    } else {
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "no action %s", action);
    }
    bool open = str_eq(m.status, "requested");
    if (!open && !(str_eq(action, "cancel") && str_eq(m.status, "accepted")))
        return err_set(e, ERR_CONFLICT, NULL, "meeting.err.state", "the request is already %s",
                       m.status);
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_set_status(c->db, id, status, e)) goto fail;
    if (!str_eq(action, "cancel")) {
        if (notify(c, m.requester_email, event_id, id, "answer", m.invitee_name, status, e))
            goto fail;
    } else if (str_eq(m.status, "accepted")) {
        if (notify(c, m.invitee_email, event_id, id, "answer", m.requester_name, status, e))
            goto fail;
    }
    if (store_history_add(c->db, "event", event_id, actor(c),
                          arena_printf(c->a, "meeting_%s", action),
                          arena_printf(c->a, "{\"meeting\":%lld}", (long long)id), e) ||
        db_commit(c->db, e))
        goto fail;
    return ERR_OK;
fail:
    db_rollback(c->db);
    return e->code;
}

/* ---- settings and slots ---- */

err_code meeting_settings_get(dctx *c, int64_t event_id, meeting_settings_rec *s, err *e)
{
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    return store_meeting_settings_get(c->db, c->a, event_id, s, e);
}

err_code meeting_settings_update(dctx *c, int64_t event_id, const char *tables,
                                 const char *expiry_hours, const char *published, err *e)
{
    meeting_settings_rec st;
    if (need_staff(c, e) || meeting_settings_get(c, event_id, &st, e)) return e->code;
    const char *old = st.published;
    const char *t = clean(c->a, tables), *x = clean(c->a, expiry_hours),
               *p = clean(c->a, published);
    if (t && *t) {
        int64_t v;
        if (!str_to_i64(t, 1, MAX_TABLES, &v))
            return err_set(e, ERR_INVALID, "tables", "meeting.err.tables",
                           "tables must be a whole number from 1 to %d", MAX_TABLES);
        st.tables = (int)v;
    }
    if (x && *x) {
        char *end;
        double h = strtod(x, &end);
        if (*end || !(h > 0) || h > 8760 || !isfinite(h))
            return err_set(e, ERR_INVALID, "expiry_hours", "meeting.err.expiry",
                           "expiry_hours must be a number of hours above 0, at most 8760");
        st.expiry_minutes = (int)lround(h * 60);
        if (st.expiry_minutes < 1) st.expiry_minutes = 1;
    }
    if (p && *p) {
        if (!str_eq(p, "none") && !str_eq(p, "preliminary") && !str_eq(p, "final"))
            return err_set(e, ERR_INVALID, "published", "err.choice",
                           "published must be none, preliminary or final");
        st.published = p;
    }
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_settings_put(c->db, &st, e)) goto fail;
    if (!str_eq(old, st.published) && !str_eq(st.published, "none")) {
        meeting_rec *ms;
        int n;
        if (store_meeting_list(c->db, c->a, event_id, 0, "accepted", &ms, &n, e)) goto fail;
        for (int i = 0; i < n; i++)
            if (ms[i].slot_id && (notify(c, ms[i].requester_email, event_id, ms[i].id, "schedule",
                                         ms[i].invitee_name, st.published, e) ||
                                  notify(c, ms[i].invitee_email, event_id, ms[i].id, "schedule",
                                         ms[i].requester_name, st.published, e)))
                goto fail;
    }
    if (store_history_add(
            c->db, "event", event_id, actor(c), "meeting_settings",
            arena_printf(c->a, "{\"tables\":%d,\"published\":\"%s\"}", st.tables, st.published),
            e) ||
        db_commit(c->db, e))
        goto fail;
    return ERR_OK;
fail:
    db_rollback(c->db);
    return e->code;
}

err_code meeting_slot_list(dctx *c, int64_t event_id, meeting_slot_rec **out, int *n, err *e)
{
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    return store_meeting_slot_list(c->db, c->a, event_id, out, n, e);
}

err_code meeting_slot_create(dctx *c, int64_t event_id, const char *session, const char *start,
                             const char *end, int64_t *id, err *e)
{
    event_rec ev;
    if (need_staff(c, e) || event_get(c, event_id, &ev, e)) return e->code;
    const char *ss = clean(c->a, session), *st = clean(c->a, start), *en = clean(c->a, end);
    int64_t sid;
    if (!ss || !*ss)
        return err_set(e, ERR_INVALID, "session", "err.required", "session is required");
    agenda_rec ag;
    err_code rc = str_to_i64(ss, 1, INT64_MAX, &sid) ? store_agenda_get(c->db, c->a, sid, &ag, e)
                                                     : ERR_NOT_FOUND;
    if (rc && rc != ERR_NOT_FOUND) return rc;
    if (rc || ag.event_id != event_id)
        return err_set(e, ERR_INVALID, "session", "meeting.err.session",
                       "session must be an agenda session of this event");
    if (!str_eq(ag.kind, "matchmaking") && !str_eq(ag.kind, "other"))
        return err_set(e, ERR_INVALID, "session", "meeting.err.session_kind",
                       "meeting slots belong in a matchmaking or free (other) session");
    if (!st || !*st)
        return err_set(e, ERR_INVALID, "start_time", "err.required", "start_time is required");
    if (!hhmm_valid(st))
        return err_set(e, ERR_INVALID, "start_time", "event.err.time", "start_time must be HH:MM");
    if (!en || !*en)
        return err_set(e, ERR_INVALID, "end_time", "err.required", "end_time is required");
    if (!hhmm_valid(en))
        return err_set(e, ERR_INVALID, "end_time", "event.err.time", "end_time must be HH:MM");
    if (strcmp(st, en) >= 0)
        return err_set(e, ERR_INVALID, "end_time", "event.err.end_before_start",
                       "end_time must be after start_time");
    if (strcmp(st, ag.start_time) < 0 || strcmp(en, ag.end_time) > 0)
        return err_set(e, ERR_INVALID, "start_time", "meeting.err.outside_session",
                       "the slot must lie within its session (%s–%s)", ag.start_time, ag.end_time);
    meeting_slot_rec *sl;
    int n;
    if (store_meeting_slot_list(c->db, c->a, event_id, &sl, &n, e)) return e->code;
    for (int i = 0; i < n; i++)
        if (strcmp(st, sl[i].end_time) < 0 && strcmp(sl[i].start_time, en) < 0)
            return err_set(e, ERR_INVALID, "start_time", "meeting.err.overlap",
                           "the slot overlaps the slot %s–%s", sl[i].start_time, sl[i].end_time);
    meeting_slot_rec rec = {
        .event_id = event_id, .session_id = sid, .start_time = st, .end_time = en};
    int64_t nid;
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_slot_insert(c->db, &rec, &nid, e) ||
        store_history_add(c->db, "event", event_id, actor(c), "meeting_slot_add",
                          arena_printf(c->a, "{\"slot\":%lld}", (long long)nid), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (id) *id = nid;
    return ERR_OK;
}

static err_code slot_of_event(dctx *c, int64_t event_id, int64_t id, meeting_slot_rec *s, err *e)
{
    err_code rc = store_meeting_slot_get(c->db, c->a, id, s, e);
    if (rc) return rc;
    if (s->event_id != event_id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "slot %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code meeting_slot_delete(dctx *c, int64_t event_id, int64_t id, err *e)
{
    event_rec ev;
    meeting_slot_rec s;
    if (need_staff(c, e) || event_get(c, event_id, &ev, e) || slot_of_event(c, event_id, id, &s, e))
        return e->code;
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_slot_delete(c->db, id, e) ||
        store_history_add(c->db, "event", event_id, actor(c), "meeting_slot_delete",
                          arena_printf(c->a, "{\"slot\":%lld}", (long long)id), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

/* ---- participants' unavailable slots ---- */

bool meeting_unavailable_has(const int64_t *regs, const int64_t *slots, int n, int64_t reg_id,
                             int64_t slot_id)
{
    for (int i = 0; i < n; i++)
        if (regs[i] == reg_id && slots[i] == slot_id) return true;
    return false;
}

int64_t meeting_conflict_of(const meeting_rec *m, const int64_t *regs, const int64_t *slots, int n)
{
    if (!m->slot_id || !str_eq(m->status, "accepted")) return 0;
    if (meeting_unavailable_has(regs, slots, n, m->requester_id, m->slot_id))
        return m->requester_id;
    if (meeting_unavailable_has(regs, slots, n, m->invitee_id, m->slot_id)) return m->invitee_id;
    return 0;
}

err_code meeting_unavailable_list(dctx *c, int64_t event_id, int64_t **regs, int64_t **slots,
                                  int *n, err *e)
{
    event_rec ev;
    if (need_staff(c, e) || event_get(c, event_id, &ev, e)) return e->code;
    return store_meeting_unavailable_list(c->db, c->a, event_id, regs, slots, n, e);
}

/* Whose availability the viewer reaches: reg_id 0 = their own registration; another id = staff
 * only (a participant naming their own id is fine), and it must be an approved registration. */
static err_code availability_whom(dctx *c, int64_t event_id, int64_t reg_id, registration_rec *r,
                                  err *e)
{
    registration_rec me;
    err le = {0};
    bool mine = c->user && !meeting_me(c, event_id, &me, &le);
    if (!reg_id || (mine && me.id == reg_id)) {
        if (mine) {
            *r = me;
            return ERR_OK;
        }
        if (!dctx_is_staff(c)) return meeting_me(c, event_id, r, e); /* not_participant */
        return err_set(e, ERR_INVALID, "registration", "avail.err.registration",
                       "organizers name the participant: registration is required");
    }
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "avail.err.not_yours",
                       "participants set only their own unavailable slots");
    err_code rc = registration_get(c, event_id, reg_id, r, e);
    if (rc == ERR_NOT_FOUND || (!rc && !str_eq(r->status, "approved")))
        return err_set(e, ERR_INVALID, "registration", "avail.err.registration",
                       "registration must be the id of an approved participant of this event");
    return rc;
}

err_code meeting_availability_get(dctx *c, int64_t event_id, int64_t reg_id,
                                  meeting_availability *out, err *e)
{
    event_rec ev;
    memset(out, 0, sizeof *out);
    if (need_user(c, e) || event_get(c, event_id, &ev, e) ||
        availability_whom(c, event_id, reg_id, &out->r, e))
        return e->code;
    meeting_slot_rec *sl;
    int ns;
    int64_t *ur, *us;
    int nu;
    if (store_meeting_slot_list(c->db, c->a, event_id, &sl, &ns, e) ||
        store_meeting_unavailable_list(c->db, c->a, event_id, &ur, &us, &nu, e))
        return e->code;
    out->slots = arena_alloc(c->a, sizeof *out->slots * (size_t)(ns ? ns : 1));
    for (int i = 0; i < ns; i++) {
        out->slots[i].s = sl[i];
        out->slots[i].unavailable = meeting_unavailable_has(ur, us, nu, out->r.id, sl[i].id);
    }
    out->n = ns;
    meeting_settings_rec st;
    if (store_meeting_settings_get(c->db, c->a, event_id, &st, e)) return e->code;
    out->final = str_eq(st.published, "final");
    out->editable = dctx_is_staff(c) || !out->final;
    return ERR_OK;
}

err_code meeting_availability_put(dctx *c, int64_t event_id, int64_t reg_id, const int64_t *slots,
                                  int n, int *conflicts, err *e)
{
    meeting_availability av;
    if (conflicts) *conflicts = 0;
    if (meeting_availability_get(c, event_id, reg_id, &av, e)) return e->code;
    if (!av.editable)
        return err_set(e, ERR_FORBIDDEN, NULL, "avail.err.final",
                       "the final meeting agenda is published: ask the organizers to change "
                       "your unavailable slots");
    bool *want = arena_alloc(c->a, sizeof *want * (size_t)(av.n ? av.n : 1));
    memset(want, 0, sizeof *want * (size_t)(av.n ? av.n : 1));
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < av.n && av.slots[k].s.id != slots[i])
            k++;
        if (k == av.n)
            return err_set(e, ERR_INVALID, "unavailable", "avail.err.slot",
                           "unavailable must list meeting slots of this event (%lld is not one)",
                           (long long)slots[i]);
        want[k] = true;
    }
    json_t *ids = json_array();
    if (db_begin(c->db, e)) goto fail_json;
    if (store_meeting_unavailable_clear(c->db, av.r.id, e)) goto fail;
    for (int k = 0; k < av.n; k++) {
        if (!want[k]) continue;
        if (store_meeting_unavailable_set(c->db, av.r.id, av.slots[k].s.id, true, e)) goto fail;
        json_array_append_new(ids, json_integer(av.slots[k].s.id));
    }
    char *detail = json_dumps(ids, JSON_COMPACT);
    const char *d = arena_printf(c->a, "{\"registration\":%lld,\"slots\":%s}", (long long)av.r.id,
                                 detail ? detail : "[]");
    free(detail);
    if (store_history_add(c->db, "event", event_id, actor(c), "meeting_unavailable", d, e) ||
        db_commit(c->db, e))
        goto fail;
    json_decref(ids);
    if (conflicts) {
        meeting_rec *ms;
        int nm;
        int64_t *ur, *us;
        int nu;
        if (store_meeting_list(c->db, c->a, event_id, av.r.id, "accepted", &ms, &nm, e) ||
            store_meeting_unavailable_list(c->db, c->a, event_id, &ur, &us, &nu, e))
            return e->code;
        for (int i = 0; i < nm; i++)
            if (meeting_conflict_of(&ms[i], ur, us, nu) == av.r.id) (*conflicts)++;
    }
    return ERR_OK;
fail:
    db_rollback(c->db);
fail_json:
    json_decref(ids);
    return e->code;
}

/* ---- the scheduler ---- */

typedef struct {
    sched_problem *p;
    meeting_rec *ms; /* accepted meetings, index = sched meeting index */
    int nm;
    meeting_slot_rec *sl;
    int ns;
    int tables;
} instance;

static int slot_index(const instance *in, int64_t slot_id)
{
    for (int i = 0; i < in->ns; i++)
        if (in->sl[i].id == slot_id) return i;
    return -1;
}

/* Builds the scheduler problem of an event's accepted meetings. fixed: 0 = nothing fixed, 1 =
 * locked meetings fixed, 2 = locked and placed meetings fixed. skip: a meeting never fixed. */
static err_code build(dctx *c, int64_t event_id, int fixed, int64_t skip, instance *in, err *e)
{
    meeting_settings_rec st;
    if (store_meeting_settings_get(c->db, c->a, event_id, &st, e) ||
        store_meeting_slot_list(c->db, c->a, event_id, &in->sl, &in->ns, e) ||
        store_meeting_list(c->db, c->a, event_id, 0, "accepted", &in->ms, &in->nm, e))
        return e->code;
    in->tables = st.tables;
    in->p = sched_new(c->a, st.tables);
    for (int i = 0; i < in->ns; i++)
        if (sched_add_slot(in->p, arena_printf(c->a, "s%lld", (long long)in->sl[i].id),
                           arena_printf(c->a, "%lld", (long long)in->sl[i].session_id), e))
            return e->code;
    /* participants: everyone in an accepted meeting */
    for (int i = 0; i < in->nm; i++) {
        int64_t ids[2] = {in->ms[i].requester_id, in->ms[i].invitee_id};
        for (int k = 0; k < 2; k++) {
            err le = {0};
            sched_add_participant(in->p, arena_printf(c->a, "p%lld", (long long)ids[k]), -1, &le);
        }
    }
    int64_t *ur, *us;
    int nu;
    if (store_meeting_unavailable_list(c->db, c->a, event_id, &ur, &us, &nu, e)) return e->code;
    for (int i = 0; i < nu; i++) {
        err le = {0}; /* people without accepted meetings are not in the problem */
        sched_add_unavailable(in->p, arena_printf(c->a, "p%lld", (long long)ur[i]),
                              arena_printf(c->a, "s%lld", (long long)us[i]), &le);
    }
    for (int i = 0; i < in->nm; i++) {
        const meeting_rec *m = &in->ms[i];
        /* a meeting placed where a party has since said they cannot come is never kept there,
         * locked or not: every run re-places it (or leaves it unplaced) */
        bool fix = m->id != skip && m->slot_id && slot_index(in, m->slot_id) >= 0 &&
                   (fixed == 2 || (fixed == 1 && m->locked)) && !meeting_conflict_of(m, ur, us, nu);
        if (sched_add_meeting(in->p, arena_printf(c->a, "m%lld", (long long)m->id),
                              arena_printf(c->a, "p%lld", (long long)m->requester_id),
                              arena_printf(c->a, "p%lld", (long long)m->invitee_id), 1.0,
                              fix ? arena_printf(c->a, "s%lld", (long long)m->slot_id) : NULL,
                              fix && m->table_no <= in->tables ? m->table_no : 0, e))
            return e->code;
    }
    return ERR_OK;
}

/* Stores ans's cells for every meeting whose cell changed; notifies when published. */
static err_code store_answer(dctx *c, instance *in, const sched_answer *ans, err *e)
{
    for (int i = 0; i < in->nm; i++) {
        meeting_rec *m = &in->ms[i];
        int64_t slot = ans->slot[i] >= 0 ? in->sl[ans->slot[i]].id : 0;
        int table = ans->slot[i] >= 0 ? ans->table[i] : 0;
        if (slot == m->slot_id && table == m->table_no) continue;
        if (store_meeting_place(c->db, m->id, slot, table, e)) return e->code;
        /* only a conflicting locked meeting moves (build): the organizer's lock was for the old
         * place, so the new one is not locked */
        if (slot != m->slot_id && m->locked && store_meeting_set_locked(c->db, m->id, false, e))
            return e->code;
        if (notify_schedule(c, m, e)) return e->code;
    }
    return ERR_OK;
}

err_code meeting_schedule(dctx *c, int64_t event_id, bool only_unscheduled,
                          meeting_schedule_stats *st, err *e)
{
    event_rec ev;
    if (need_staff(c, e) || load_event(c, event_id, &ev, e)) return e->code;
    instance in = {0};
    if (build(c, event_id, only_unscheduled ? 2 : 1, 0, &in, e)) return e->code;
    sched_answer ans;
    if (in.ns == 0) {
        ans = sched_answer_new(in.p, c->a);
    } else if (sched_solve(in.p, c->a, &ans, e)) {
        e->code = ERR_CONFLICT;
        return e->code;
    }
    const char *bad = sched_validate(in.p, &ans, c->a);
    if (bad) return err_set(e, ERR_INTERNAL, NULL, NULL, "scheduler answer invalid: %s", bad);
    sched_stats ss = sched_stats_of(in.p, &ans);
    if (db_begin(c->db, e)) return e->code;
    if (store_answer(c, &in, &ans, e) ||
        store_history_add(
            c->db, "event", event_id, actor(c), "meeting_schedule",
            arena_printf(c->a, "{\"scheduled\":%d,\"accepted\":%d}", ss.scheduled, in.nm), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (st) {
        st->accepted = in.nm;
        st->scheduled = ss.scheduled;
        st->unscheduled = in.nm - ss.scheduled;
        st->weight = ss.weight;
        st->idle_gaps = ss.idle_gaps;
    }
    return ERR_OK;
}

err_code meeting_move(dctx *c, int64_t event_id, int64_t id, const char *slot, const char *table,
                      err *e)
{
    meeting_rec m;
    int64_t me;
    if (need_staff(c, e) || visible(c, event_id, id, &m, &me, e)) return e->code;
    if (!str_eq(m.status, "accepted"))
        return err_set(e, ERR_CONFLICT, NULL, "meeting.err.not_accepted",
                       "only an accepted meeting can be placed");
    const char *s = clean(c->a, slot), *t = clean(c->a, table);
    int64_t slot_id, tno;
    meeting_slot_rec sr;
    if (!s || !*s) return err_set(e, ERR_INVALID, "slot", "err.required", "slot is required");
    if (!str_to_i64(s, 1, INT64_MAX, &slot_id) || slot_of_event(c, event_id, slot_id, &sr, e))
        return err_set(e, ERR_INVALID, "slot", "meeting.err.slot",
                       "slot must be a slot of this event");
    if (!t || !*t) return err_set(e, ERR_INVALID, "table", "err.required", "table is required");
    instance in = {0};
    int64_t *ur, *us;
    int nu;
    if (build(c, event_id, 1, id, &in, e) ||
        store_meeting_unavailable_list(c->db, c->a, event_id, &ur, &us, &nu, e))
        return e->code;
    if (!str_to_i64(t, 1, in.tables, &tno))
        return err_set(e, ERR_INVALID, "table", "meeting.err.table",
                       "table must be a number from 1 to %d", in.tables);
    sched_answer ans = sched_answer_new(in.p, c->a);
    int target = -1;
    for (int i = 0; i < in.nm; i++) {
        int si = in.ms[i].slot_id ? slot_index(&in, in.ms[i].slot_id) : -1;
        if (in.ms[i].id == id) {
            target = i;
            si = slot_index(&in, slot_id);
            ans.slot[i] = si;
            ans.table[i] = (int)tno;
            continue;
        }
        /* another meeting already in conflict (a party unavailable there) must not block this
         * move: it is validated as unplaced, and checked by hand below */
        if (si >= 0 && in.ms[i].table_no >= 1 && in.ms[i].table_no <= in.tables &&
            !meeting_conflict_of(&in.ms[i], ur, us, nu)) {
            ans.slot[i] = si;
            ans.table[i] = in.ms[i].table_no;
        }
    }
    if (target < 0)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "meeting %lld not in the problem",
                       (long long)id);
    const char *bad = sched_validate(in.p, &ans, c->a);
    for (int i = 0; i < in.nm && !bad; i++) {
        const meeting_rec *o = &in.ms[i];
        if (i == target || o->slot_id != slot_id || !meeting_conflict_of(o, ur, us, nu)) continue;
        if (o->table_no == tno)
            bad = arena_printf(c->a, "meeting m%lld holds table %lld", (long long)o->id,
                               (long long)tno);
        else if (o->requester_id == m.requester_id || o->requester_id == m.invitee_id ||
                 o->invitee_id == m.requester_id || o->invitee_id == m.invitee_id)
            bad =
                arena_printf(c->a, "a party already meets in meeting m%lld then", (long long)o->id);
    }
    if (bad)
        return err_set(e, ERR_CONFLICT, "slot", "meeting.err.invalid_move",
                       "the meeting cannot go there: %s", bad);
    m.slot_id = slot_id;
    if (db_begin(c->db, e)) return e->code;
    if (store_meeting_place(c->db, id, slot_id, (int)tno, e) || notify_schedule(c, &m, e) ||
        store_history_add(c->db, "event", event_id, actor(c), "meeting_move",
                          arena_printf(c->a, "{\"meeting\":%lld,\"slot\":%lld,\"table\":%lld}",
                                       (long long)id, (long long)slot_id, (long long)tno),
                          e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

static int cmp_time(const void *x, const void *y)
{
    const meeting_rec *a = x, *b = y;
    int r = strcmp(a->slot_start, b->slot_start);
    return r ? r : a->table_no - b->table_no;
}

err_code meeting_agenda(dctx *c, int64_t event_id, meeting_rec **out, int *n, err *e)
{
    event_rec ev;
    registration_rec me;
    *out = NULL;
    *n = 0;
    if (need_user(c, e) || load_event(c, event_id, &ev, e)) return e->code;
    if (meeting_me(c, event_id, &me, e)) return e->code;
    if (!dctx_is_staff(c) && !agenda_published(c, event_id)) return ERR_OK;
    meeting_rec *ms;
    int nm;
    if (store_meeting_list(c->db, c->a, event_id, me.id, "accepted", &ms, &nm, e)) return e->code;
    int k = 0;
    for (int i = 0; i < nm; i++)
        if (ms[i].slot_id) ms[k++] = ms[i];
    qsort(ms, (size_t)k, sizeof *ms, cmp_time);
    *out = ms;
    *n = k;
    return ERR_OK;
}

static struct icaltimetype utc_time(const char *date, const char *hhmm)
{
    struct tm tm = {0};
    sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    sscanf(hhmm, "%2d:%2d", &tm.tm_hour, &tm.tm_min);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) - EVENT_TZ_OFFSET;
    return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

err_code meeting_agenda_ics(dctx *c, int64_t event_id, const char **out, err *e)
{
    meeting_rec *ms;
    int n;
    event_rec ev;
    registration_rec me;
    if (meeting_agenda(c, event_id, &ms, &n, e) || event_get(c, event_id, &ev, e) ||
        meeting_me(c, event_id, &me, e))
        return e->code;
    icalcomponent *cal =
        icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                            icalproperty_new_prodid("-//duijie//meetings " DUIJIE_VERSION "//ZH"),
                            icalproperty_new_calscale("GREGORIAN"),
                            icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
    struct icaltimetype stamp =
        icaltime_from_timet_with_zone(time(NULL), 0, icaltimezone_get_utc_timezone());
    for (int i = 0; i < n; i++) {
        bool req = ms[i].requester_id == me.id;
        const char *who = req ? ms[i].invitee_name : ms[i].requester_name;
        const char *org = req ? ms[i].invitee_org : ms[i].requester_org;
        icalcomponent *v = icalcomponent_new_vevent();
        char uid[96];
        snprintf(uid, sizeof uid, "event-%lld-meeting-%lld@duijie", (long long)event_id,
                 (long long)ms[i].id);
        icalcomponent_add_property(v, icalproperty_new_uid(uid));
        icalcomponent_add_property(v, icalproperty_new_dtstamp(stamp));
        icalcomponent_add_property(v,
                                   icalproperty_new_dtstart(utc_time(ev.date, ms[i].slot_start)));
        icalcomponent_add_property(v, icalproperty_new_dtend(utc_time(ev.date, ms[i].slot_end)));
        icalcomponent_add_property(
            v, icalproperty_new_summary(arena_printf(c->a, "洽谈 1:1 · %s（%s）", who, org)));
        icalcomponent_add_property(
            v, icalproperty_new_location(arena_printf(c->a, "%s · #%d", ev.venue, ms[i].table_no)));
        icalcomponent_add_property(v, icalproperty_new_description(ev.title));
        icalcomponent_add_component(cal, v);
    }
    char *text = icalcomponent_as_ical_string_r(cal);
    *out = arena_strdup(c->a, text ? text : "");
    icalmemory_free_buffer(text);
    icalcomponent_free(cal);
    return ERR_OK;
}

json_t *meeting_to_json(const meeting_rec *m, int64_t me)
{
    json_t *j = json_pack(
        "{s:I,s:I,s:s,s:s,s:b,s:s,s:s,s:{s:I,s:s,s:s},s:{s:I,s:s,s:s}}", "id", (json_int_t)m->id,
        "event_id", (json_int_t)m->event_id, "status", m->status, "message", m->message, "locked",
        m->locked, "expires_at", m->expires_at, "created_at", m->created_at, "requester", "id",
        (json_int_t)m->requester_id, "name", m->requester_name, "org", m->requester_org, "invitee",
        "id", (json_int_t)m->invitee_id, "name", m->invitee_name, "org", m->invitee_org);
    json_object_set_new(j, "answered_at",
                        *m->answered_at ? json_string(m->answered_at) : json_null());
    if (m->slot_id)
        json_object_set_new(j, "slot",
                            json_pack("{s:I,s:s,s:s,s:i}", "id", (json_int_t)m->slot_id,
                                      "start_time", m->slot_start, "end_time", m->slot_end, "table",
                                      m->table_no));
    else
        json_object_set_new(j, "slot", json_null());
    if (me) {
        bool req = me == m->requester_id;
        json_object_set_new(j, "role", json_string(req ? "requester" : "invitee"));
        json_object_set_new(j, "other",
                            json_incref(json_object_get(j, req ? "invitee" : "requester")));
    }
    return j;
}

json_t *meeting_slot_to_json(const meeting_slot_rec *s)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:{s:I,s:s,s:s,s:s}}", "id", (json_int_t)s->id, "session_id",
                     (json_int_t)s->session_id, "start_time", s->start_time, "end_time",
                     s->end_time, "session", "id", (json_int_t)s->session_id, "title",
                     s->session_title, "title_en", s->session_title_en, "kind", s->session_kind);
}

/* ---- notices ---- */

err_code notice_list(dctx *c, notice_rec **out, int *n, err *e)
{
    if (need_user(c, e)) return e->code;
    if (!c->user) {
        *out = NULL;
        *n = 0;
        return ERR_OK;
    }
    return store_notice_list(c->db, c->a, c->user->email, 50, out, n, e);
}

err_code notice_unread(dctx *c, int64_t *n, err *e)
{
    *n = 0;
    if (!c->user) return ERR_OK;
    return store_notice_unread(c->db, c->user->email, n, e);
}

err_code notice_mark_read(dctx *c, err *e)
{
    if (need_user(c, e)) return e->code;
    if (!c->user) return ERR_OK;
    return store_notice_mark_read(c->db, c->user->email, e);
}
