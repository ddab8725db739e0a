/* server.c — libmicrohttpd glue: the request's way through the house.
 * callback → arena → body with size limit → parse → session or bearer → route → handler →
 * response with security headers → arena freed. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>

#include "io/io.h"
#include "web/cache.h"
#include "web/http.h"

static store *web_store;
static const web_config *web_cfg;

/* Per-connection state while the body arrives. */
typedef struct {
    buf body;
    bool too_large;
    bool upload_slot; /* holds one of the UPLOADS_MAX slots (released in on_completed) */
    size_t limit;     /* body bytes allowed: max_body, or WEB_UPLOAD_MAX for spreadsheet uploads */
    struct timespec start;
} conn_state;

/* Uploads: the large limit (WEB_UPLOAD_MAX) is granted only to a request that already carries
 * a valid staff session or bearer token in its headers, and to at most UPLOADS_MAX at once, so
 * anonymous clients can never make the server buffer more than max_body per connection, and
 * staff at most UPLOADS_MAX × WEB_UPLOAD_MAX in all. A body must arrive within
 * BODY_DEADLINE_S (UPLOAD_DEADLINE_S for uploads) of the request's start: a client that drips
 * bytes just fast enough to dodge the idle timeout (slowloris) is cut off. */
enum { UPLOADS_MAX = 4, BODY_DEADLINE_S = 60, UPLOAD_DEADLINE_S = 600 };
static atomic_int uploads_in_flight;

static const char *security_csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

static void add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy", security_csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
}

static enum MHD_Result send_simple(struct MHD_Connection *conn, int status, const char *ctype,
                                   const char *body)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", ctype);
    add_security_headers(resp);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    req *r = cls;
    if (str_eq(key, "Content-Type") || !strcasecmp(key, "content-type"))
        r->content_type = value;
    else if (!strcasecmp(key, "authorization"))
        r->authorization = value;
    else if (!strcasecmp(key, "x-csrf-token"))
        r->csrf_header = value;
    else if (!strcasecmp(key, "accept"))
        r->accept = value;
    else if (!strcasecmp(key, "x-forwarded-for") && r->cfg && r->cfg->trust_proxy && value) {
        /* the last hop is the address our own proxy saw; earlier ones are client-supplied */
        const char *last = strrchr(value, ',');
        char *ip = str_trim(arena_strdup(r->a, last ? last + 1 : value));
        if (*ip && strlen(ip) <= 45 && strspn(ip, "0123456789abcdefABCDEF.:") == strlen(ip))
            r->client_ip = ip;
    } else if (!strcasecmp(key, "cookie") && value)
        req_parse_cookies(r->a, value, &r->cookies, &r->ncookies);
    return MHD_YES;
}

/* Collects up to 32 query arguments; nquery = -1 marks invalid UTF-8. */
static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    req *r = cls;
    if (r->nquery < 0) return MHD_NO;
    if (!utf8_valid_text(key, strlen(key)) || (value && !utf8_valid_text(value, strlen(value)))) {
        r->nquery = -1;
        return MHD_NO;
    }
    if (r->nquery < 32) r->query[r->nquery++] = (kv){key, value ? value : ""};
    return MHD_YES;
}

/* Matches path against pattern, capturing ":id" (digits) and ":w" (lowercase word). */
static bool route_match(const char *pattern, const char *path, req *r)
{
    int nid = 0, nw = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == ':') {
            bool digits = p[1] == 'i';
            const char *start = s;
            while (*s && *s != '/') {
                if (digits ? !(*s >= '0' && *s <= '9')
                           : !((*s >= 'a' && *s <= 'z') || *s == '_' || *s == '.' || *s == '-' ||
                               (*s >= '0' && *s <= '9')))
                    return false;
                s++;
            }
            if (s == start || s - start > 40) return false;
            while (*p && *p != '/')
                p++;
            if (digits) {
                if (nid == 2) return false;
                char tmp[41];
                memcpy(tmp, start, (size_t)(s - start));
                tmp[s - start] = 0;
                if (!str_to_i64(tmp, 1, INT64_MAX, &r->ids[nid++])) return false;
            } else {
                if (nw == 2) return false;
                r->words[nw++] = arena_strndup(r->a, start, (size_t)(s - start));
            }
            continue;
        }
        if (*p != *s) return false;
        p++;
        s++;
    }
    return *p == 0 && *s == 0;
}

