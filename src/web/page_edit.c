/* page_edit.c — creating and editing listings, and moving them through review. */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

static const char *const modes_ach[] = {"transfer", "license", "joint", "equity", "service"};
static const char *const modes_need[] = {"transfer", "license", "joint",
                                         "equity",   "service", "commission"};
static const char *const need_types[] = {"product_rd", "tech_breakthrough", "industry_upgrade"};
static const char *const langs[] = {"zh-Hans", "zh-Hant", "en"};

/* The form's context: current values (from a listing or the posted form), option lists,
 * and the error of the field at fault. */
static json_t *form_context(req *r, const char *kind, json_t *values, const err *e)
{
    bool need = str_eq(kind, "need");
    json_t *ctx = json_object();
    json_object_set_new(ctx, "is_need", json_boolean(need));
    json_object_set_new(ctx, "v", values);
    const char *field = json_string_value(json_object_get(values, "field"));
    const char *modes = json_string_value(json_object_get(values, "modes"));
    json_object_set_new(ctx, "field_options", view_field_options(r, field));
    json_object_set_new(ctx, "mode_options",
                        need ? view_code_options(r, "mode.", modes_need, 6, modes)
                             : view_code_options(r, "mode.", modes_ach, 5, modes));
    json_object_set_new(ctx, "type_options",
                        view_code_options(r, "needtype.", need_types, 3,
                                          json_string_value(json_object_get(values, "type"))));
    json_object_set_new(ctx, "lang_options",
                        view_code_options(r, "lang.", langs, 3,
                                          json_string_value(json_object_get(values, "lang"))));
    const char *trl = json_string_value(json_object_get(values, "trl"));
    json_t *trls = json_array();
    for (int i = 1; i <= 9; i++) {
        char code[12];
        snprintf(code, sizeof code, "%d", i);
        json_array_append_new(trls, json_pack("{s:s,s:s,s:b}", "code", code, "label",
                                              i18n_get(r->lang, arena_printf(r->a, "trl.%d", i)),
                                              "selected", str_eq(trl, code)));
    }
    json_object_set_new(ctx, "trl_options", trls);
    if (dctx_is_staff(&r->c)) {
        org_rec *orgs;
        int n;
        err le = {0};
        if (store_org_list(r->c.db, r->a, need ? "enterprise" : NULL, &orgs, &n, &le) == ERR_OK) {
            const char *sel = json_string_value(json_object_get(values, "org"));
            json_t *arr = json_array();
            for (int i = 0; i < n; i++) {
                if (!need && !str_eq(orgs[i].type, "university") &&
                    !str_eq(orgs[i].type, "institute") && !str_eq(orgs[i].type, "enterprise"))
                    continue;
                const char *id = arena_printf(r->a, "%lld", (long long)orgs[i].id);
                json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "code", id, "label",
                                                     orgs[i].name, "selected", str_eq(sel, id)));
            }
            json_object_set_new(ctx, "org_options", arr);
            json_object_set_new(ctx, "has_org_options", json_true());
        }
    }
    if (e && e->code) {
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, e)));
        if (*e->field) {
            const char *f = str_eq(e->field, "transfer_modes") || str_eq(e->field, "cooperation")
                                ? "modes"
                            : str_eq(e->field, "budget_wan") ? "price_wan"
                                                             : e->field;
            json_object_set_new(ctx, arena_printf(r->a, "err_%s", f), json_true());
            json_object_set_new(ctx, "error_field", json_string(f));
        }
    }
    return ctx;
}

