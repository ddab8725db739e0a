/* api_meeting.c — the 1:1 meetings API under /api/v1/events/:id/meetings and /api/v1/notices:
 * the same domain calls as the meeting pages. */
#include <string.h>

#include "web/http.h"

static bool need_json_body(req *r, err *e)
{
    if (!json_is_object(r->json)) {
        err_set(e, ERR_INVALID, NULL, "err.json_object",
                "send a JSON object with Content-Type: application/json");
        return false;
    }
    return true;
}

/* Text of body[key]: strings, integers, reals and booleans; NULL when absent or null. A value
 * of another type is ERR_INVALID naming the key. */
static bool text_of(req *r, const char *key, const char **out, err *e)
{
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    *out = NULL;
    if (!v || json_is_null(v)) return true;
    if (json_is_string(v))
        *out = arena_strndup(r->a, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        *out = arena_printf(r->a, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        *out = arena_printf(r->a, "%.6g", json_real_value(v));
    else if (json_is_boolean(v))
        *out = json_is_true(v) ? "1" : "0";
    else {
        err_set(e, ERR_INVALID, key, "err.type", "%s has the wrong type", key);
        return false;
    }
    return true;
}

static int64_t my_reg(req *r)
{
    registration_rec me;
    err e = {0};
    return meeting_me(&r->c, r->ids[0], &me, &e) ? 0 : me.id;
}

void api_meetings_list(req *r)
{
    err e = {0};
    meeting_rec *ms;
    int n;
    if (meeting_list(&r->c, r->ids[0], &ms, &n, &e)) return res_error(r, &e);
    int64_t me = my_reg(r);
    int64_t *ur = NULL, *us = NULL;
    int nu = 0;
    bool staff = dctx_is_staff(&r->c);
    if (staff && meeting_unavailable_list(&r->c, r->ids[0], &ur, &us, &nu, &e))
        return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        bool party = me && (ms[i].requester_id == me || ms[i].invitee_id == me);
        json_t *j = meeting_to_json(&ms[i], party ? me : 0);
        if (staff) { /* organizers see meetings placed where a party is unavailable */
            int64_t who = meeting_conflict_of(&ms[i], ur, us, nu);
            json_object_set_new(j, "unavailable_party", who ? json_integer(who) : json_null());
        }
        json_array_append_new(arr, j);
    }
    res_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", n));
}

static void respond_meeting(req *r, int status, int64_t id)
{
    err e = {0};
    meeting_rec m;
    if (meeting_get(&r->c, r->ids[0], id, &m, &e)) return res_error(r, &e);
    int64_t me = my_reg(r);
    bool party = me && (m.requester_id == me || m.invitee_id == me);
    res_json(r, status, meeting_to_json(&m, party ? me : 0));
}

void api_meeting_request(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    const char *to, *message;
    int64_t id;
    if (!text_of(r, "to", &to, &e) || !text_of(r, "message", &message, &e) ||
        meeting_request(&r->c, r->ids[0], to, message, &id, &e))
        return res_error(r, &e);
    respond_meeting(r, 201, id);
}

void api_meeting_participants(req *r)
{
    err e = {0};
    meeting_participant *p;
    int n;
    if (meeting_participants(&r->c, r->ids[0], &p, &n, &e)) return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *ls = json_array();
        for (int k = 0; k < p[i].nls; k++)
            json_array_append_new(ls, json_pack("{s:I,s:s,s:s}", "id",
                                                (json_int_t)p[i].ls[k].listing_id, "kind",
                                                p[i].ls[k].kind, "title", p[i].ls[k].title));
        json_t *j =
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:b,s:f,s:s}", "id", (json_int_t)p[i].r.id, "name",
                      p[i].r.name, "org_name", p[i].r.org_name, "category", p[i].r.category,
                      "brings", p[i].r.brings, "listings", ls, "recommended", p[i].score > 0,
                      "score", (double)p[i].score, "because", p[i].because);
        json_object_set_new(j, "meeting",
                            p[i].meeting_id
                                ? json_pack("{s:I,s:s}", "id", (json_int_t)p[i].meeting_id,
                                            "status", p[i].meeting_status)
                                : json_null());
        json_array_append_new(arr, j);
    }
    res_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", n));
}

void api_meeting_get(req *r)
{
    respond_meeting(r, 200, r->ids[1]);
}