/* Resolves the user from a bearer token or the session cookie. A visitor gets the pre-session
 * CSRF cookie (for the sign-in form) unless no_pre: pages served from the cache carry none. */
static void identify(req *r, bool no_pre)
{
    err e = {0};
    if (r->authorization && !strncasecmp(r->authorization, "Bearer ", 7)) {
        if (auth_bearer(&r->c, r->authorization + 7, &r->user, &e) == ERR_OK) {
            r->c.user = &r->user;
            r->via_bearer = true;
        }
        return;
    }
    const char *sid = req_cookie(r, "dj_sid");
    if (sid) {
        const char *csrf;
        if (auth_session(&r->c, sid, &r->user, &csrf, &e) == ERR_OK) {
            r->c.user = &r->user;
            r->session_token = sid;
            r->csrf = csrf;
        }
    }
    if (!r->csrf && !no_pre) { /* a visitor: double-submit cookie for the sign-in form */
        const char *pre = req_cookie(r, "dj_pre");
        if (pre && strlen(pre) == 43) {
            r->csrf = pre;
        } else {
            r->csrf = auth_random_secret(r->a);
            res_set_cookie(r, "dj_pre", r->csrf, 0, true);
        }
    }
}

static bool csrf_ok(req *r)
{
    if (r->via_bearer) return true;
    const char *given = r->csrf_header ? r->csrf_header : req_form(r, "_csrf");
    if (!given && r->json) given = json_string_value(json_object_get(r->json, "_csrf"));
    if (!given || !r->csrf || strlen(given) != strlen(r->csrf)) return false;
    return sodium_memcmp(given, r->csrf, strlen(given)) == 0;
}

/* The route for this method and path, or NULL. */
static const route *route_for(req *r)
{
    for (const route *rt = web_routes; rt->method; rt++) {
        if (!str_eq(rt->method, r->method) &&
            !(str_eq(r->method, "HEAD") && str_eq(rt->method, "GET")))
            continue;
        r->ids[0] = r->ids[1] = 0;
        if (route_match(rt->pattern, r->path, r)) return rt;
    }
    return NULL;
}

/* The cache key of an anonymous read: language, path and the query arguments in order. */
static const char *cache_key(req *r)
{
    buf k = {0};
    buf_printf(&k, "%s\x1f%s", r->lang, r->path);
    for (int i = 0; i < r->nquery; i++)
        buf_printf(&k, "\x1f%s=%s", r->query[i].key, r->query[i].val);
    const char *out = arena_strdup(r->a, k.s);
    buf_free(&k);
    return out;
}

