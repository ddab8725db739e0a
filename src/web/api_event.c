/* api_event.c — the events API under /api/v1/events: the same domain calls as the event pages. */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

static const char *const categories[] = {"university", "institute", "enterprise", "government",
                                         "other"};

static bool need_json_body(req *r, err *e)
{
    if (!json_is_object(r->json)) {
        err_set(e, ERR_INVALID, NULL, "err.json_object",
                "send a JSON object with Content-Type: application/json");
        return false;
    }
    return true;
}

/* Text of a scalar (string, number, boolean as "1"/"0"); "" for null; NULL when absent; sets
 * *bad for arrays and objects. */
static const char *scalar(arena *a, json_t *v, bool *bad)
{
    if (!v) return NULL;
    if (json_is_null(v)) return "";
    if (json_is_string(v)) return arena_strndup(a, json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "1" : "0";
    *bad = true;
    return NULL;
}

/* A list: an array of strings or integers joined with commas, or one separated string. */
static const char *list(arena *a, json_t *v, bool *bad)
{
    if (!json_is_array(v)) return scalar(a, v, bad);
    buf b = {0};
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (json_is_integer(item)) {
            buf_printf(&b, "%s%lld", i ? "," : "", (long long)json_integer_value(item));
        } else if (json_is_string(item) && !strchr(json_string_value(item), ',')) {
            buf_printf(&b, "%s%s", i ? "," : "", json_string_value(item));
        } else {
            *bad = true;
            break;
        }
    }
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

typedef struct {
    const char *key;
    const char **dst;
    bool is_list;
} json_map;

/* Overlays the keys of obj present in map onto their destinations; ERR_INVALID names a key of
 * the wrong type. */
static err_code from_json(arena *a, json_t *obj, const json_map *map, size_t n, err *e)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_object_get(obj, map[i].key);
        if (!v) continue;
        bool bad = false;
        const char *s = map[i].is_list ? list(a, v, &bad) : scalar(a, v, &bad);
        if (bad)
            return err_set(e, ERR_INVALID, map[i].key, "err.type", "%s has the wrong type",
                           map[i].key);
        *map[i].dst = s;
    }
    return ERR_OK;
}

static void respond_event(req *r, int status, int64_t id)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    if (event_get(&r->c, id, &ev, &e) || !(j = event_to_json(&r->c, &ev, &e)))
        return res_error(r, &e);
    res_json(r, status, j);
}

void api_events_list(req *r)
{
    err e = {0};
    event_rec *evs;
    int n;
    if (event_list(&r->c, &evs, &n, &e)) return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = event_to_json(&r->c, &evs[i], &e);
        if (!j) {
            json_decref(items);
            return res_error(r, &e);
        }
        json_array_append_new(items, j);
    }
    res_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", n));
}

void api_event_get(req *r)
{
    respond_event(r, 200, r->ids[0]);
}

static err_code event_input_json(req *r, json_t *obj, event_input *in, err *e)
{
    const json_map map[] = {
        {"title", &in->title, false},
        {"title_en", &in->title_en, false},
        {"orgs", &in->orgs, true},
        {"venue", &in->venue, false},
        {"date", &in->date, false},
        {"start_time", &in->start_time, false},
        {"end_time", &in->end_time, false},
        {"fields", &in->fields, true},
        {"description", &in->description, false},
        {"capacity", &in->capacity, false},
        {"reg_deadline", &in->reg_deadline, false},
        {"needs_approval", &in->needs_approval, false},
    };
    return from_json(r->a, obj, map, ARRAY_LEN(map), e);
}

void api_event_create(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    event_input in = {0};
    int64_t id;
    if (event_input_json(r, r->json, &in, &e) || event_create(&r->c, &in, &id, &e))
        return res_error(r, &e);
    res_header(r, "Location", arena_printf(r->a, "/api/v1/events/%lld", (long long)id));
    respond_event(r, 201, id);
}

