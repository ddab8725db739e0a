/* page_catalog.c — the public catalog: home, lists with filters, detail pages, and the
 * member's and organizer's lists. */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

static const char *const modes_ach[] = {"transfer", "license", "joint", "equity", "service"};
static const char *const modes_need[] = {"transfer", "license", "joint",
                                         "equity",   "service", "commission"};
static const char *const org_types[] = {"university", "institute", "enterprise", "government",
                                        "service"};
static const char *const need_types[] = {"product_rd", "tech_breakthrough", "industry_upgrade"};
static const char *const stages[] = {"1", "2", "3", "4"};

static json_t *decorated_list(req *r, listing_rec *rows, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = listing_to_json(&r->c, &rows[i]);
        view_decorate_listing(r, j);
        json_array_append_new(arr, j);
    }
    return arr;
}

void page_home(req *r)
{
    err e = {0};
    catalog_counts c;
    if (store_counts(r->c.db, &c, &e)) return res_error(r, &e);
    listing_filter fa = {.kind = "achievement", .limit = 6}, fn = {.kind = "need", .limit = 6};
    listing_rec *ra, *rn;
    int na, nn;
    int64_t ta, tn;
    if (listing_list(&r->c, "public", &fa, &ra, &na, &ta, &e) ||
        listing_list(&r->c, "public", &fn, &rn, &nn, &tn, &e))
        return res_error(r, &e);
    json_t *ctx = json_pack(
        "{s:I,s:I,s:I,s:I,s:o,s:o,s:o}", "n_achievements", (json_int_t)c.achievements, "n_needs",
        (json_int_t)c.needs, "n_institutions", (json_int_t)c.institutions, "n_enterprises",
        (json_int_t)c.enterprises, "achievements", decorated_list(r, ra, na), "needs",
        decorated_list(r, rn, nn), "fields", view_field_options(r, NULL));
    /* the event's focus: biomedicine's sub-fields get their own row of links */
    json_t *sub = json_array(), *all = json_object_get(ctx, "fields"), *top = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(all, i, f)
    {
        const field_rec *fr = taxonomy_field(json_string_value(json_object_get(f, "code")));
        if (fr && str_eq(fr->parent, "biomed"))
            json_array_append(sub, f);
        else if (fr && !*fr->parent)
            json_array_append(top, f);
    }
    json_object_set_new(ctx, "fields", top);
    json_object_set_new(ctx, "biomed_fields", sub);
    res_page(r, 200, "home", ctx);
}

static json_t *filter_context(req *r, const char *kind, const listing_filter *f)
{
    bool need = str_eq(kind, "need");
    json_t *ctx = json_object();
    json_object_set_new(ctx, "q", json_string(f->q ? f->q : ""));
    json_object_set_new(ctx, "region", json_string(f->region ? f->region : ""));
    json_object_set_new(ctx, "field_options", view_field_options(r, f->field));
    char stage[4];
    snprintf(stage, sizeof stage, "%d", f->stage);
    json_object_set_new(ctx, "stage_options",
                        view_code_options(r, "stage.", stages, 4, f->stage ? stage : NULL));
    json_object_set_new(ctx, "mode_options",
                        need ? view_code_options(r, "mode.", modes_need, 6, f->mode)
                             : view_code_options(r, "mode.", modes_ach, 5, f->mode));
    json_object_set_new(ctx, "org_type_options",
                        view_code_options(r, "orgtype.", org_types, 5, f->org_type));
    if (need)
        json_object_set_new(ctx, "type_options",
                            view_code_options(r, "needtype.", need_types, 3, f->need_type));
    json_object_set_new(ctx, "sort_title", json_boolean(str_eq(f->sort, "title")));
    json_object_set_new(ctx, "sort_new", json_boolean(str_eq(f->sort, "new")));
    json_object_set_new(ctx, "sort_old", json_boolean(str_eq(f->sort, "old")));
    return ctx;
}

void page_listing_list(req *r)
{
    const char *kind = r->route->arg;
    bool need = str_eq(kind, "need");
    err e = {0};
    listing_filter f;
    int page, per_page;
    if (view_filter_from_query(r, kind, &f, &page, &per_page, &e)) return res_error(r, &e);
    listing_rec *rows;
    int n;
    int64_t total;
    bool relevance = f.q && *f.q && (!f.sort || !*f.sort || str_eq(f.sort, "relevance"));
    json_t *items, *facets = NULL;
    if (relevance) { /* ranked by the matching engine, with snippets and facet counts */
        match_result *res;
        listing_filter mf = f;
        if (matching_search(&r->c, f.q, &mf, f.offset, f.limit, &res, &n, &total, &facets, &e))
            return res_error(r, &e);
        items = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(items, view_match(r, &res[i], f.q));
    } else {
        if (str_eq(f.sort, "relevance")) f.sort = NULL;
        if (listing_list(&r->c, "public", &f, &rows, &n, &total, &e)) return res_error(r, &e);
        items = decorated_list(r, rows, n);
    }
    json_t *ctx = filter_context(r, kind, &f);
    if (facets) { /* counts next to each option */
        const char *groups[][2] = {{"field_options", "field"},
                                   {"stage_options", "stage"},
                                   {"mode_options", "mode"},
                                   {"org_type_options", "org_type"}};
        for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
            json_t *opts = json_object_get(ctx, groups[g][0]),
                   *counts = json_object_get(facets, groups[g][1]);
            size_t i;
            json_t *o;
            json_array_foreach(opts, i, o)
            {
                json_t *c = json_object_get(counts, json_string_value(json_object_get(o, "code")));
                json_object_set_new(o, "count", json_integer(c ? json_integer_value(c) : 0));
                json_object_set_new(o, "has_count", json_true());
            }
        }
        json_decref(facets);
    }
    json_object_set_new(ctx, "relevance", json_boolean(relevance));
    json_object_set_new(ctx, "has_q", json_boolean(f.q && *f.q));
    json_object_set_new(ctx, "is_need", json_boolean(need));
    json_object_set_new(ctx, "base", json_string(need ? "/needs" : "/achievements"));
    json_object_set_new(ctx, "items", items);
    json_object_set_new(ctx, "has_items", json_boolean(n > 0));
    json_object_set_new(ctx, need ? "nav_needs" : "nav_achievements", json_true());
    json_object_set_new(ctx, "pager", view_pagination(r, total, page, per_page));
    json_object_set_new(ctx, "total", json_integer(total));
    res_page(r, 200, "list", ctx);
}