static void dispatch(req *r)
{
    const route *match = NULL;
    bool path_known = false;
    for (const route *rt = web_routes; rt->method; rt++) {
        r->ids[0] = r->ids[1] = 0;
        if (!route_match(rt->pattern, r->path, r)) continue;
        path_known = true;
        if (str_eq(rt->method, r->method) ||
            (str_eq(r->method, "HEAD") && str_eq(rt->method, "GET"))) {
            match = rt;
            break;
        }
    }
    err e = {0};
    if (!match) {
        if (path_known) {
            buf allow = {0};
            for (const route *rt = web_routes; rt->method; rt++)
                if (route_match(rt->pattern, r->path, r) &&
                    !strstr(allow.s ? allow.s : "", rt->method))
                    buf_printf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
            err_set(&e, ERR_INVALID, NULL, "err.method", "method %s not allowed here", r->method);
            res_error(r, &e);
            r->status = 405;
            res_header(r, "Allow", allow.s ? allow.s : "");
            buf_free(&allow);
        } else {
            err_set(&e, ERR_NOT_FOUND, NULL, "err.not_found", "no such page");
            res_error(r, &e);
        }
        return;
    }
    r->route = match;
    /* bodies: forms or JSON, validated before any handler sees them */
    bool multipart = r->content_type && str_starts(r->content_type, "multipart/form-data");
    if (r->body_len && multipart) {
        /* file uploads: binary parts stay in r->body for the handler, text fields (UTF-8
         * checked) go to r->form so that the router can check the CSRF field */
        if (!web_upload_path(r->path) ||
            !req_parse_multipart(r->a, r->content_type, r->body, r->body_len, &r->form, &r->nform,
                                 NULL, NULL)) {
            err_set(&e, ERR_INVALID, NULL, "err.form", "malformed form data");
            res_error(r, &e);
            return;
        }
    } else if (r->body_len) {
        if (r->body_len > r->cfg->max_body) { /* only a multipart upload may be this large */
            err_set(&e, ERR_TOO_LARGE, NULL, "err.too_large", "request body too large");
            res_error(r, &e);
            return;
        }
        if (!utf8_valid(r->body, r->body_len)) {
            err_set(&e, ERR_INVALID, NULL, "err.utf8", "request body is not valid UTF-8");
            res_error(r, &e);
            return;
        }
        bool is_json = r->content_type && strstr(r->content_type, "application/json");
        if (is_json) {
            json_error_t je;
            r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
            if (!r->json) {
                err_set(&e, ERR_INVALID, NULL, "err.json", "invalid JSON: %s (line %d)", je.text,
                        je.line);
                res_error(r, &e);
                return;
            }
        } else if (!req_parse_urlencoded(r->a, r->body, r->body_len, &r->form, &r->nform)) {
            err_set(&e, ERR_INVALID, NULL, "err.form", "malformed form data");
            res_error(r, &e);
            return;
        }
    }
    if (match->roles) {
        if (!r->c.user) {
            if (!r->is_api) {
                buf next = {0};
                buf_puts(&next, "/login?next=");
                buf_put_urlenc(&next, r->path);
                res_redirect(r, arena_strdup(r->a, next.s));
                buf_free(&next);
                return;
            }
            err_set(&e, ERR_UNAUTH, NULL, "err.signin", "sign in or send a bearer token");
            res_error(r, &e);
            return;
        }
        if (!(dctx_role(&r->c) & match->roles)) {
            err_set(&e, ERR_FORBIDDEN, NULL, "err.forbidden", "your role may not do this");
            res_error(r, &e);
            return;
        }
    }
    if (match->csrf && !csrf_ok(r)) {
        err_set(&e, ERR_FORBIDDEN, NULL, "err.csrf",
                "missing or wrong CSRF token (reload the page and try again)");
        res_error(r, &e);
        return;
    }
    match->fn(r);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->out.len, r->out.s ? r->out.s : (char *)"", MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    add_security_headers(resp);
    for (int i = 0; i < r->nheaders; i++) {
        /* never split a header: a value with CR or LF (say, a file name from user data) is
         * dropped and logged rather than sent */
        if (strpbrk(r->headers[i].key, "\r\n:") || strpbrk(r->headers[i].val, "\r\n")) {
            log_error("%s %s: header %s dropped (CR/LF in it)", r->method, r->path,
                      r->headers[i].key);
            continue;
        }
        MHD_add_response_header(resp, r->headers[i].key, r->headers[i].val);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)(r->status ? r->status : 200), resp);
    MHD_destroy_response(resp);
    return ret;
}

static const char *client_ip(struct MHD_Connection *conn, arena *a)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip,
                      sizeof ip);
    }
    return arena_strdup(a, ip);
}

/* Whether the headers of conn carry a staff session (cookie dj_sid) or a staff bearer token:
 * only then may the body be as large as an upload. Reads the store; refuses on any error. */
