/* page_event.c — event pages: the public list and event page with its agenda, registration and
 * badge; the organizer's event form, participant list (CSV), check-in, dashboard and agenda
 * editor. The CSV and .ics handlers also serve the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/results.h"
#include "web/http.h"

static const char *const categories[] = {"university", "institute", "enterprise", "government",
                                         "other"};
static const char *const brings_codes[] = {"achievements", "needs", "both", "neither"};
static const char *const agenda_kinds[] = {"opening", "roadshow", "matchmaking", "other"};
static const char *const reg_statuses[] = {"pending", "approved", "rejected"};

const char *event_public_url(req *r, const char *path)
{
    const char *base = getenv("DUIJIE_PUBLIC_URL");
    if (base && *base) {
        size_t n = strlen(base);
        while (n && base[n - 1] == '/')
            n--;
        return arena_printf(r->a, "%.*s%s", (int)n, base, path);
    }
    return arena_printf(r->a, "http://%s%s",
                        r->cfg && r->cfg->listen ? r->cfg->listen : "localhost", path);
}

/* An error message for a form: the event catalog's label for the field, else the generic one. */
static const char *err_text(req *r, const err *e)
{
    if (!*e->field || !*e->key) return i18n_error(r->a, r->lang, e);
    const char *lk = arena_printf(r->a, "event.field.%s", e->field);
    const char *label = i18n_get(r->lang, lk);
    const char *text = i18n_get(r->lang, e->key);
    if (label == lk || text == e->key) return i18n_error(r->a, r->lang, e);
    return arena_printf(r->a, "%s%s%s", label, is_en(r) ? ": " : "：", text);
}

/* A form context's error: the message, a flag err_FIELD and the message beside the field. */
static void put_error(req *r, json_t *ctx, const err *e)
{
    if (!e || !e->code) return;
    const char *msg = err_text(r, e);
    json_object_set_new(ctx, "error", json_string(msg));
    if (*e->field) json_object_set_new(ctx, arena_printf(r->a, "err_%s", e->field), json_true());
}

static json_t *options(req *r, const char *prefix, const char *const *codes, int n,
                       const char *selected)
{
    return view_code_options(r, prefix, codes, n, selected);
}

static const char *field_label(req *r, const char *code)
{
    const field_rec *f = taxonomy_field(code);
    if (!f) return code;
    return is_en(r) ? f->name_en : f->name_zh;
}

/* The decorated JSON of an event for pages. */
static json_t *event_view(req *r, const event_rec *ev, err *e)
{
    json_t *j = event_to_json(&r->c, ev, e);
    if (!j) return NULL;
    bool en = is_en(r);
    json_object_set_new(j, "display_title",
                        json_string(en && *ev->title_en ? ev->title_en : ev->title));
    json_object_set_new(j, "other_title",
                        json_string(en ? (*ev->title_en ? ev->title : "") : ev->title_en));
    json_t *fl = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(j, "fields"), i, v)
        json_array_append_new(fl, json_pack("{s:s,s:s}", "code", json_string_value(v), "label",
                                            field_label(r, json_string_value(v))));
    json_object_set_new(j, "field_labels", fl);
    json_array_foreach(json_object_get(j, "orgs"), i, v)
    {
        const char *ne = json_string_value(json_object_get(v, "name_en"));
        json_object_set_new(
            v, "display_name",
            json_string(en && ne && *ne ? ne : json_string_value(json_object_get(v, "name"))));
    }
    json_object_set_new(j, "status_label", json_string(tf(r, "event.status.", ev->status)));
    json_object_set_new(j, "is_published", json_boolean(str_eq(ev->status, "published")));
    if (*ev->reg_deadline)
        json_object_set_new(
            j, "deadline_label",
            json_string(arena_printf(r->a, "%.10s %s", ev->reg_deadline, ev->reg_deadline + 11)));
    const char *why = json_string_value(json_object_get(j, "closed_reason"));
    if (why) json_object_set_new(j, "closed_label", json_string(t(r, why)));
    return j;
}

static bool load_event(req *r, event_rec *ev, json_t **view, err *e)
{
    if (event_get(&r->c, r->ids[0], ev, e)) return false;
    if (view && !(*view = event_view(r, ev, e))) return false;
    return true;
}

