/* page_meeting.c — 1:1 meeting pages: the participant's page (requests, answers, participants
 * with recommendations), the organizer's scheduling page (settings, slots, scheduler, locks,
 * moves, publishing), the personal agenda (printable, .ics) and the notices page. */
#include <string.h>

#include "web/http.h"

void web_meeting_nav(req *r, json_t *ctx)
{
    int64_t n = 0;
    err e = {0};
    if (r->c.user && !notice_unread(&r->c, &n, &e) && n > 0)
        json_object_set_new(ctx, "notices_unread", json_integer(n));
}

static const char *err_msg(req *r, const err *e)
{
    return i18n_error(r->a, r->lang, e);
}

/* The event's header view: id, display title. */
static json_t *event_head(req *r, const event_rec *ev)
{
    return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)ev->id, "display_title",
                     is_en(r) && *ev->title_en ? ev->title_en : ev->title, "date", ev->date,
                     "venue", ev->venue);
}

static json_t *meeting_view(req *r, const meeting_rec *m, int64_t me)
{
    json_t *j = meeting_to_json(m, me);
    json_object_set_new(
        j, "status_label",
        json_string(i18n_get(r->lang, arena_printf(r->a, "meeting.status.%s", m->status))));
    json_object_set_new(j, "is_requested", json_boolean(str_eq(m->status, "requested")));
    json_object_set_new(j, "is_accepted", json_boolean(str_eq(m->status, "accepted")));
    json_object_set_new(j, "expires_label", json_string(event_local_time(r->a, m->expires_at)));
    if (me) {
        json_object_set_new(j, "incoming", json_boolean(me == m->invitee_id));
        json_object_set_new(j, "outgoing", json_boolean(me == m->requester_id));
    }
    return j;
}

static void render_meetings(req *r, int status, const err *ferr, const char *to, const char *msg)
{
    err e = {0};
    event_rec ev;
    registration_rec me;
    if (event_get(&r->c, r->ids[0], &ev, &e)) return res_error(r, &e);
    json_t *ctx = json_pack("{s:o,s:b,s:s}", "ev", event_head(r, &ev), "nav_events", 1, "title",
                            i18n_get(r->lang, "meeting.title"));
    if (meeting_me(&r->c, ev.id, &me, &e)) {
        if (!dctx_is_staff(&r->c)) {
            json_decref(ctx);
            return res_error(r, &e);
        }
        json_object_set_new(ctx, "not_participant", json_true());
        res_page(r, status, "meeting_list", ctx);
        return;
    }
    meeting_rec *ms;
    int n;
    meeting_participant *p;
    int np;
    if (meeting_list(&r->c, ev.id, &ms, &n, &e) ||
        meeting_participants(&r->c, ev.id, &p, &np, &e)) {
        json_decref(ctx);
        return res_error(r, &e);
    }
    json_t *incoming = json_array(), *outgoing = json_array(), *done = json_array();
    for (int i = 0; i < n; i++) {
        if (ms[i].requester_id != me.id && ms[i].invitee_id != me.id) continue;
        json_t *v = meeting_view(r, &ms[i], me.id);
        if (str_eq(ms[i].status, "requested"))
            json_array_append_new(ms[i].invitee_id == me.id ? incoming : outgoing, v);
        else
            json_array_append_new(done, v);
    }
    json_t *parts = json_array();
    for (int i = 0; i < np; i++) {
        json_t *ls = json_array();
        for (int k = 0; k < p[i].nls; k++)
            json_array_append_new(ls, json_pack("{s:I,s:s,s:s}", "id",
                                                (json_int_t)p[i].ls[k].listing_id, "kind",
                                                p[i].ls[k].kind, "title", p[i].ls[k].title));
        json_array_append_new(
            parts,
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:s,s:s,s:b}", "id", (json_int_t)p[i].r.id, "name",
                      p[i].r.name, "org_name", p[i].r.org_name, "category_label",
                      i18n_get(r->lang, arena_printf(r->a, "event.category.%s", p[i].r.category)),
                      "listings", ls, "recommended", p[i].score > 0, "because", p[i].because,
                      "meeting_status",
                      *p[i].meeting_status
                          ? i18n_get(r->lang,
                                     arena_printf(r->a, "meeting.status.%s", p[i].meeting_status))
                          : "",
                      "can_request", !*p[i].meeting_status));
    }
    json_object_set_new(ctx, "me",
                        json_pack("{s:I,s:s}", "id", (json_int_t)me.id, "name", me.name));
    json_object_set_new(ctx, "incoming", incoming);
    json_object_set_new(ctx, "outgoing", outgoing);
    json_object_set_new(ctx, "answered", done);
    json_object_set_new(ctx, "participants", parts);
    json_object_set_new(ctx, "sent", json_boolean(req_query(r, "sent") != NULL));
    if (ferr && ferr->code) {
        json_object_set_new(ctx, "error", json_string(err_msg(r, ferr)));
        json_object_set_new(ctx, "err_to", json_string(to ? to : ""));
        json_object_set_new(ctx, "err_message", json_string(msg ? msg : ""));
    }
    res_page(r, status, "meeting_list", ctx);
}