static bool upload_allowed(struct MHD_Connection *conn)
{
    const char *authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
    bool bearer = authz && !strncasecmp(authz, "Bearer ", 7);
    if (!bearer && !cookie) return false;
    req r = {0};
    r.a = arena_new();
    err e = {0};
    bool ok = false;
    const char *sid = NULL;
    if (!bearer) {
        req_parse_cookies(r.a, cookie, &r.cookies, &r.ncookies);
        sid = req_cookie(&r, "dj_sid");
    }
    if (bearer || sid) {
        r.c.a = r.a;
        r.c.db = store_acquire(web_store, &e);
        if (r.c.db) {
            const char *csrf;
            if ((bearer ? auth_bearer(&r.c, authz + 7, &r.user, &e)
                        : auth_session(&r.c, sid, &r.user, &csrf, &e)) == ERR_OK) {
                r.c.user = &r.user;
                ok = dctx_is_staff(&r.c);
            }
            store_release(web_store, r.c.db);
        }
    }
    arena_free(r.a);
    return ok;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    conn_state *cs = *con_cls;
    if (!cs) {
        cs = xcalloc(1, sizeof *cs);
        clock_gettime(CLOCK_MONOTONIC, &cs->start);
        *con_cls = cs;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        bool has_len = cl && str_to_i64(cl, 0, INT64_MAX, &n);
        cs->limit = web_cfg->max_body;
        /* a body beyond max_body only for a staff upload, and only while a slot is free */
        if (web_upload_path(url) && str_eq(method, "POST") && (!has_len || (size_t)n > cs->limit) &&
            upload_allowed(conn)) {
            if (atomic_fetch_add(&uploads_in_flight, 1) < UPLOADS_MAX) {
                cs->upload_slot = true;
                cs->limit = WEB_UPLOAD_MAX;
            } else {
                atomic_fetch_sub(&uploads_in_flight, 1);
                cs->too_large = true;
                bool api = str_starts(url, "/api/");
                struct MHD_Response *resp;
                const char *body = api ? "{\"error\":{\"code\":\"rate_limited\",\"message\":"
                                         "\"too many uploads at once, try again in a minute\","
                                         "\"field\":null}}"
                                       : "503 too many uploads at once, try again in a minute\n";
                resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
                                                       MHD_RESPMEM_PERSISTENT);
                MHD_add_response_header(resp, "Content-Type",
                                        api ? "application/json" : "text/plain; charset=utf-8");
                MHD_add_response_header(resp, "Retry-After", "60");
                add_security_headers(resp);
                enum MHD_Result ret = MHD_queue_response(conn, 503, resp);
                MHD_destroy_response(resp);
                return ret;
            }
        }
        if (has_len && (size_t)n > cs->limit) {
            cs->too_large = true;
            return send_simple(
                conn, 413,
                str_starts(url, "/api/") ? "application/json" : "text/plain; charset=utf-8",
                str_starts(url, "/api/") ? "{\"error\":{\"code\":\"payload_too_large\",\"message\":"
                                           "\"request body too large\",\"field\":null}}"
                                         : "413 request body too large\n");
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (seconds_since(&cs->start) > (cs->upload_slot ? UPLOAD_DEADLINE_S : BODY_DEADLINE_S)) {
            log_info("%s %s: body too slow, connection closed", method, url);
            return MHD_NO; /* slowloris: close the connection */
        }
        if (!cs->too_large && cs->body.len + *upload_size <= cs->limit)
            buf_putn(&cs->body, upload_data, *upload_size);
        else
            cs->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }

    req r = {0};
    r.a = arena_new();
    r.cfg = web_cfg;
    r.method = method;
    r.path = url;
    r.is_api = str_starts(url, "/api/");
    r.client_ip = client_ip(conn, r.a);
    r.body = cs->body.s ? cs->body.s : "";
    r.body_len = cs->body.len;
    err e = {0};
    if (cs->too_large) {
        err_set(&e, ERR_TOO_LARGE, NULL, "err.too_large", "request body too large");
        r.lang = "zh-CN";
        res_error(&r, &e);
        goto send;
    }
    if (!utf8_valid_text(url, strlen(url))) {
        err_set(&e, ERR_INVALID, NULL, "err.utf8", "URL is not valid UTF-8");
        r.lang = "zh-CN";
        res_error(&r, &e);
        goto send;
    }
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_kv, &r);
    /* libmicrohttpd splits the query off `url` and decodes it; collect the arguments */
    r.query = arena_alloc(r.a, sizeof(kv) * 32);
    if (MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &r) < 0 ||
        r.nquery < 0) {
        r.nquery = 0;
        err_set(&e, ERR_INVALID, NULL, "err.utf8", "query string is not valid UTF-8");
        r.lang = "zh-CN";
        res_error(&r, &e);
        goto send;
    }
    r.c.a = r.a;
    r.c.db = store_acquire(web_store, &e);
    if (!r.c.db) {
        r.lang = "zh-CN";
        log_error("database: %s", e.msg);
        res_error(&r, &e);
        goto send;
    }
    {
        const char *l = req_cookie(&r, "dj_lang");
        r.lang = str_eq(l, "en") ? "en" : "zh-CN";
    }
    {
        /* anonymous reads of the public catalog may come from the response cache */
        const route *rt = route_for(&r);
        bool cacheable = rt && rt->cache && !r.authorization && !req_cookie(&r, "dj_sid");
        int64_t gen = 0;
        const char *key = NULL;
        if (cacheable && store_catalog_generation(r.c.db, &gen, &e) == ERR_OK) {
            key = cache_key(&r);
            if (cache_get(key, gen, &r.out, &r.ctype)) {
                r.status = 200;
                res_header(&r, "Cache-Control", "no-store");
                store_release(web_store, r.c.db);
                goto send;
            }
        }
        identify(&r, cacheable);
        dispatch(&r);
        if (key && (r.status == 200 || r.status == 0) && r.ctype && !r.c.user)
            cache_put(key, gen, r.out.s ? r.out.s : "", r.out.len, r.ctype);
    }
    store_release(web_store, r.c.db);