static json_t *agenda_view(req *r, const agenda_rec *s, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = agenda_to_json(&s[i]);
        json_object_set_new(j, "kind_label", json_string(tf(r, "event.kind.", s[i].kind)));
        json_object_set_new(j, "display_title",
                            json_string(is_en(r) && *s[i].title_en ? s[i].title_en : s[i].title));
        json_array_append_new(arr, j);
    }
    return arr;
}

/* ---- public pages ---- */

void page_event_list(req *r)
{
    err e = {0};
    event_rec *evs;
    int n;
    if (event_list(&r->c, &evs, &n, &e)) return res_error(r, &e);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = event_view(r, &evs[i], &e);
        if (!j) {
            json_decref(items);
            return res_error(r, &e);
        }
        json_array_append_new(items, j);
    }
    json_t *ctx = json_pack("{s:o,s:b,s:b,s:s}", "items", items, "has_items", n > 0, "nav_events",
                            1, "title", t(r, "event.list.title"));
    res_page(r, 200, "event_list", ctx);
}

void page_event_detail(req *r)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    if (!load_event(r, &ev, &j, &e)) return res_error(r, &e);
    agenda_rec *s;
    int n;
    if (agenda_list(&r->c, ev.id, &s, &n, &e)) {
        json_decref(j);
        return res_error(r, &e);
    }
    json_object_set_new(j, "results_public", json_boolean(results_are_public(&r->c, ev.id)));
    json_t *ctx = json_pack("{s:o,s:o,s:b,s:b,s:s,s:b}", "ev", j, "agenda", agenda_view(r, s, n),
                            "has_agenda", n > 0, "nav_events", 1, "title",
                            is_en(r) && *ev.title_en ? ev.title_en : ev.title, "saved",
                            req_query(r, "saved") != NULL);
    res_page(r, 200, "event_detail", ctx);
}

/* ---- the event form (staff) ---- */

static json_t *event_values(req *r, const event_rec *ev, const event_org_rec *orgs, int norgs)
{
    buf o = {0};
    buf_putc(&o, ',');
    for (int i = 0; i < norgs; i++)
        buf_printf(&o, "%lld,", (long long)orgs[i].org_id);
    json_t *v = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "title", ev->title, "title_en",
        ev->title_en, "venue", ev->venue, "date", ev->date, "start_time", ev->start_time,
        "end_time", ev->end_time, "fields", ev->fields, "description", ev->description, "capacity",
        ev->capacity ? arena_printf(r->a, "%lld", (long long)ev->capacity) : "", "reg_deadline",
        ev->reg_deadline, "needs_approval", ev->needs_approval, "orgs", o.s);
    buf_free(&o);
    return v;
}

/* All values of a repeated form field joined with commas (checkbox groups). */
static const char *form_all(req *r, const char *key)
{
    buf b = {0};
    bool any = false;
    for (int i = 0; i < r->nform; i++) {
        if (!str_eq(r->form[i].key, key)) continue;
        if (any) buf_putc(&b, ',');
        buf_puts(&b, r->form[i].val);
        any = true;
    }
    const char *out = any ? arena_strdup(r->a, b.s) : NULL;
    buf_free(&b);
    return out;
}

static void event_input_from_form(req *r, event_input *in)
{
    memset(in, 0, sizeof *in);
    in->title = req_form(r, "title");
    in->title_en = req_form(r, "title_en");
    in->orgs = form_all(r, "orgs");
    in->venue = req_form(r, "venue");
    in->date = req_form(r, "date");
    in->start_time = req_form(r, "start_time");
    in->end_time = req_form(r, "end_time");
    in->fields = form_all(r, "fields");
    in->description = req_form(r, "description");
    in->capacity = req_form(r, "capacity");
    in->reg_deadline = req_form(r, "reg_deadline");
    in->needs_approval = req_form(r, "needs_approval");
}

