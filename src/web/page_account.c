/* page_account.c — sign in and out, the account page with API tokens, language, static files. */
#include <string.h>

#include "web/http.h"

static long SESSION_MAX_AGE = 7 * 24 * 3600;

/* Only local paths are followed after sign-in. */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "/";
    return next;
}

void page_login(req *r)
{
    if (r->c.user) return res_redirect(r, safe_next(req_query(r, "next")));
    const char *next = req_query(r, "next");
    res_page(r, 200, "login", json_pack("{s:s}", "next", safe_next(next)));
}

void page_login_post(req *r)
{
    err e = {0};
    const char *email = req_form(r, "email"), *pw = req_form(r, "password");
    const char *next = safe_next(req_form(r, "next"));
    const char *token;
    user_rec u;
    if (auth_login(&r->c, r->client_ip, email, pw, &token, &u, &e)) {
        json_t *ctx = json_pack("{s:s,s:s,s:s}", "next", next, "email", email ? email : "", "error",
                                i18n_error(r->a, r->lang, &e));
        return res_page(r, err_http_status(e.code), "login", ctx);
    }
    res_set_cookie(r, "dj_sid", token, SESSION_MAX_AGE, true);
    res_redirect(r, next);
}

void page_logout(req *r)
{
    err e = {0};
    if (r->session_token) auth_logout(&r->c, r->session_token, &e);
    res_set_cookie(r, "dj_sid", "", -1, true);
    res_redirect(r, "/");
}

static void account_page(req *r, int status, json_t *extra)
{
    err e = {0};
    token_rec *t;
    int n;
    if (store_token_list(r->c.db, r->a, r->user.id, &t, &n, &e)) {
        json_decref(extra);
        return res_error(r, &e);
    }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)t[i].id,
                                             "name", t[i].name, "prefix", t[i].prefix, "created_at",
                                             t[i].created_at, "last_used_at", t[i].last_used_at,
                                             "revoked", *t[i].revoked_at != 0));
    json_t *ctx = json_pack("{s:o,s:s}", "tokens", arr, "role_label",
                            i18n_get(r->lang, arena_printf(r->a, "role.%s", r->user.role)));
    if (extra) {
        json_object_update(ctx, extra);
        json_decref(extra);
    }
    res_page(r, status, "account", ctx);
}

void page_account(req *r)
{
    account_page(r, 200, NULL);
}

void page_account_password(req *r)
{
    err e = {0};
    const char *cur = req_form(r, "current"), *pw = req_form(r, "password"),
               *again = req_form(r, "password2");
    if (!auth_verify_password(r->user.pw_hash, cur ? cur : "")) {
        err_set(&e, ERR_INVALID, "current", "err.bad_current", "current password is wrong");
    } else if (!str_eq(pw, again)) {
        err_set(&e, ERR_INVALID, "password2", "err.mismatch", "the passwords differ");
    } else if (user_set_password(&r->c, r->user.email, pw, &e) == ERR_OK) {
        /* every session ended, this one too: sign in again */
        res_set_cookie(r, "dj_sid", "", -1, true);
        return res_redirect(r, "/login?changed=1");
    }
    account_page(r, 422, json_pack("{s:s}", "pw_error", i18n_error(r->a, r->lang, &e)));
}

void page_token_create(req *r)
{
    err e = {0};
    const char *secret;
    int64_t id;
    if (auth_token_create(&r->c, req_form(r, "name"), &secret, &id, &e))
        return account_page(r, 422,
                            json_pack("{s:s}", "token_error", i18n_error(r->a, r->lang, &e)));
    account_page(r, 201, json_pack("{s:s}", "new_token", secret));
}

void page_token_revoke(req *r)
{
    err e = {0};
    if (auth_token_revoke(&r->c, r->ids[0], &e)) return res_error(r, &e);
    res_redirect(r, "/account");
}

void page_lang(req *r)
{
    const char *to = req_query(r, "to");
    res_set_cookie(r, "dj_lang", str_eq(to, "en") ? "en" : "zh-CN", 365L * 24 * 3600, false);
    res_redirect(r, safe_next(req_query(r, "back")));
}

void page_static(req *r)
{
    const char *name = r->words[0];
    const asset *a = asset_get(arena_printf(r->a, "web/static/%s", name));
    if (!a) {
        err e;
        err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such file");
        return res_error(r, &e);
    }
    const char *dot = strrchr(name, '.');
    r->ctype = str_eq(dot, ".css")   ? "text/css; charset=utf-8"
               : str_eq(dot, ".js")  ? "text/javascript; charset=utf-8"
               : str_eq(dot, ".svg") ? "image/svg+xml"
                                     : "application/octet-stream";
    buf_putn(&r->out, (const char *)a->data, a->len);
    res_header(r, "Cache-Control", "public, max-age=3600");
    r->status = 200;
}

void page_health(req *r)
{
    res_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "version", DUIJIE_VERSION));
}