void page_meetings(req *r)
{
    render_meetings(r, 200, NULL, NULL, NULL);
}

void page_meeting_request(req *r)
{
    err e = {0};
    const char *to = req_form(r, "to"), *msg = req_form(r, "message");
    if (meeting_request(&r->c, r->ids[0], to, msg, NULL, &e)) {
        if (e.code != ERR_INVALID && e.code != ERR_CONFLICT) return res_error(r, &e);
        return render_meetings(r, e.code == ERR_INVALID ? 422 : 409, &e, to, msg);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/meetings?sent=1", (long long)r->ids[0]));
}

static void render_admin(req *r, int status, const err *ferr);

void page_meeting_action(req *r)
{
    err e = {0};
    const char *a = r->words[0];
    bool staff_action = str_eq(a, "lock") || str_eq(a, "unlock") || str_eq(a, "move");
    err_code rc = str_eq(a, "move") ? meeting_move(&r->c, r->ids[0], r->ids[1], req_form(r, "slot"),
                                                   req_form(r, "table"), &e)
                                    : meeting_action(&r->c, r->ids[0], r->ids[1], a, &e);
    if (rc) {
        if (staff_action && (rc == ERR_INVALID || rc == ERR_CONFLICT))
            return render_admin(r, rc == ERR_INVALID ? 422 : 409, &e);
        return res_error(r, &e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/meetings%s", (long long)r->ids[0],
                                 staff_action ? "/admin" : ""));
}

/* ---- the organizer's page ---- */

static void render_admin(req *r, int status, const err *ferr)
{
    err e = {0};
    event_rec ev;
    meeting_settings_rec st;
    meeting_slot_rec *sl;
    int ns;
    agenda_rec *ag;
    int nag;
    meeting_rec *ms;
    int nm;
    if (event_get(&r->c, r->ids[0], &ev, &e) || meeting_settings_get(&r->c, ev.id, &st, &e) ||
        meeting_slot_list(&r->c, ev.id, &sl, &ns, &e) || agenda_list(&r->c, ev.id, &ag, &nag, &e) ||
        meeting_list(&r->c, ev.id, &ms, &nm, &e))
        return res_error(r, &e);
    int64_t *ur, *us;
    int nu, nr;
    registration_rec *regs;
    if (meeting_unavailable_list(&r->c, ev.id, &ur, &us, &nu, &e) ||
        registration_list(&r->c, ev.id, "approved", &regs, &nr, &e))
        return res_error(r, &e);
    json_t *ctx = json_pack("{s:o,s:b,s:s}", "ev", event_head(r, &ev), "nav_events", 1, "title",
                            i18n_get(r->lang, "meeting.admin.title"));
    json_object_set_new(ctx, "settings",
                        json_pack("{s:i,s:f,s:s,s:b,s:b,s:b}", "tables", st.tables, "expiry_hours",
                                  st.expiry_minutes / 60.0, "published", st.published, "pub_none",
                                  str_eq(st.published, "none"), "pub_preliminary",
                                  str_eq(st.published, "preliminary"), "pub_final",
                                  str_eq(st.published, "final")));
    json_object_set_new(
        ctx, "published_label",
        json_string(i18n_get(r->lang, arena_printf(r->a, "meeting.published.%s", st.published))));
    json_t *sessions = json_array();
    for (int i = 0; i < nag; i++)
        if (str_eq(ag[i].kind, "matchmaking") || str_eq(ag[i].kind, "other"))
            json_array_append_new(
                sessions, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)ag[i].id, "title",
                                    is_en(r) && *ag[i].title_en ? ag[i].title_en : ag[i].title,
                                    "start_time", ag[i].start_time, "end_time", ag[i].end_time));
    json_t *slots = json_array(), *people = json_array();
    for (int i = 0; i < ns; i++) {
        json_t *j = meeting_slot_to_json(&sl[i]), *away = json_array();
        for (int k = 0; k < nr; k++)
            if (meeting_unavailable_has(ur, us, nu, regs[k].id, sl[i].id))
                json_array_append_new(away, json_pack("{s:I,s:s}", "id", (json_int_t)regs[k].id,
                                                      "name", regs[k].name));
        json_object_set_new(j, "has_away", json_boolean(json_array_size(away) > 0));
        json_object_set_new(j, "unavailable", away);
        json_array_append_new(slots, j);
    }
    for (int k = 0; k < nr; k++) {
        int marked = 0;
        for (int i = 0; i < nu; i++)
            marked += ur[i] == regs[k].id;
        json_array_append_new(people, json_pack("{s:I,s:s,s:s,s:i}", "id", (json_int_t)regs[k].id,
                                                "name", regs[k].name, "org_name", regs[k].org_name,
                                                "marked", marked));
    }
    json_object_set_new(ctx, "people", people);
    json_t *acc = json_array();
    int accepted = 0, placed = 0, requested = 0, conflicts = 0;
    for (int i = nm - 1; i >= 0; i--) {
        if (str_eq(ms[i].status, "requested")) requested++;
        if (!str_eq(ms[i].status, "accepted")) continue;
        accepted++;
        if (ms[i].slot_id) placed++;
        json_t *v = meeting_view(r, &ms[i], 0);
        json_object_set_new(v, "slots", json_incref(slots));
        int64_t away = meeting_conflict_of(&ms[i], ur, us, nu);
        if (away) {
            conflicts++;
            json_object_set_new(v, "conflict_name",
                                json_string(away == ms[i].requester_id ? ms[i].requester_name
                                                                       : ms[i].invitee_name));
        }
        json_array_append_new(acc, v);
    }
    json_object_set_new(ctx, "sessions", sessions);
    json_object_set_new(ctx, "slots", slots);
    json_object_set_new(ctx, "has_slots", json_boolean(ns > 0));
    json_object_set_new(ctx, "meetings", acc);
    json_object_set_new(ctx, "counts",
                        json_pack("{s:i,s:i,s:i,s:i,s:i}", "accepted", accepted, "placed", placed,
                                  "unplaced", accepted - placed, "requested", requested,
                                  "conflicts", conflicts));
    if (ferr && ferr->code) json_object_set_new(ctx, "error", json_string(err_msg(r, ferr)));
    if (req_query(r, "ran")) json_object_set_new(ctx, "ran", json_true());
    res_page(r, status, "meeting_admin", ctx);
}

