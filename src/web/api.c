/* api.c — the JSON API under /api/v1/: the same domain calls as the pages, as JSON. */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

static void fail(req *r, const err *e)
{
    res_error(r, e);
}

/* Listing errors name the JSON key the client sent: a need's maturity is "trl_min" in JSON
 * (the domain and the web form call it "trl"). */
static void fail_listing(req *r, const char *kind, err *e)
{
    if (str_eq(kind, "need") && str_eq(e->field, "trl"))
        snprintf(e->field, sizeof e->field, "%s", "trl_min");
    res_error(r, e);
}

static bool need_json_body(req *r, err *e)
{
    if (!json_is_object(r->json)) {
        err_set(e, ERR_INVALID, NULL, "err.json_object",
                "send a JSON object with Content-Type: application/json");
        return false;
    }
    return true;
}

void api_fields(req *r)
{
    int n;
    const field_rec *f = taxonomy_fields(&n);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:o,s:s,s:s}", "code", f[i].code, "parent",
                                             *f[i].parent ? json_string(f[i].parent) : json_null(),
                                             "name_zh", f[i].name_zh, "name_en", f[i].name_en));
    res_json(r, 200, json_pack("{s:o}", "items", arr));
}

void api_me(req *r)
{
    res_json(r, 200, user_to_json(&r->user));
}

void api_orgs_list(req *r)
{
    err e = {0};
    const char *type = req_query(r, "type");
    if (type && !org_type_valid(type)) {
        err_set(&e, ERR_INVALID, "type", "err.choice", "unknown organization type");
        return fail(r, &e);
    }
    org_rec *orgs;
    int n;
    if (store_org_list(r->c.db, r->a, type, &orgs, &n, &e)) return fail(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, org_to_json(&orgs[i]));
    res_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", n));
}

void api_org_get(req *r)
{
    err e = {0};
    org_rec o;
    if (store_org_get(r->c.db, r->a, r->ids[0], &o, &e)) return fail(r, &e);
    res_json(r, 200, org_to_json(&o));
}

void api_org_create(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return fail(r, &e);
    const char *keys[] = {"name", "name_en", "type", "region"};
    const char *vals[4];
    for (int i = 0; i < 4; i++) {
        json_t *v = json_object_get(r->json, keys[i]);
        if (v && !json_is_string(v)) {
            err_set(&e, ERR_INVALID, keys[i], "err.type", "%s must be a string", keys[i]);
            return fail(r, &e);
        }
        vals[i] = json_string_value(v);
    }
    json_t *ver = json_object_get(r->json, "verified");
    if (ver && !json_is_boolean(ver)) {
        err_set(&e, ERR_INVALID, "verified", "err.type", "verified must be true or false");
        return fail(r, &e);
    }
    org_input in = {vals[0], vals[1], vals[2], vals[3], json_is_true(ver) ? "1" : "0"};
    int64_t id;
    if (org_create(&r->c, &in, &id, &e)) return fail(r, &e);
    org_rec o;
    if (store_org_get(r->c.db, r->a, id, &o, &e)) return fail(r, &e);
    res_json(r, 201, org_to_json(&o));
}

void api_listings_list(req *r)
{
    err e = {0};
    listing_filter f;
    int page, per_page;
    if (view_filter_from_query(r, r->route->arg, &f, &page, &per_page, &e)) return fail(r, &e);
    const char *scope = req_query(r, "scope");
    const char *status = req_query(r, "status");
    if (status && *status) {
        if (!str_eq(status, "draft") && !str_eq(status, "submitted") &&
            !str_eq(status, "published") && !str_eq(status, "archived")) {
            err_set(&e, ERR_INVALID, "status", "err.choice", "unknown status");
            return fail(r, &e);
        }
        f.status = status;
    }
    listing_rec *rows;
    int n;
    int64_t total;
    if (listing_list(&r->c, scope ? scope : "public", &f, &rows, &n, &total, &e))
        return fail(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, listing_to_json(&r->c, &rows[i]));
    res_json(r, 200,
             json_pack("{s:o,s:I,s:i,s:i}", "items", arr, "total", (json_int_t)total, "page", page,
                       "per_page", per_page));
}