/* Form values as posted, to show the form again after a validation error. */
static json_t *posted_values(req *r, const listing_input *in)
{
    json_t *v = json_object();
#define PUT(k, x) json_object_set_new(v, k, json_string((x) ? (x) : ""))
    PUT("org", in->org);
    PUT("title", in->title);
    PUT("summary", in->summary);
    PUT("description", in->description);
    PUT("advantages", in->advantages);
    PUT("field", in->field);
    PUT("keywords", in->keywords);
    PUT("trl", in->trl);
    PUT("patents", in->patents);
    PUT("modes", in->modes ? arena_printf(r->a, ",%s,", in->modes) : "");
    PUT("price_wan", in->price_wan);
    PUT("type", in->need_type);
    PUT("deadline", in->deadline);
    PUT("contact_name", in->contact_name);
    PUT("contact_phone", in->contact_phone);
    PUT("contact_email", in->contact_email);
    PUT("lang", in->lang);
#undef PUT
    json_object_set_new(v, "anonymous", json_boolean(in->anonymous && *in->anonymous));
    return v;
}

/* Form values from a stored listing. */
static json_t *listing_values(req *r, const listing_rec *l)
{
    json_t *v = json_object();
    json_t *kw = json_loads(l->keywords, 0, NULL), *pat = json_loads(l->patents, 0, NULL);
    buf k = {0}, p = {0};
    size_t i;
    json_t *it;
    json_array_foreach(kw, i, it) buf_printf(&k, "%s%s", i ? ", " : "", json_string_value(it));
    json_array_foreach(pat, i, it)
        buf_printf(&p, "%s%s %s", i ? "\n" : "", json_string_value(json_object_get(it, "number")),
                   json_string_value(json_object_get(it, "status")));
    json_decref(kw);
    json_decref(pat);
    json_object_set_new(v, "title", json_string(l->title));
    json_object_set_new(v, "summary", json_string(l->summary));
    json_object_set_new(v, "description", json_string(l->description));
    json_object_set_new(v, "advantages", json_string(l->advantages));
    json_object_set_new(v, "field", json_string(l->field));
    json_object_set_new(v, "keywords", json_string(k.s ? k.s : ""));
    json_object_set_new(v, "patents", json_string(p.s ? p.s : ""));
    json_object_set_new(v, "trl", json_string(l->trl ? arena_printf(r->a, "%d", l->trl) : ""));
    json_object_set_new(v, "modes", json_string(l->modes));
    json_object_set_new(
        v, "price_wan",
        json_string(l->price_wan >= 0 ? arena_printf(r->a, "%lld", (long long)l->price_wan) : ""));
    json_object_set_new(v, "type", json_string(l->need_type));
    json_object_set_new(v, "deadline", json_string(l->deadline));
    json_object_set_new(v, "anonymous", json_boolean(l->anonymous));
    json_object_set_new(v, "contact_name", json_string(l->contact_name));
    json_object_set_new(v, "contact_phone", json_string(l->contact_phone));
    json_object_set_new(v, "contact_email", json_string(l->contact_email));
    json_object_set_new(v, "lang", json_string(l->lang));
    json_object_set_new(v, "org", json_string(arena_printf(r->a, "%lld", (long long)l->org_id)));
    buf_free(&k);
    buf_free(&p);
    return v;
}

static const char *kind_base(const char *kind)
{
    return str_eq(kind, "need") ? "/needs" : "/achievements";
}

void page_listing_new(req *r)
{
    const char *kind = r->route->arg;
    if (!dctx_is_staff(&r->c) && !r->user.org_id) {
        err e;
        err_set(&e, ERR_FORBIDDEN, NULL, "err.no_org", "you belong to no organization");
        return res_error(r, &e);
    }
    json_t *v = json_pack("{s:s,s:s,s:s}", "contact_name", r->user.name, "contact_email",
                          r->user.email, "lang", str_eq(r->lang, "en") ? "en" : "zh-Hans");
    json_t *ctx = form_context(r, kind, v, NULL);
    json_object_set_new(ctx, "action", json_string(kind_base(kind)));
    json_object_set_new(ctx, "is_new", json_true());
    res_page(r, 200, "form", ctx);
}