void page_meeting_admin(req *r)
{
    render_admin(r, 200, NULL);
}

static void admin_done(req *r, err_code rc, err *e, const char *q)
{
    if (rc) {
        if (rc == ERR_INVALID || rc == ERR_CONFLICT)
            return render_admin(r, rc == ERR_INVALID ? 422 : 409, e);
        return res_error(r, e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/meetings/admin%s", (long long)r->ids[0], q));
}

void page_meeting_settings(req *r)
{
    err e = {0};
    admin_done(r,
               meeting_settings_update(&r->c, r->ids[0], req_form(r, "tables"),
                                       req_form(r, "expiry_hours"), req_form(r, "published"), &e),
               &e, "");
}

void page_meeting_slot_create(req *r)
{
    err e = {0};
    admin_done(r,
               meeting_slot_create(&r->c, r->ids[0], req_form(r, "session"),
                                   req_form(r, "start_time"), req_form(r, "end_time"), NULL, &e),
               &e, "");
}

void page_meeting_slot_delete(req *r)
{
    err e = {0};
    admin_done(r, meeting_slot_delete(&r->c, r->ids[0], r->ids[1], &e), &e, "");
}

void page_meeting_schedule(req *r)
{
    err e = {0};
    const char *only = req_form(r, "only_unscheduled");
    meeting_schedule_stats st;
    admin_done(r, meeting_schedule(&r->c, r->ids[0], only && str_eq(only, "1"), &st, &e), &e,
               "?ran=1");
}

/* ---- the personal agenda ---- */

void page_meeting_agenda(req *r)
{
    err e = {0};
    event_rec ev;
    registration_rec me;
    meeting_rec *ms;
    int n;
    meeting_settings_rec st;
    if (event_get(&r->c, r->ids[0], &ev, &e) || meeting_me(&r->c, ev.id, &me, &e) ||
        meeting_agenda(&r->c, ev.id, &ms, &n, &e) || meeting_settings_get(&r->c, ev.id, &st, &e))
        return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, meeting_view(r, &ms[i], me.id));
    json_t *ctx =
        json_pack("{s:o,s:o,s:b,s:b,s:s,s:s,s:b}", "ev", event_head(r, &ev), "items", items,
                  "has_items", n > 0, "nav_events", 1, "title",
                  i18n_get(r->lang, "meeting.agenda.title"), "published_label",
                  i18n_get(r->lang, arena_printf(r->a, "meeting.published.%s", st.published)),
                  "unpublished", str_eq(st.published, "none"));
    json_object_set_new(ctx, "me",
                        json_pack("{s:s,s:s}", "name", me.name, "org_name", me.org_name));
    res_page(r, 200, "meeting_agenda", ctx);
}

void page_meeting_ics(req *r)
{
    err e = {0};
    const char *text;
    if (meeting_agenda_ics(&r->c, r->ids[0], &text, &e)) return res_error(r, &e);
    buf_reset(&r->out);
    buf_puts(&r->out, text);
    r->status = 200;
    r->ctype = "text/calendar; charset=utf-8";
    res_header(
        r, "Content-Disposition",
        arena_printf(r->a, "attachment; filename=\"meetings-%lld.ics\"", (long long)r->ids[0]));
}

/* ---- notices ---- */

void page_notices(req *r)
{
    err e = {0};
    notice_rec *ns;
    int n;
    if (notice_list(&r->c, &ns, &n, &e)) return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const char *key = arena_printf(r->a, "meeting.notice.%s%s%s", ns[i].kind,
                                       *ns[i].detail ? "." : "", ns[i].detail);
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:I,s:s,s:b,s:s}", "kind", ns[i].kind, "text",
                             i18n_get(r->lang, key), "who", ns[i].who, "event_id",
                             (json_int_t)ns[i].event_id, "event_title", ns[i].event_title, "unread",
                             !*ns[i].read_at, "at", event_local_time(r->a, ns[i].created_at)));
    }
    json_t *ctx = json_pack("{s:o,s:b,s:s}", "items", items, "has_items", n > 0, "title",
                            i18n_get(r->lang, "meeting.notices.title"));
    res_page(r, 200, "meeting_notices", ctx);
}