void api_meeting_action(req *r)
{
    err e = {0};
    const char *action = r->words[0];
    if (str_eq(action, "move")) {
        if (!need_json_body(r, &e)) return res_error(r, &e);
        const char *slot, *table;
        if (!text_of(r, "slot", &slot, &e) || !text_of(r, "table", &table, &e) ||
            meeting_move(&r->c, r->ids[0], r->ids[1], slot, table, &e))
            return res_error(r, &e);
    } else if (meeting_action(&r->c, r->ids[0], r->ids[1], action, &e)) {
        return res_error(r, &e);
    }
    respond_meeting(r, 200, r->ids[1]);
}

static void respond_settings(req *r)
{
    err e = {0};
    meeting_settings_rec st;
    if (meeting_settings_get(&r->c, r->ids[0], &st, &e)) return res_error(r, &e);
    res_json(r, 200,
             json_pack("{s:I,s:i,s:f,s:i,s:s}", "event_id", (json_int_t)st.event_id, "tables",
                       st.tables, "expiry_hours", st.expiry_minutes / 60.0, "expiry_minutes",
                       st.expiry_minutes, "published", st.published));
}

void api_meeting_settings(req *r)
{
    respond_settings(r);
}

void api_meeting_settings_update(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    const char *tables, *expiry, *published;
    if (!text_of(r, "tables", &tables, &e) || !text_of(r, "expiry_hours", &expiry, &e) ||
        !text_of(r, "published", &published, &e) ||
        meeting_settings_update(&r->c, r->ids[0], tables, expiry, published, &e))
        return res_error(r, &e);
    respond_settings(r);
}

void api_meeting_slots(req *r)
{
    err e = {0};
    meeting_slot_rec *s;
    int n;
    if (meeting_slot_list(&r->c, r->ids[0], &s, &n, &e)) return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, meeting_slot_to_json(&s[i]));
    res_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", n));
}

void api_meeting_slot_create(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    const char *session, *start, *end;
    int64_t id;
    if (!text_of(r, "session", &session, &e) || !text_of(r, "start_time", &start, &e) ||
        !text_of(r, "end_time", &end, &e) ||
        meeting_slot_create(&r->c, r->ids[0], session, start, end, &id, &e))
        return res_error(r, &e);
    meeting_slot_rec s;
    if (store_meeting_slot_get(r->c.db, r->a, id, &s, &e)) return res_error(r, &e);
    res_json(r, 201, meeting_slot_to_json(&s));
}

void api_meeting_slot_delete(req *r)
{
    err e = {0};
    if (meeting_slot_delete(&r->c, r->ids[0], r->ids[1], &e)) return res_error(r, &e);
    r->status = 204;
    buf_reset(&r->out);
}

void api_meeting_schedule(req *r)
{
    err e = {0};
    const char *only = NULL;
    if (r->json && !text_of(r, "only_unscheduled", &only, &e)) return res_error(r, &e);
    meeting_schedule_stats st;
    bool o = only && (str_eq(only, "1") || str_eq(only, "true"));
    if (meeting_schedule(&r->c, r->ids[0], o, &st, &e)) return res_error(r, &e);
    res_json(r, 200,
             json_pack("{s:i,s:i,s:i,s:f,s:I,s:b}", "accepted", st.accepted, "scheduled",
                       st.scheduled, "unscheduled", st.unscheduled, "weight", st.weight,
                       "idle_gaps", (json_int_t)st.idle_gaps, "only_unscheduled", o));
}

void api_meeting_agenda(req *r)
{
    err e = {0};
    meeting_rec *ms;
    int n;
    if (meeting_agenda(&r->c, r->ids[0], &ms, &n, &e)) return res_error(r, &e);
    meeting_settings_rec st;
    if (meeting_settings_get(&r->c, r->ids[0], &st, &e)) return res_error(r, &e);
    int64_t me = my_reg(r);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, meeting_to_json(&ms[i], me));
    res_json(r, 200,
             json_pack("{s:s,s:o,s:i}", "published", st.published, "items", arr, "total", n));
}

void api_notices(req *r)
{
    err e = {0};
    notice_rec *ns;
    int n;
    int64_t unread;
    if (notice_list(&r->c, &ns, &n, &e) || notice_unread(&r->c, &unread, &e))
        return res_error(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:b,s:s}", "id", (json_int_t)ns[i].id, "kind",
                           ns[i].kind, "event_id", (json_int_t)ns[i].event_id, "meeting_id",
                           (json_int_t)ns[i].meeting_id, "who", ns[i].who, "detail", ns[i].detail,
                           "read", *ns[i].read_at != 0, "created_at", ns[i].created_at));
    res_json(r, 200, json_pack("{s:o,s:I}", "items", arr, "unread", (json_int_t)unread));
}

void api_notices_read(req *r)
{
    err e = {0};
    if (notice_mark_read(&r->c, &e)) return res_error(r, &e);
    res_json(r, 200, json_pack("{s:i}", "unread", 0));
}