void page_listing_detail(req *r)
{
    err e = {0};
    listing_rec l;
    if (listing_get(&r->c, r->ids[0], &l, &e)) return res_error(r, &e);
    if (!str_eq(l.kind, r->route->arg)) {
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "not found");
        return res_error(r, &e);
    }
    json_t *j = listing_to_json(&r->c, &l);
    view_decorate_listing(r, j);
    json_t *ctx = json_pack("{s:o,s:b}", "l", j, "saved", req_query(r, "saved") != NULL);
    json_object_set_new(ctx, "title", json_string(l.title));
    json_object_set_new(ctx, str_eq(l.kind, "need") ? "nav_needs" : "nav_achievements",
                        json_true());
    bool staff = dctx_is_staff(&r->c);
    bool edit = listing_can_edit(&r->c, &l);
    json_object_set_new(ctx, "can_submit", json_boolean(edit && str_eq(l.status, "draft")));
    json_object_set_new(ctx, "can_review", json_boolean(staff && str_eq(l.status, "submitted")));
    json_object_set_new(ctx, "can_archive", json_boolean(edit && str_eq(l.status, "published")));
    json_object_set_new(ctx, "signed_in", json_boolean(r->c.user != NULL));
    if (edit) {
        history_rec *h;
        int n;
        if (store_history_list(r->c.db, r->a, l.kind, l.id, &h, &n, &e) == ERR_OK) {
            json_t *arr = json_array();
            for (int i = n - 1; i >= 0; i--) {
                json_t *d = json_loads(h[i].detail, 0, NULL);
                const char *reason = d ? json_string_value(json_object_get(d, "reason")) : NULL;
                json_array_append_new(
                    arr, json_pack("{s:s,s:s,s:s,s:s}", "action", h[i].action, "user",
                                   *h[i].user_name ? h[i].user_name : "system", "at",
                                   arena_printf(r->a, "%.10s %.5s", h[i].at,
                                                strlen(h[i].at) > 16 ? h[i].at + 11 : ""),
                                   "reason", reason ? reason : ""));
                json_decref(d);
            }
            json_object_set_new(ctx, "has_history", json_boolean(n > 0));
            json_object_set_new(ctx, "history", arr);
        }
    }
    if (str_eq(l.status, "published")) { /* the other side's best matches, with reasons */
        match_result *res;
        int nm;
        err me = {0};
        if (matching_for_listing(&r->c, l.id, 10, &res, &nm, &me) == ERR_OK && nm > 0) {
            json_t *arr = json_array();
            for (int i = 0; i < nm; i++)
                json_array_append_new(arr, view_match(r, &res[i], NULL));
            json_object_set_new(ctx, "matches", arr);
            json_object_set_new(ctx, "has_matches", json_true());
        } else if (me.code) {
            log_error("matches for listing %lld: %s", (long long)l.id, me.msg);
        }
    }
    res_page(r, 200, "detail", ctx);
}

static void staff_or_member_list(req *r, const char *scope, const char *tpl)
{
    err e = {0};
    json_t *ctx = json_object();
    const char *kinds[] = {"achievement", "need"};
    for (int k = 0; k < 2; k++) {
        listing_filter f = {.kind = kinds[k], .limit = 100, .sort = "new"};
        listing_rec *rows;
        int n;
        int64_t total;
        if (listing_list(&r->c, scope, &f, &rows, &n, &total, &e)) {
            json_decref(ctx);
            return res_error(r, &e);
        }
        /* {{#x_rows}}{{> rows}} renders the partial once with rows = the list */
        json_object_set_new(ctx, k ? "needs_rows" : "achievements_rows",
                            json_pack("{s:o}", "rows", decorated_list(r, rows, n)));
        json_object_set_new(ctx, k ? "has_needs" : "has_achievements", json_boolean(n > 0));
    }
    res_page(r, 200, tpl, ctx);
}

void page_mine(req *r)
{
    if (!r->user.org_id) {
        res_page(r, 200, "mine", json_pack("{s:b}", "no_org", 1));
        return;
    }
    staff_or_member_list(r, "mine", "mine");
}

void page_review(req *r)
{
    staff_or_member_list(r, "review", "review");
}