void page_listing_create(req *r)
{
    const char *kind = r->route->arg;
    err e = {0};
    listing_input in;
    view_listing_input_from_form(r, &in);
    bool submit = str_eq(req_form(r, "then"), "submit");
    int64_t id;
    if (db_begin(r->c.db, &e)) return res_error(r, &e);
    if (listing_create(&r->c, kind, &in, &id, &e) ||
        (submit && listing_transition(&r->c, id, "submit", NULL, &e)) || db_commit(r->c.db, &e)) {
        db_rollback(r->c.db);
        if (e.code != ERR_INVALID) return res_error(r, &e);
        json_t *ctx = form_context(r, kind, posted_values(r, &in), &e);
        json_object_set_new(ctx, "action", json_string(kind_base(kind)));
        json_object_set_new(ctx, "is_new", json_true());
        return res_page(r, 422, "form", ctx);
    }
    res_redirect(r, arena_printf(r->a, "%s/%lld?saved=1", kind_base(kind), (long long)id));
}

static bool load_editable(req *r, listing_rec *l, err *e)
{
    if (listing_get(&r->c, r->ids[0], l, e)) return false;
    if (!str_eq(l->kind, r->route->arg)) {
        err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "not found");
        return false;
    }
    if (!listing_can_edit(&r->c, l)) {
        err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "you may not edit this listing");
        return false;
    }
    return true;
}

void page_listing_edit(req *r)
{
    err e = {0};
    listing_rec l;
    if (!load_editable(r, &l, &e)) return res_error(r, &e);
    json_t *ctx = form_context(r, l.kind, listing_values(r, &l), NULL);
    json_object_set_new(
        ctx, "action",
        json_string(arena_printf(r->a, "%s/%lld/edit", kind_base(l.kind), (long long)l.id)));
    json_object_set_new(ctx, "id", json_integer(l.id));
    json_object_set_new(ctx, "is_draft", json_boolean(str_eq(l.status, "draft")));
    json_object_set_new(ctx, "was_published",
                        json_boolean(str_eq(l.status, "published") && !dctx_is_staff(&r->c)));
    res_page(r, 200, "form", ctx);
}

void page_listing_update(req *r)
{
    err e = {0};
    listing_rec l;
    if (!load_editable(r, &l, &e)) return res_error(r, &e);
    listing_input in;
    view_listing_input_from_form(r, &in);
    bool submit = str_eq(req_form(r, "then"), "submit") && str_eq(l.status, "draft");
    if (listing_update(&r->c, l.id, &in, &e) ||
        (submit && listing_transition(&r->c, l.id, "submit", NULL, &e))) {
        if (e.code != ERR_INVALID) return res_error(r, &e);
        json_t *ctx = form_context(r, l.kind, posted_values(r, &in), &e);
        json_object_set_new(
            ctx, "action",
            json_string(arena_printf(r->a, "%s/%lld/edit", kind_base(l.kind), (long long)l.id)));
        json_object_set_new(ctx, "id", json_integer(l.id));
        json_object_set_new(ctx, "is_draft", json_boolean(str_eq(l.status, "draft")));
        return res_page(r, 422, "form", ctx);
    }
    res_redirect(r, arena_printf(r->a, "%s/%lld?saved=1", kind_base(l.kind), (long long)l.id));
}

void page_listing_state(req *r)
{
    err e = {0};
    listing_rec l;
    if (listing_get(&r->c, r->ids[0], &l, &e)) return res_error(r, &e);
    if (!str_eq(l.kind, r->route->arg)) {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "not found");
        return res_error(r, &e);
    }
    const char *action = req_form(r, "action");
    if (listing_transition(&r->c, l.id, action ? action : "", req_form(r, "reason"), &e))
        return res_error(r, &e);
    const char *next = req_form(r, "next");
    if (next && str_eq(next, "/review")) return res_redirect(r, "/review");
    res_redirect(r, arena_printf(r->a, "%s/%lld", kind_base(l.kind), (long long)l.id));
}