/* Loads listing ids[0] and checks it is of the route's kind (404 otherwise). */
static bool load_listing(req *r, listing_rec *l, err *e)
{
    if (listing_get(&r->c, r->ids[0], l, e)) return false;
    if (!str_eq(l->kind, r->route->arg)) {
        err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "%s %lld not found", r->route->arg,
                (long long)r->ids[0]);
        return false;
    }
    return true;
}

static void respond_listing(req *r, int status, int64_t id)
{
    err e = {0};
    listing_rec l;
    if (listing_get(&r->c, id, &l, &e)) return fail(r, &e);
    res_json(r, status, listing_to_json(&r->c, &l));
}

void api_listing_get(req *r)
{
    err e = {0};
    listing_rec l;
    if (!load_listing(r, &l, &e)) return fail(r, &e);
    res_json(r, 200, listing_to_json(&r->c, &l));
}

void api_listing_create(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return fail(r, &e);
    listing_input in;
    if (listing_input_from_json(r->a, r->route->arg, r->json, &in, &e)) return fail(r, &e);
    int64_t id;
    if (listing_create(&r->c, r->route->arg, &in, &id, &e))
        return fail_listing(r, r->route->arg, &e);
    res_header(r, "Location",
               arena_printf(r->a, "/api/v1/%s/%lld",
                            str_eq(r->route->arg, "need") ? "needs" : "achievements",
                            (long long)id));
    respond_listing(r, 201, id);
}

void api_listing_update(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return fail(r, &e);
    listing_rec l;
    if (!load_listing(r, &l, &e)) return fail(r, &e);
    json_t *body = r->json;
    json_t *merged = NULL;
    if (str_eq(r->method, "PATCH")) { /* PATCH: the current values, overlaid by the body */
        dctx full = r->c;
        full.system = true; /* read every field, contacts included */
        merged = listing_to_json(&full, &l);
        /* contacts: flat keys from the stored object, then the body's flat keys or object */
        json_t *cur = json_object_get(merged, "contact");
        const char *flat[] = {"contact_name", "contact_phone", "contact_email"};
        const char *sub[] = {"name", "phone", "email"};
        json_t *bc = json_object_get(body, "contact");
        for (int i = 0; i < 3; i++) {
            json_t *v = json_object_get(body, flat[i]);
            if (!v && json_is_object(bc)) v = json_object_get(bc, sub[i]);
            if (!v) v = json_object_get(cur, sub[i]);
            if (v) json_object_set(merged, flat[i], v);
        }
        json_object_update(merged, body);
        json_object_del(merged, "contact");
        body = merged;
    }
    listing_input in;
    err_code rc = listing_input_from_json(r->a, l.kind, body, &in, &e);
    json_decref(merged);
    if (rc || listing_update(&r->c, l.id, &in, &e)) return fail_listing(r, l.kind, &e);
    respond_listing(r, 200, l.id);
}

void api_listing_action(req *r)
{
    err e = {0};
    const char *action = r->words[0];
    if (!str_eq(action, "submit") && !str_eq(action, "publish") && !str_eq(action, "reject") &&
        !str_eq(action, "archive")) {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such action '%s'", action);
        return fail(r, &e);
    }
    listing_rec l;
    if (!load_listing(r, &l, &e)) return fail(r, &e);
    json_t *reason = r->json ? json_object_get(r->json, "reason") : NULL;
    if (reason && !json_is_string(reason)) {
        err_set(&e, ERR_INVALID, "reason", "err.type", "reason must be a string");
        return fail(r, &e);
    }
    if (listing_transition(&r->c, l.id, action, json_string_value(reason), &e)) return fail(r, &e);
    respond_listing(r, 200, l.id);
}