static json_t *posted_event_values(req *r, const event_input *in)
{
    json_t *v = json_object();
#define PUT(k, x) json_object_set_new(v, k, json_string((x) ? (x) : ""))
    PUT("title", in->title);
    PUT("title_en", in->title_en);
    PUT("venue", in->venue);
    PUT("date", in->date);
    PUT("start_time", in->start_time);
    PUT("end_time", in->end_time);
    PUT("description", in->description);
    PUT("capacity", in->capacity);
    PUT("reg_deadline", in->reg_deadline);
    PUT("orgs", arena_printf(r->a, ",%s,", in->orgs ? in->orgs : ""));
    PUT("fields", arena_printf(r->a, ",%s,", in->fields ? in->fields : ""));
#undef PUT
    json_object_set_new(v, "needs_approval",
                        json_boolean(in->needs_approval && *in->needs_approval));
    return v;
}

static json_t *event_form_context(req *r, json_t *values, const err *e)
{
    json_t *ctx = json_pack("{s:o,s:b}", "v", values, "nav_events", 1);
    const char *sel_orgs = json_string_value(json_object_get(values, "orgs"));
    const char *sel_fields = json_string_value(json_object_get(values, "fields"));
    org_rec *orgs;
    int n;
    err le = {0};
    json_t *oo = json_array();
    /* co-organizers are mostly government and service bodies: those first */
    static const char *type_order[] = {"government", "service", "institute", "university",
                                       "enterprise"};
    if (store_org_list(r->c.db, r->a, NULL, &orgs, &n, &le) == ERR_OK)
        for (int k = 0; k < 5; k++)
            for (int i = 0; i < n; i++) {
                if (!str_eq(orgs[i].type, type_order[k])) continue;
                char needle[32];
                snprintf(needle, sizeof needle, ",%lld,", (long long)orgs[i].id);
                json_array_append_new(
                    oo, json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)orgs[i].id, "label",
                                  is_en(r) && *orgs[i].name_en ? orgs[i].name_en : orgs[i].name,
                                  "type_label", tf(r, "orgtype.", orgs[i].type), "selected",
                                  sel_orgs && strstr(sel_orgs, needle) != NULL));
            }
    json_object_set_new(ctx, "org_options", oo);
    json_t *fo = view_field_options(r, NULL);
    size_t i;
    json_t *f;
    json_array_foreach(fo, i, f)
    {
        char needle[64];
        snprintf(needle, sizeof needle, ",%s,", json_string_value(json_object_get(f, "code")));
        json_object_set_new(f, "selected", json_boolean(sel_fields && strstr(sel_fields, needle)));
    }
    json_object_set_new(ctx, "field_options", fo);
    put_error(r, ctx, e);
    return ctx;
}

static void render_event_form(req *r, int status, json_t *values, const err *e, int64_t id)
{
    json_t *ctx = event_form_context(r, values, e);
    if (id) {
        json_object_set_new(ctx, "id", json_integer(id));
        json_object_set_new(ctx, "action",
                            json_string(arena_printf(r->a, "/events/%lld/edit", (long long)id)));
        json_object_set_new(ctx, "title", json_string(t(r, "event.form.edit")));
    } else {
        json_object_set_new(ctx, "is_new", json_true());
        json_object_set_new(ctx, "action", json_string("/events"));
        json_object_set_new(ctx, "title", json_string(t(r, "event.form.new")));
    }
    res_page(r, status, "event_form", ctx);
}

void page_event_new(req *r)
{
    json_t *v =
        json_pack("{s:s,s:s,s:s}", "start_time", "09:00", "end_time", "17:00", "orgs",
                  r->user.org_id ? arena_printf(r->a, ",%lld,", (long long)r->user.org_id) : ",");
    render_event_form(r, 200, v, NULL, 0);
}

