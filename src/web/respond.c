/* respond.c — building responses: pages, JSON, redirects, errors, cookies. */
#include <string.h>

#include "web/http.h"

void res_header(req *r, const char *name, const char *value)
{
    if (r->nheaders < (int)ARRAY_LEN(r->headers))
        r->headers[r->nheaders++] = (kv){name, arena_strdup(r->a, value)};
}

void res_set_cookie(req *r, const char *name, const char *value, long max_age, bool http_only)
{
    const char *v = arena_printf(r->a, "%s=%s; Path=/; SameSite=Lax%s%s%s", name, value,
                                 http_only ? "; HttpOnly" : "",
                                 r->cfg && r->cfg->secure_cookies ? "; Secure" : "",
                                 max_age > 0   ? arena_printf(r->a, "; Max-Age=%ld", max_age)
                                 : max_age < 0 ? "; Max-Age=0"
                                               : "");
    res_header(r, "Set-Cookie", v);
}

void res_json(req *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    buf_reset(&r->out);
    buf_puts(&r->out, s ? s : "null");
    buf_putc(&r->out, '\n');
    free(s);
    json_decref(body);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
}

void res_redirect(req *r, const char *location)
{
    /* only local paths: never an open redirect */
    if (!location || location[0] != '/' || location[1] == '/' || location[1] == '\\')
        location = "/";
    res_header(r, "Location", location);
    r->status = 303;
    buf_reset(&r->out);
}

int err_http_status(err_code c)
{
    switch (c) {
    case ERR_OK:
        return 200;
    case ERR_INVALID:
        return 422;
    case ERR_UNAUTH:
        return 401;
    case ERR_FORBIDDEN:
        return 403;
    case ERR_NOT_FOUND:
        return 404;
    case ERR_CONFLICT:
        return 409;
    case ERR_TOO_LARGE:
        return 413;
    case ERR_RATE:
        return 429;
    default:
        return 500;
    }
}

static json_t *common_context(req *r)
{
    json_t *c = json_object();
    bool en = str_eq(r->lang, "en");
    json_object_set_new(c, "lang", json_string(en ? "en" : "zh-CN"));
    json_object_set_new(c, "html_lang", json_string(en ? "en" : "zh-CN"));
    json_object_set_new(c, "is_en", json_boolean(en));
    json_object_set_new(c, "other_lang", json_string(en ? "zh-CN" : "en"));
    json_object_set_new(c, "other_lang_label", json_string(en ? "中文" : "English"));
    json_object_set_new(c, "csrf", json_string(r->csrf ? r->csrf : ""));
    buf back = {0};
    buf_put_urlenc(&back, r->path);
    if (r->nquery) {
        buf q = {0};
        for (int i = 0; i < r->nquery; i++) {
            buf_printf(&q, "%s", i ? "&" : "?");
            buf_put_urlenc(&q, r->query[i].key);
            buf_putc(&q, '=');
            buf_put_urlenc(&q, r->query[i].val);
        }
        buf_put_urlenc(&back, q.s);
        buf_free(&q);
    }
    json_object_set_new(c, "back", json_string(back.s ? back.s : "%2F"));
    buf_free(&back);
    if (r->c.user) {
        unsigned role = dctx_role(&r->c);
        json_object_set_new(c, "me",
                            json_pack("{s:s,s:s,s:s,s:s}", "name", r->user.name, "email",
                                      r->user.email, "role", r->user.role, "org_name",
                                      r->user.org_name));
        json_object_set_new(c, "is_staff", json_boolean(role & ROLE_STAFF));
        json_object_set_new(c, "can_achievement", json_boolean(role & (ROLE_STAFF | ROLE_INST)));
        json_object_set_new(c, "can_need", json_boolean(role & (ROLE_STAFF | ROLE_ENT)));
        json_object_set_new(c, "has_org", json_boolean(r->user.org_id != 0));
        web_meeting_nav(r, c); /* notices_unread (page_meeting.c) */
    }
    return c;
}

void res_page(req *r, int status, const char *name, json_t *ctx)
{
    json_t *c = common_context(r);
    json_object_set_new(c, "title",
                        json_string(i18n_get(r->lang, arena_printf(r->a, "title.%s", name))));
    json_object_set_new(c, arena_printf(r->a, "nav_%s", name), json_true());
    if (ctx) json_object_update(c, ctx);
    json_decref(ctx);
    buf_reset(&r->out);
    tpl_render(&r->out, name, c, r->lang);
    json_decref(c);
    r->status = status;
    r->ctype = "text/html; charset=utf-8";
    res_header(r, "Cache-Control", "no-store");
}

void res_error(req *r, const err *e)
{
    int status = err_http_status(e->code);
    if (e->code == ERR_INTERNAL) log_error("%s %s: %s", r->method, r->path, e->msg);
    if (r->is_api ||
        (r->accept && strstr(r->accept, "application/json") && !strstr(r->accept, "text/html"))) {
        const char *msg = e->code == ERR_INTERNAL ? "internal error" : e->msg;
        res_json(r, status,
                 json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_code_name(e->code), "message",
                           msg, "field", *e->field ? json_string(e->field) : json_null()));
        return;
    }
    const char *msg =
        e->code == ERR_INTERNAL ? i18n_get(r->lang, "err.internal") : i18n_error(r->a, r->lang, e);
    res_page(r, status, "error",
             json_pack("{s:i,s:s,s:b}", "status", status, "message", msg, "signin",
                       e->code == ERR_UNAUTH));
}