void api_listing_history(req *r)
{
    err e = {0};
    listing_rec l;
    if (!load_listing(r, &l, &e)) return fail(r, &e);
    if (!dctx_is_staff(&r->c) && r->user.org_id != l.org_id) {
        err_set(&e, ERR_FORBIDDEN, NULL, "err.forbidden",
                "only the owner and organizers see history");
        return fail(r, &e);
    }
    history_rec *h;
    int n;
    if (store_history_list(r->c.db, r->a, l.kind, l.id, &h, &n, &e)) return fail(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *detail = *h[i].detail ? json_loads(h[i].detail, 0, NULL) : NULL;
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)h[i].id,
                                             "action", h[i].action, "user", h[i].user_name, "at",
                                             h[i].at, "detail", detail ? detail : json_null()));
    }
    res_json(r, 200, json_pack("{s:o}", "items", arr));
}

void api_tokens_list(req *r)
{
    err e = {0};
    token_rec *t;
    int n;
    if (store_token_list(r->c.db, r->a, r->user.id, &t, &n, &e)) return fail(r, &e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)t[i].id, "name", t[i].name,
                      "prefix", t[i].prefix, "created_at", t[i].created_at, "last_used_at",
                      *t[i].last_used_at ? json_string(t[i].last_used_at) : json_null(),
                      "revoked_at", *t[i].revoked_at ? json_string(t[i].revoked_at) : json_null()));
    res_json(r, 200, json_pack("{s:o}", "items", arr));
}

void api_token_create(req *r)
{
    err e = {0};
    if (!need_json_body(r, &e)) return fail(r, &e);
    json_t *name = json_object_get(r->json, "name");
    if (name && !json_is_string(name)) {
        err_set(&e, ERR_INVALID, "name", "err.type", "name must be a string");
        return fail(r, &e);
    }
    const char *secret;
    int64_t id;
    if (auth_token_create(&r->c, json_string_value(name), &secret, &id, &e)) return fail(r, &e);
    res_json(r, 201,
             json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name", json_string_value(name),
                       "token", secret));
}

void api_token_revoke(req *r)
{
    err e = {0};
    if (auth_token_revoke(&r->c, r->ids[0], &e)) return fail(r, &e);
    res_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

void api_search(req *r)
{
    err e = {0};
    const char *kind = req_query(r, "kind");
    if (!kind || !*kind) kind = "achievement";
    if (!listing_kind_valid(kind)) {
        err_set(&e, ERR_INVALID, "kind", "err.choice", "kind must be achievement or need");
        return fail(r, &e);
    }
    listing_filter f;
    int page, per_page;
    if (view_filter_from_query(r, kind, &f, &page, &per_page, &e)) return fail(r, &e);
    if (!f.q || !*f.q) {
        err_set(&e, ERR_INVALID, "q", "err.required", "q is required");
        return fail(r, &e);
    }
    match_result *res;
    int n;
    int64_t total;
    json_t *facets;
    if (matching_search(&r->c, f.q, &f, f.offset, f.limit, &res, &n, &total, &facets, &e))
        return fail(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, match_result_to_json(&r->c, &res[i]));
    res_json(r, 200,
             json_pack("{s:o,s:I,s:i,s:i,s:o}", "items", items, "total", (json_int_t)total, "page",
                       page, "per_page", per_page, "facets", facets));
}

void api_listing_matches(req *r)
{
    err e = {0};
    listing_rec l;
    if (!load_listing(r, &l, &e)) return fail(r, &e);
    int64_t k = 10;
    const char *ks = req_query(r, "k");
    if (ks && *ks && !str_to_i64(ks, 1, 50, &k)) {
        err_set(&e, ERR_INVALID, "k", "err.choice", "k must be 1–50");
        return fail(r, &e);
    }
    match_result *res;
    int n;
    if (matching_for_listing(&r->c, l.id, (int)k, &res, &n, &e)) return fail(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, match_result_to_json(&r->c, &res[i]));
    res_json(r, 200,
             json_pack("{s:I,s:s,s:o}", "id", (json_int_t)l.id, "kind", l.kind, "items", items));
}