send:;
    enum MHD_Result ret = send_response(conn, &r);
    if (!log_quiet) {
        struct timespec end;
        clock_gettime(CLOCK_MONOTONIC, &end);
        double ms = (double)(end.tv_sec - cs->start.tv_sec) * 1e3 +
                    (double)(end.tv_nsec - cs->start.tv_nsec) / 1e6;
        log_info("%s %s %s %d %.1fms", r.client_ip ? r.client_ip : "?", method, url,
                 r.status ? r.status : 200, ms);
    }
    json_decref(r.json);
    buf_free(&r.out);
    arena_free(r.a);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    conn_state *cs = *con_cls;
    if (!cs) return;
    buf_free(&cs->body);
    if (cs->upload_slot) atomic_fetch_sub(&uploads_in_flight, 1);
    free(cs);
    *con_cls = NULL;
}

/* Parses "ADDR:PORT" or "[ADDR6]:PORT". */
static bool parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6)
{
    char host[128];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host) return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    int64_t port;
    if (!str_to_i64(colon + 1, 1, 65535, &port)) return false;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') return false;
        host[n - 1] = 0;
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *v6 = false;
    if (!*host || str_eq(host, "*")) return true;
    if (str_eq(host, "localhost")) return inet_pton(AF_INET, "127.0.0.1", &a4->sin_addr) == 1;
    return inet_pton(AF_INET, host, &a4->sin_addr) == 1;
}

int web_serve(const web_config *cfg)
{
    /* An upload is at most WEB_UPLOAD_MAX (16 MiB) and at most 4 run at once: an XLSX that
     * inflates to more than 8 times that is refused, so one upload holds at most ~128 MiB of
     * shared strings instead of the command line's 512 MiB (IO_MAX_UNZIPPED). */
    io_xlsx_max_unzipped = (size_t)8 * WEB_UPLOAD_MAX;
    if (sodium_init() < 0) {
        fprintf(stderr, "duijie: libsodium failed to initialize\n");
        return 1;
    }
    struct sockaddr_storage ss;
    bool v6;
    if (!parse_listen(cfg->listen, &ss, &v6)) {
        fprintf(stderr, "duijie: --listen must be ADDR:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    err e = {0};
    web_store = store_open(cfg->db_url, cfg->threads, &e);
    if (!web_store) {
        fprintf(stderr, "duijie: %s\n", e.msg);
        return 1;
    }
    db *d = store_acquire(web_store, &e);
    if (!d || taxonomy_load(d, &e) || matching_start(d, &e)) {
        fprintf(stderr, "duijie: %s\n", e.msg);
        store_release(web_store, d);
        store_close(web_store);
        return 1;
    }
    store_release(web_store, d);
    i18n_init();
    web_cfg = cfg;

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* worker threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (v6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->conn_timeout, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!daemon) {
        fprintf(stderr, "duijie: cannot listen on %s (in use, or no permission)\n", cfg->listen);
        store_close(web_store);
        return 1;
    }
    printf("duijie %s serving http://%s/ (database %s, %d threads)\n", DUIJIE_VERSION, cfg->listen,
           cfg->db_url, cfg->threads);
    fflush(stdout);
    int sig;
    sigwait(&sigs, &sig);
    log_info("signal %d: shutting down", sig);
    MHD_stop_daemon(daemon);
    cache_clear();
    matching_stop();
    store_close(web_store);
    return 0;
}