void api_event_update(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    event_rec ev;
    if (event_get(&r->c, r->ids[0], &ev, &e)) return res_error(r, &e);
    event_input in = {0};
    if (str_eq(r->method, "PATCH")) { /* the current values, overlaid by the body */
        event_org_rec *orgs;
        int n;
        if (store_event_orgs_list(r->c.db, r->a, ev.id, &orgs, &n, &e)) return res_error(r, &e);
        buf o = {0};
        for (int i = 0; i < n; i++)
            buf_printf(&o, "%s%lld", i ? "," : "", (long long)orgs[i].org_id);
        in = (event_input){ev.title,
                           ev.title_en,
                           arena_strdup(r->a, o.s ? o.s : ""),
                           ev.venue,
                           ev.date,
                           ev.start_time,
                           ev.end_time,
                           ev.fields,
                           ev.description,
                           ev.capacity ? arena_printf(r->a, "%lld", (long long)ev.capacity) : "",
                           ev.reg_deadline,
                           ev.needs_approval ? "1" : "0"};
        buf_free(&o);
    }
    if (event_input_json(r, r->json, &in, &e) || event_update(&r->c, ev.id, &in, &e))
        return res_error(r, &e);
    respond_event(r, 200, ev.id);
}

void api_event_action(req *r)
{
    err e = {0};
    const char *action = r->words[0];
    if (!str_eq(action, "publish") && !str_eq(action, "unpublish")) {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such action '%s'", action);
        return res_error(r, &e);
    }
    if (event_transition(&r->c, r->ids[0], action, &e)) return res_error(r, &e);
    respond_event(r, 200, r->ids[0]);
}

/* ---- registrations ---- */

/* A registration's JSON plus its signed check-in path (what the badge's QR code holds). */
static json_t *registration_json(req *r, const registration_rec *g,
                                 const registration_listing_rec *ls, int nls, err *e)
{
    dctx sys = r->c;
    sys.system = true;
    const char *path;
    if (event_checkin_path(&sys, g->event_id, g->id, &path, e)) return NULL;
    json_t *j = registration_to_json(g, ls, nls);
    json_object_set_new(j, "checkin_url", json_string(path));
    return j;
}

void api_event_registrations(req *r)
{
    err e = {0};
    registration_rec *rows;
    int n;
    registration_listing_rec *ls;
    int nls;
    if (registration_list(&r->c, r->ids[0], req_query(r, "status"), &rows, &n, &e) ||
        store_registration_listings(r->c.db, r->a, r->ids[0], 0, &ls, &nls, &e))
        return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = registration_json(r, &rows[i], ls, nls, &e);
        if (!j) {
            json_decref(items);
            return res_error(r, &e);
        }
        json_array_append_new(items, j);
    }
    res_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", n));
}

static void respond_registration(req *r, int status, int64_t event_id, int64_t id)
{
    err e = {0};
    registration_rec g;
    registration_listing_rec *ls;
    int nls;
    dctx sys = r->c; /* the holder of a new registration sees it like staff do */
    sys.system = true;
    if (registration_get(&sys, event_id, id, &g, &e) ||
        store_registration_listings(r->c.db, r->a, event_id, id, &ls, &nls, &e))
        return res_error(r, &e);
    json_t *j = registration_json(r, &g, ls, nls, &e);
    if (!j) return res_error(r, &e);
    res_json(r, status, j);
}

void api_event_register(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    registration_input in = {0};
    const json_map map[] = {
        {"name", &in.name, false},         {"org_name", &in.org_name, false},
        {"link_org", &in.link_org, false}, {"category", &in.category, false},
        {"brings", &in.brings, false},     {"listings", &in.listings, true},
        {"phone", &in.phone, false},       {"email", &in.email, false},
    };
    int64_t id;
    if (from_json(r->a, r->json, map, ARRAY_LEN(map), &e) ||
        registration_create(&r->c, r->ids[0], &in, &id, NULL, &e))
        return res_error(r, &e);
    respond_registration(r, 201, r->ids[0], id);
}

void api_event_registration_get(req *r)
{
    err e = {0};
    registration_rec g;
    if (registration_get(&r->c, r->ids[0], r->ids[1], &g, &e)) return res_error(r, &e);
    respond_registration(r, 200, r->ids[0], r->ids[1]);
}