void page_event_create(req *r)
{
    err e = {0};
    event_input in;
    event_input_from_form(r, &in);
    int64_t id;
    if (event_create(&r->c, &in, &id, &e)) {
        if (e.code != ERR_INVALID) return res_error(r, &e);
        return render_event_form(r, 422, posted_event_values(r, &in), &e, 0);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld?saved=1", (long long)id));
}

void page_event_edit(req *r)
{
    err e = {0};
    event_rec ev;
    event_org_rec *orgs;
    int n;
    if (!load_event(r, &ev, NULL, &e) || store_event_orgs_list(r->c.db, r->a, ev.id, &orgs, &n, &e))
        return res_error(r, &e);
    render_event_form(r, 200, event_values(r, &ev, orgs, n), NULL, ev.id);
}

void page_event_update(req *r)
{
    err e = {0};
    event_input in;
    event_input_from_form(r, &in);
    if (event_update(&r->c, r->ids[0], &in, &e)) {
        if (e.code != ERR_INVALID) return res_error(r, &e);
        return render_event_form(r, 422, posted_event_values(r, &in), &e, r->ids[0]);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld?saved=1", (long long)r->ids[0]));
}

void page_event_state(req *r)
{
    err e = {0};
    const char *action = req_form(r, "action");
    if (event_transition(&r->c, r->ids[0], action ? action : "", &e)) return res_error(r, &e);
    res_redirect(r, arena_printf(r->a, "/events/%lld", (long long)r->ids[0]));
}

/* ---- registration ---- */

static json_t *register_context(req *r, json_t *ev, json_t *values, const err *e)
{
    json_t *ctx = json_pack("{s:o,s:o,s:b}", "ev", ev, "v", values, "nav_events", 1);
    json_object_set_new(ctx, "category_options",
                        options(r, "event.category.", categories, 5,
                                json_string_value(json_object_get(values, "category"))));
    json_object_set_new(ctx, "brings_options",
                        options(r, "event.brings.", brings_codes, 4,
                                json_string_value(json_object_get(values, "brings"))));
    if (r->c.user && r->user.org_id) { /* a member may link the org and bring its listings */
        json_object_set_new(ctx, "can_link", json_true());
        json_object_set_new(ctx, "my_org", json_string(r->user.org_name));
        const char *sel = json_string_value(json_object_get(values, "listings"));
        json_t *arr = json_array();
        const char *kinds[] = {"achievement", "need"};
        for (int k = 0; k < 2; k++) {
            listing_filter f = {.kind = kinds[k],
                                .status = "published",
                                .org_id = r->user.org_id,
                                .limit = 50,
                                .sort = "title"};
            listing_rec *rows;
            int n;
            int64_t total;
            err le = {0};
            if (store_listing_list(r->c.db, r->a, &f, &rows, &n, &total, &le)) continue;
            for (int i = 0; i < n; i++) {
                char needle[32];
                snprintf(needle, sizeof needle, ",%lld,", (long long)rows[i].id);
                json_array_append_new(arr,
                                      json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)rows[i].id,
                                                "title", rows[i].title, "kind_label",
                                                t(r, k ? "nav.needs" : "nav.achievements"),
                                                "selected", sel && strstr(sel, needle) != NULL));
            }
        }
        json_object_set_new(ctx, "has_my_listings", json_boolean(json_array_size(arr) > 0));
        json_object_set_new(ctx, "my_listings", arr);
    }
    put_error(r, ctx, e);
    json_object_set_new(ctx, "title", json_string(t(r, "event.register.title")));
    return ctx;
}

static const char *org_category(const char *org_type)
{
    if (str_eq(org_type, "university") || str_eq(org_type, "institute") ||
        str_eq(org_type, "enterprise") || str_eq(org_type, "government"))
        return org_type;
    return "other";
}

void page_event_register_form(req *r)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    if (!load_event(r, &ev, &j, &e)) return res_error(r, &e);
    json_t *v = json_object();
    if (r->c.user) {
        json_object_set_new(v, "name", json_string(r->user.name));
        json_object_set_new(v, "email", json_string(r->user.email));
        json_object_set_new(v, "org_name", json_string(r->user.org_name));
        json_object_set_new(v, "link_org", json_boolean(r->user.org_id != 0));
        if (r->user.org_id)
            json_object_set_new(v, "category", json_string(org_category(r->user.org_type)));
    }
    res_page(r, 200, "event_register", register_context(r, j, v, NULL));
}