void page_notices_read(req *r)
{
    err e = {0};
    if (notice_mark_read(&r->c, &e)) return res_error(r, &e);
    res_redirect(r, "/notices");
}

/* ---- participants' unavailable slots ---- */

/* ?registration= / form registration as a number: 0 = absent (the viewer's own), -1 =
 * malformed. */
static int64_t registration_of(const char *v)
{
    int64_t id = 0;
    if (v && *v && !str_to_i64(v, 1, INT64_MAX, &id)) id = -1;
    return id;
}

void page_meeting_availability(req *r)
{
    err e = {0};
    event_rec ev;
    meeting_availability av;
    int64_t reg = registration_of(req_query(r, "registration"));
    if (reg < 0) {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such participant");
        return res_error(r, &e);
    }
    if (event_get(&r->c, r->ids[0], &ev, &e)) return res_error(r, &e);
    if (meeting_availability_get(&r->c, ev.id, reg, &av, &e)) {
        /* organizers who are not participants pick someone on the admin page */
        if (!reg && e.code == ERR_INVALID && dctx_is_staff(&r->c))
            return res_redirect(r, arena_printf(r->a, "/events/%lld/meetings/admin#availability",
                                                (long long)ev.id));
        return res_error(r, &e);
    }
    bool other = reg && dctx_is_staff(&r->c);
    json_t *sessions = json_array(), *cur = NULL;
    int64_t cur_sid = 0;
    int marked = 0;
    for (int i = 0; i < av.n; i++) {
        const meeting_slot_rec *s = &av.slots[i].s;
        if (!cur || s->session_id != cur_sid) {
            cur = json_array();
            cur_sid = s->session_id;
            json_array_append_new(
                sessions,
                json_pack("{s:s,s:o}", "title",
                          is_en(r) && *s->session_title_en ? s->session_title_en : s->session_title,
                          "slots", cur));
        }
        marked += av.slots[i].unavailable;
        json_array_append_new(cur, json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)s->id,
                                             "start_time", s->start_time, "end_time", s->end_time,
                                             "unavailable", av.slots[i].unavailable));
    }
    json_t *ctx = json_pack("{s:o,s:b,s:s,s:{s:I,s:s,s:s},s:o,s:b,s:b,s:b,s:b,s:i}", "ev",
                            event_head(r, &ev), "nav_events", 1, "title", t(r, "avail.title"),
                            "who", "id", (json_int_t)av.r.id, "name", av.r.name, "org_name",
                            av.r.org_name, "sessions", sessions, "has_slots", av.n > 0, "editable",
                            av.editable, "final", av.final, "other", other, "marked", marked);
    if (req_query(r, "saved")) json_object_set_new(ctx, "saved", json_true());
    const char *cf = req_query(r, "conflicts");
    if (cf && !str_eq(cf, "0")) json_object_set_new(ctx, "conflicts", json_string(cf));
    res_page(r, 200, "meeting_availability", ctx);
}

void page_meeting_availability_post(req *r)
{
    err e = {0};
    meeting_availability av;
    int64_t reg = registration_of(req_form(r, "registration"));
    if (reg < 0) reg = 0;
    if (meeting_availability_get(&r->c, r->ids[0], reg, &av, &e)) return res_error(r, &e);
    int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(av.n ? av.n : 1));
    int n = 0;
    for (int i = 0; i < av.n; i++) {
        const char *v = req_form(r, arena_printf(r->a, "slot_%lld", (long long)av.slots[i].s.id));
        if (v && *v) ids[n++] = av.slots[i].s.id;
    }
    int conflicts = 0;
    if (meeting_availability_put(&r->c, r->ids[0], reg, ids, n, &conflicts, &e))
        return res_error(r, &e);
    res_redirect(r,
                 arena_printf(r->a, "/events/%lld/meetings/availability?saved=1%s&conflicts=%d",
                              (long long)r->ids[0],
                              reg ? arena_printf(r->a, "&registration=%lld", (long long)reg) : "",
                              conflicts));
}