void api_event_registration_action(req *r)
{
    err e = {0};
    const char *action = r->words[0];
    if (str_eq(action, "approve") || str_eq(action, "reject")) {
        if (registration_decide(&r->c, r->ids[0], r->ids[1], action, &e)) return res_error(r, &e);
    } else if (str_eq(action, "checkin")) {
        json_t *sig = r->json ? json_object_get(r->json, "sig") : NULL;
        if (sig && !json_is_string(sig)) {
            err_set(&e, ERR_INVALID, "sig", "err.type", "sig must be a string");
            return res_error(r, &e);
        }
        registration_rec g;
        if (event_checkin(&r->c, r->ids[0], r->ids[1], json_string_value(sig), &g, &e))
            return res_error(r, &e);
    } else {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such action '%s'", action);
        return res_error(r, &e);
    }
    respond_registration(r, 200, r->ids[0], r->ids[1]);
}

void api_event_counts(req *r)
{
    err e = {0};
    event_count_rec *cs;
    int n;
    if (event_counts(&r->c, r->ids[0], &cs, &n, &e)) return res_error(r, &e);
    json_t *items = json_array();
    event_count_rec tot = {.category = "total"};
    for (size_t k = 0; k < ARRAY_LEN(categories); k++) {
        event_count_rec c = {.category = categories[k]};
        for (int i = 0; i < n; i++)
            if (str_eq(cs[i].category, categories[k])) c = cs[i];
        json_array_append_new(
            items, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "category", c.category, "registered",
                             (json_int_t)c.registered, "pending", (json_int_t)c.pending, "approved",
                             (json_int_t)c.approved, "rejected", (json_int_t)c.rejected,
                             "checked_in", (json_int_t)c.checked_in));
        tot.registered += c.registered;
        tot.pending += c.pending;
        tot.approved += c.approved;
        tot.rejected += c.rejected;
        tot.checked_in += c.checked_in;
    }
    res_json(r, 200,
             json_pack("{s:o,s:{s:I,s:I,s:I,s:I,s:I}}", "items", items, "total", "registered",
                       (json_int_t)tot.registered, "pending", (json_int_t)tot.pending, "approved",
                       (json_int_t)tot.approved, "rejected", (json_int_t)tot.rejected, "checked_in",
                       (json_int_t)tot.checked_in));
}

/* ---- agenda sessions ---- */

void api_event_sessions(req *r)
{
    err e = {0};
    agenda_rec *s;
    int n;
    if (agenda_list(&r->c, r->ids[0], &s, &n, &e)) return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, agenda_to_json(&s[i]));
    res_json(r, 200, json_pack("{s:o}", "items", items));
}

static err_code agenda_input_json(req *r, agenda_input *in, err *e)
{
    const json_map map[] = {
        {"kind", &in->kind, false},         {"title", &in->title, false},
        {"title_en", &in->title_en, false}, {"start_time", &in->start_time, false},
        {"end_time", &in->end_time, false}, {"place", &in->place, false},
        {"speakers", &in->speakers, false},
    };
    return from_json(r->a, r->json, map, ARRAY_LEN(map), e);
}

static void respond_session(req *r, int status, int64_t id)
{
    err e = {0};
    agenda_rec s;
    if (agenda_get(&r->c, r->ids[0], id, &s, &e)) return res_error(r, &e);
    res_json(r, status, agenda_to_json(&s));
}

void api_event_session_create(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    agenda_input in = {0};
    int64_t id;
    if (agenda_input_json(r, &in, &e) || agenda_create(&r->c, r->ids[0], &in, &id, &e))
        return res_error(r, &e);
    respond_session(r, 201, id);
}

void api_event_session_update(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return res_error(r, &e);
    agenda_rec cur;
    if (agenda_get(&r->c, r->ids[0], r->ids[1], &cur, &e)) return res_error(r, &e);
    agenda_input in = {0};
    if (str_eq(r->method, "PATCH"))
        in = (agenda_input){cur.kind,     cur.title, cur.title_en, cur.start_time,
                            cur.end_time, cur.place, cur.speakers};
    if (agenda_input_json(r, &in, &e) || agenda_update(&r->c, r->ids[0], r->ids[1], &in, &e))
        return res_error(r, &e);
    respond_session(r, 200, r->ids[1]);
}

void api_event_session_delete(req *r)
{
    err e = {0};
    if (agenda_delete(&r->c, r->ids[0], r->ids[1], &e)) return res_error(r, &e);
    res_json(r, 200, json_pack("{s:b}", "deleted", 1));
}