void page_event_register(req *r)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    if (!load_event(r, &ev, &j, &e)) return res_error(r, &e);
    registration_input in = {
        .name = req_form(r, "name"),
        .org_name = req_form(r, "org_name"),
        .link_org = req_form(r, "link_org"),
        .category = req_form(r, "category"),
        .brings = req_form(r, "brings"),
        .listings = form_all(r, "listings"),
        .phone = req_form(r, "phone"),
        .email = req_form(r, "email"),
    };
    int64_t id;
    const char *token;
    if (registration_create(&r->c, ev.id, &in, &id, &token, &e)) {
        if (e.code != ERR_INVALID && e.code != ERR_CONFLICT) {
            json_decref(j);
            return res_error(r, &e);
        }
        json_t *v = json_object();
#define PUT(k, x) json_object_set_new(v, k, json_string((x) ? (x) : ""))
        PUT("name", in.name);
        PUT("org_name", in.org_name);
        PUT("category", in.category);
        PUT("brings", in.brings);
        PUT("phone", in.phone);
        PUT("email", in.email);
        PUT("listings", arena_printf(r->a, ",%s,", in.listings ? in.listings : ""));
#undef PUT
        json_object_set_new(v, "link_org", json_boolean(in.link_org && *in.link_org));
        return res_page(r, e.code == ERR_CONFLICT ? 409 : 422, "event_register",
                        register_context(r, j, v, &e));
    }
    json_decref(j);
    res_redirect(r, arena_printf(r->a, "/events/%lld/badge/%s?new=1", (long long)ev.id, token));
}

/* A registration for pages: labels and local check-in time. */
static json_t *registration_view(req *r, const registration_rec *g,
                                 const registration_listing_rec *ls, int nls)
{
    json_t *j = registration_to_json(g, ls, nls);
    json_object_set_new(j, "category_label", json_string(tf(r, "event.category.", g->category)));
    json_object_set_new(j, "brings_label", json_string(tf(r, "event.brings.", g->brings)));
    json_object_set_new(j, "status_label", json_string(tf(r, "event.regstatus.", g->status)));
    json_object_set_new(j, "is_pending", json_boolean(str_eq(g->status, "pending")));
    json_object_set_new(j, "is_approved", json_boolean(str_eq(g->status, "approved")));
    json_object_set_new(j, "is_rejected", json_boolean(str_eq(g->status, "rejected")));
    const char *local = event_local_time(r->a, g->checked_in_at);
    json_object_set_new(j, "checked_in_label", json_string(strlen(local) >= 16 ? local + 11 : ""));
    json_object_set_new(j, "checked_in", json_boolean(*g->checked_in_at != 0));
    json_object_set_new(j, "has_listings",
                        json_boolean(json_array_size(json_object_get(j, "listings")) > 0));
    return j;
}

void page_event_badge(req *r)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    registration_rec g;
    if (registration_by_token(&r->c, r->ids[0], r->words[0], &g, &e)) return res_error(r, &e);
    /* the badge of a registration works even if the event was unpublished since */
    dctx sys = r->c;
    sys.system = true;
    if (store_event_get(r->c.db, r->a, g.event_id, &ev, &e) || !(j = event_to_json(&sys, &ev, &e)))
        return res_error(r, &e);
    json_object_set_new(j, "display_title",
                        json_string(is_en(r) && *ev.title_en ? ev.title_en : ev.title));
    registration_listing_rec *ls;
    int nls;
    if (store_registration_listings(r->c.db, r->a, ev.id, g.id, &ls, &nls, &e)) {
        json_decref(j);
        return res_error(r, &e);
    }
    json_t *gv = registration_view(r, &g, ls, nls);
    json_t *ctx = json_pack("{s:o,s:o,s:b,s:b,s:s}", "ev", j, "g", gv, "nav_events", 1, "is_new",
                            req_query(r, "new") != NULL, "title", t(r, "event.badge.title"));
    json_object_set_new(ctx, "badge_link",
                        json_string(event_public_url(r, arena_printf(r->a, "/events/%lld/badge/%s",
                                                                     (long long)ev.id, g.token))));
    if (str_eq(g.status, "approved")) {
        const char *path;
        if (event_checkin_path(&sys, ev.id, g.id, &path, &e)) {
            json_decref(ctx);
            return res_error(r, &e);
        }
        const char *svg = qr_svg(r->a, event_public_url(r, path), 240);
        if (svg) json_object_set_new(ctx, "qr_svg", json_string(svg));
    }
    res_header(r, "Referrer-Policy", "no-referrer"); /* the token is in the URL */
    res_page(r, 200, "event_badge", ctx);
}

/* ---- participants (staff) ---- */