/* ---- participants' unavailable slots ---- */

static json_t *availability_json(const meeting_availability *av)
{
    json_t *slots = json_array(), *un = json_array();
    for (int i = 0; i < av->n; i++) {
        json_t *j = meeting_slot_to_json(&av->slots[i].s);
        json_object_set_new(j, "unavailable", json_boolean(av->slots[i].unavailable));
        json_array_append_new(slots, j);
        if (av->slots[i].unavailable) json_array_append_new(un, json_integer(av->slots[i].s.id));
    }
    return json_pack("{s:{s:I,s:s,s:s},s:o,s:o,s:b,s:b}", "registration", "id",
                     (json_int_t)av->r.id, "name", av->r.name, "org_name", av->r.org_name, "slots",
                     slots, "unavailable", un, "final", av->final, "editable", av->editable);
}

/* ?registration=ID as a number (0 = absent); false (and e set) for a malformed one. */
static bool registration_param(req *r, const char *v, int64_t *id, err *e)
{
    *id = 0;
    if (!v || !*v) return true;
    if (!str_to_i64(v, 1, INT64_MAX, id)) {
        err_set(e, ERR_INVALID, "registration", "avail.err.registration",
                "registration must be the id of an approved participant of this event");
        return false;
    }
    return true;
}

/* Staff without ?registration who are not participants themselves: the whole event's map. */
static void availability_map(req *r)
{
    err e = {0};
    int64_t *ur, *us;
    int nu, nr, ns;
    registration_rec *regs;
    meeting_slot_rec *sl;
    if (meeting_unavailable_list(&r->c, r->ids[0], &ur, &us, &nu, &e) ||
        registration_list(&r->c, r->ids[0], "approved", &regs, &nr, &e) ||
        meeting_slot_list(&r->c, r->ids[0], &sl, &ns, &e))
        return res_error(r, &e);
    json_t *slots = json_array(), *items = json_array();
    for (int i = 0; i < ns; i++)
        json_array_append_new(slots, meeting_slot_to_json(&sl[i]));
    for (int i = 0; i < nr; i++) {
        json_t *ids = json_array();
        for (int k = 0; k < ns; k++)
            if (meeting_unavailable_has(ur, us, nu, regs[i].id, sl[k].id))
                json_array_append_new(ids, json_integer(sl[k].id));
        if (!json_array_size(ids)) {
            json_decref(ids);
            continue;
        }
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o}", "registration_id",
                                               (json_int_t)regs[i].id, "name", regs[i].name,
                                               "org_name", regs[i].org_name, "unavailable", ids));
    }
    res_json(r, 200,
             json_pack("{s:o,s:o,s:i}", "slots", slots, "items", items, "total",
                       (int)json_array_size(items)));
}

void api_meeting_availability(req *r)
{
    err e = {0};
    int64_t reg;
    meeting_availability av;
    if (!registration_param(r, req_query(r, "registration"), &reg, &e)) return res_error(r, &e);
    if (!reg && dctx_is_staff(&r->c)) {
        registration_rec me;
        if (meeting_me(&r->c, r->ids[0], &me, &e)) return availability_map(r);
    }
    if (meeting_availability_get(&r->c, r->ids[0], reg, &av, &e)) return res_error(r, &e);
    res_json(r, 200, availability_json(&av));
}

void api_meeting_availability_put(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    const char *rs;
    int64_t reg;
    if (!text_of(r, "registration", &rs, &e) || !registration_param(r, rs, &reg, &e))
        return res_error(r, &e);
    json_t *un = json_object_get(r->json, "unavailable");
    if (!json_is_array(un)) {
        err_set(&e, ERR_INVALID, "unavailable", "avail.err.slot",
                "unavailable must be an array of slot ids (empty: available in every slot)");
        return res_error(r, &e);
    }
    size_t n = json_array_size(un);
    int64_t *ids = arena_alloc(r->a, sizeof *ids * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(un, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            err_set(&e, ERR_INVALID, "unavailable", "avail.err.slot",
                    "unavailable must be an array of slot ids");
            return res_error(r, &e);
        }
        ids[i] = json_integer_value(v);
    }
    int conflicts;
    meeting_availability av;
    if (meeting_availability_put(&r->c, r->ids[0], reg, ids, (int)n, &conflicts, &e) ||
        meeting_availability_get(&r->c, r->ids[0], reg, &av, &e))
        return res_error(r, &e);
    json_t *j = availability_json(&av);
    json_object_set_new(j, "conflicts", json_integer(conflicts));
    res_json(r, 200, j);
}