void page_event_registrations(req *r)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    if (!load_event(r, &ev, &j, &e)) return res_error(r, &e);
    const char *status = req_query(r, "status");
    registration_rec *rows;
    int n;
    registration_listing_rec *ls;
    int nls;
    if (registration_list(&r->c, ev.id, status, &rows, &n, &e) ||
        store_registration_listings(r->c.db, r->a, ev.id, 0, &ls, &nls, &e)) {
        json_decref(j);
        return res_error(r, &e);
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, registration_view(r, &rows[i], ls, nls));
    json_t *ctx =
        json_pack("{s:o,s:o,s:b,s:i,s:b,s:s}", "ev", j, "items", items, "has_items", n > 0, "total",
                  n, "nav_events", 1, "title", t(r, "event.participants.title"));
    json_object_set_new(ctx, "status_options",
                        options(r, "event.regstatus.", reg_statuses, 3, status));
    json_object_set_new(ctx, "done", json_string(req_query(r, "done") ? req_query(r, "done") : ""));
    res_page(r, 200, "event_registrations", ctx);
}

void page_event_registration_action(req *r)
{
    err e = {0};
    const char *action = r->words[0];
    registration_rec g;
    if (str_eq(action, "approve") || str_eq(action, "reject")) {
        if (registration_decide(&r->c, r->ids[0], r->ids[1], action, &e)) return res_error(r, &e);
    } else if (str_eq(action, "checkin")) {
        if (event_checkin(&r->c, r->ids[0], r->ids[1], NULL, &g, &e) &&
            !str_eq(e.key, "event.err.already"))
            return res_error(r, &e);
    } else {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such action '%s'", action);
        return res_error(r, &e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/registrations?done=%s#r%lld",
                                 (long long)r->ids[0], action, (long long)r->ids[1]));
}

/* One CSV field: quoted when it holds a separator, quote or line break; a leading = + - @ is
 * escaped with ' so that spreadsheets do not run it as a formula. */
static void csv_field(buf *b, const char *s, bool last)
{
    bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (formula) buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote) buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}

void page_event_csv(req *r)
{
    err e = {0};
    event_rec ev;
    registration_rec *rows;
    int n;
    registration_listing_rec *ls;
    int nls;
    if (event_get(&r->c, r->ids[0], &ev, &e) ||
        registration_list(&r->c, ev.id, req_query(r, "status"), &rows, &n, &e) ||
        store_registration_listings(r->c.db, r->a, ev.id, 0, &ls, &nls, &e))
        return res_error(r, &e);
    buf_reset(&r->out);
    buf_puts(&r->out, "\xEF\xBB\xBF"); /* UTF-8 BOM: Excel then reads Chinese correctly */
    static const char *cols[] = {"id",     "name",          "org_name",     "category",
                                 "brings", "listings",      "phone",        "email",
                                 "status", "checked_in_at", "registered_at"};
    for (size_t i = 0; i < ARRAY_LEN(cols); i++)
        csv_field(&r->out, tf(r, "event.csv.", cols[i]), i + 1 == ARRAY_LEN(cols));
    for (int i = 0; i < n; i++) {
        const registration_rec *g = &rows[i];
        buf titles = {0};
        for (int k = 0; k < nls; k++)
            if (ls[k].registration_id == g->id)
                buf_printf(&titles, "%s%s", titles.len ? "; " : "", ls[k].title);
        csv_field(&r->out, arena_printf(r->a, "%lld", (long long)g->id), false);
        csv_field(&r->out, g->name, false);
        csv_field(&r->out, g->org_name, false);
        csv_field(&r->out, tf(r, "event.category.", g->category), false);
        csv_field(&r->out, tf(r, "event.brings.", g->brings), false);
        csv_field(&r->out, titles.s ? titles.s : "", false);
        csv_field(&r->out, g->phone, false);
        csv_field(&r->out, g->email, false);
        csv_field(&r->out, tf(r, "event.regstatus.", g->status), false);
        csv_field(&r->out, event_local_time(r->a, g->checked_in_at), false);
        csv_field(&r->out, event_local_time(r->a, g->created_at), true);
        buf_free(&titles);
    }
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    res_header(r, "Content-Disposition",
               arena_printf(r->a, "attachment; filename=\"event-%lld-participants.csv\"",
                            (long long)ev.id));
    res_header(r, "Cache-Control", "no-store");
}

/* ---- check-in (staff, from the badge's QR code) ---- */

static void render_checkin(req *r, int status, const event_rec *ev, const registration_rec *g,
                           const char *outcome, const err *e)
{
    err le = {0};
    json_t *j = event_view(r, ev, &le);
    if (!j) return res_error(r, &le);
    json_t *ctx = json_pack("{s:o,s:o,s:b,s:s}", "ev", j, "g", registration_view(r, g, NULL, 0),
                            "nav_events", 1, "title", t(r, "event.checkin.title"));
    json_object_set_new(ctx, arena_printf(r->a, "outcome_%s", outcome), json_true());
    json_object_set_new(ctx, "action", json_string(r->path));
    if (e && e->code) json_object_set_new(ctx, "error", json_string(err_text(r, e)));
    res_page(r, status, "event_checkin", ctx);
}

void page_event_checkin_scan(req *r)
{
    err e = {0};
    event_rec ev;
    registration_rec g;
    unsigned char key[32];
    if (event_checkin_key(&r->c, key, &e)) return res_error(r, &e);
    bool genuine = event_checkin_verify(key, r->ids[0], r->ids[1], r->words[0]);
    if (!genuine) {
        err_set(&e, ERR_FORBIDDEN, NULL, "event.err.bad_signature",
                "this check-in link is not genuine");
        return res_error(r, &e);
    }
    if (event_get(&r->c, r->ids[0], &ev, &e) || registration_get(&r->c, ev.id, r->ids[1], &g, &e))
        return res_error(r, &e);
    const char *outcome = *g.checked_in_at               ? "already"
                          : str_eq(g.status, "approved") ? "ready"
                                                         : "not_approved";
    render_checkin(r, 200, &ev, &g, outcome, NULL);
}

void page_event_checkin(req *r)
{
    err e = {0};
    event_rec ev;
    registration_rec g;
    err_code rc = event_checkin(&r->c, r->ids[0], r->ids[1], r->words[0], &g, &e);
    if (rc && !str_eq(e.key, "event.err.already") && !str_eq(e.key, "event.err.not_approved"))
        return res_error(r, &e);
    if (event_get(&r->c, r->ids[0], &ev, &e)) return res_error(r, &e);
    render_checkin(r, rc ? 409 : 200, &ev, &g,
                   !rc                                  ? "done"
                   : str_eq(e.key, "event.err.already") ? "already"
                                                        : "not_approved",
                   NULL);
}

/* ---- dashboard (staff) ---- */

void page_event_dashboard(req *r)
{
    err e = {0};
    event_rec ev;
    json_t *j;
    event_count_rec *cs;
    int n;
    if (!load_event(r, &ev, &j, &e)) return res_error(r, &e);
    if (event_counts(&r->c, ev.id, &cs, &n, &e)) {
        json_decref(j);
        return res_error(r, &e);
    }
    json_t *rows = json_array();
    int64_t tot[5] = {0};
    for (size_t k = 0; k < ARRAY_LEN(categories); k++) {
        event_count_rec c = {.category = categories[k]};
        for (int i = 0; i < n; i++)
            if (str_eq(cs[i].category, categories[k])) c = cs[i];
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "code", categories[k], "label",
                            tf(r, "event.category.", categories[k]), "registered",
                            (json_int_t)c.registered, "pending", (json_int_t)c.pending, "approved",
                            (json_int_t)c.approved, "checked_in", (json_int_t)c.checked_in));
        tot[0] += c.registered;
        tot[1] += c.pending;
        tot[2] += c.approved;
        tot[3] += c.checked_in;
    }
    json_object_set_new(j, "results_public", json_boolean(results_are_public(&r->c, ev.id)));
    json_t *ctx = json_pack("{s:o,s:o,s:{s:I,s:I,s:I,s:I},s:b,s:s}", "ev", j, "rows", rows, "total",
                            "registered", (json_int_t)tot[0], "pending", (json_int_t)tot[1],
                            "approved", (json_int_t)tot[2], "checked_in", (json_int_t)tot[3],
                            "nav_events", 1, "title", t(r, "event.dashboard.title"));
    res_page(r, 200, "event_dashboard", ctx);
}

/* ---- agenda editor (staff) ---- */

static void agenda_input_from_form(req *r, agenda_input *in)
{
    memset(in, 0, sizeof *in);
    in->kind = req_form(r, "kind");
    in->title = req_form(r, "title");
    in->title_en = req_form(r, "title_en");
    in->start_time = req_form(r, "start_time");
    in->end_time = req_form(r, "end_time");
    in->place = req_form(r, "place");
    in->speakers = req_form(r, "speakers");
}

static void render_agenda(req *r, int status, json_t *values, int64_t editing, const err *e)
{
    err le = {0};
    event_rec ev;
    json_t *j;
    agenda_rec *s;
    int n;
    if (!load_event(r, &ev, &j, &le)) {
        json_decref(values);
        return res_error(r, &le);
    }
    if (agenda_list(&r->c, ev.id, &s, &n, &le)) {
        json_decref(values);
        json_decref(j);
        return res_error(r, &le);
    }
    json_t *ctx = json_pack("{s:o,s:o,s:b,s:o,s:b,s:s}", "ev", j, "agenda", agenda_view(r, s, n),
                            "has_agenda", n > 0, "v", values, "nav_events", 1, "title",
                            t(r, "event.agenda.edit_title"));
    json_object_set_new(ctx, "kind_options",
                        options(r, "event.kind.", agenda_kinds, 4,
                                json_string_value(json_object_get(values, "kind"))));
    json_object_set_new(
        ctx, "action",
        json_string(editing ? arena_printf(r->a, "/events/%lld/agenda/%lld/edit", (long long)ev.id,
                                           (long long)editing)
                            : arena_printf(r->a, "/events/%lld/agenda", (long long)ev.id)));
    json_object_set_new(ctx, "editing", json_boolean(editing != 0));
    put_error(r, ctx, e);
    res_page(r, status, "event_agenda", ctx);
}

void page_event_agenda_edit(req *r)
{
    err e = {0};
    json_t *v;
    if (r->ids[1]) {
        agenda_rec s;
        if (agenda_get(&r->c, r->ids[0], r->ids[1], &s, &e)) return res_error(r, &e);
        v = agenda_to_json(&s);
    } else {
        v = json_pack("{s:s}", "kind", "other");
    }
    render_agenda(r, 200, v, r->ids[1], NULL);
}

static json_t *posted_agenda(const agenda_input *in)
{
    json_t *v = json_object();
#define PUT(k, x) json_object_set_new(v, k, json_string((x) ? (x) : ""))
    PUT("kind", in->kind);
    PUT("title", in->title);
    PUT("title_en", in->title_en);
    PUT("start_time", in->start_time);
    PUT("end_time", in->end_time);
    PUT("place", in->place);
    PUT("speakers", in->speakers);
#undef PUT
    return v;
}

void page_event_agenda_create(req *r)
{
    err e = {0};
    agenda_input in;
    agenda_input_from_form(r, &in);
    if (agenda_create(&r->c, r->ids[0], &in, NULL, &e)) {
        if (e.code != ERR_INVALID) return res_error(r, &e);
        return render_agenda(r, 422, posted_agenda(&in), 0, &e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/agenda", (long long)r->ids[0]));
}

void page_event_agenda_update(req *r)
{
    err e = {0};
    agenda_input in;
    agenda_input_from_form(r, &in);
    if (agenda_update(&r->c, r->ids[0], r->ids[1], &in, &e)) {
        if (e.code != ERR_INVALID) return res_error(r, &e);
        return render_agenda(r, 422, posted_agenda(&in), r->ids[1], &e);
    }
    res_redirect(r, arena_printf(r->a, "/events/%lld/agenda", (long long)r->ids[0]));
}

void page_event_agenda_delete(req *r)
{
    err e = {0};
    if (agenda_delete(&r->c, r->ids[0], r->ids[1], &e)) return res_error(r, &e);
    res_redirect(r, arena_printf(r->a, "/events/%lld/agenda", (long long)r->ids[0]));
}

void page_event_ics(req *r)
{
    err e = {0};
    const char *text;
    if (event_agenda_ics(&r->c, r->ids[0], &text, &e)) return res_error(r, &e);
    buf_reset(&r->out);
    buf_puts(&r->out, text);
    r->status = 200;
    r->ctype = "text/calendar; charset=utf-8";
    res_header(r, "Content-Disposition",
               arena_printf(r->a, "attachment; filename=\"event-%lld.ics\"", (long long)r->ids[0]));
}
