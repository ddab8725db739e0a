/* template.c — a small logic-less template engine (a Mustache dialect) over jansson values.
 *
 *   {{name}} {{a.b}} {{.}}   value, HTML-escaped          {{{name}}}  value, raw (rare, audited)
 *   {{#name}}…{{/name}}      section: each item of an array, once for an object or true value
 *   {{^name}}…{{/name}}      inverted section: when the value is missing, false, empty or 0
 *   {{> partial}}            another template            {{! comment }}
 *   {{t:key}}                message from the catalog, escaped
 *   {{tv:prefix name}}       message whose key is prefix + the value of name, escaped
 *
 * Templates are the embedded files web/templates/NAME.html. Everything from a user reaches the
 * page through {{…}}, so it is escaped unless a template says {{{…}}}. */
#include <string.h>

#include "web/http.h"

enum { MAX_DEPTH = 32, MAX_PARTIAL_DEPTH = 8 };

typedef struct {
    buf *out;
    const char *lang;
    json_t *stack[MAX_DEPTH];
    int depth;
    int partials;
} tpl_state;

static void render(tpl_state *st, const char *s, size_t n);

static json_t *lookup(tpl_state *st, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.') return st->depth ? st->stack[st->depth - 1] : NULL;
    const char *dot = memchr(name, '.', len);
    size_t first = dot ? (size_t)(dot - name) : len;
    json_t *v = NULL;
    for (int i = st->depth - 1; i >= 0 && !v; i--)
        if (json_is_object(st->stack[i])) v = json_object_getn(st->stack[i], name, first);
    while (v && dot) {
        const char *seg = dot + 1;
        dot = memchr(seg, '.', len - (size_t)(seg - name));
        size_t sl = dot ? (size_t)(dot - seg) : len - (size_t)(seg - name);
        v = json_is_object(v) ? json_object_getn(v, seg, sl) : NULL;
    }
    return v;
}

static bool truthy(json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v)) return false;
    if (json_is_string(v)) return json_string_length(v) > 0;
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    return true;
}

static void emit_value(tpl_state *st, json_t *v, bool raw)
{
    char tmp[64];
    const char *s = NULL;
    size_t n = 0;
    if (json_is_string(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (json_is_integer(v)) {
        n = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        s = tmp;
    } else if (json_is_real(v)) {
        n = (size_t)snprintf(tmp, sizeof tmp, "%.2f", json_real_value(v));
        s = tmp;
    }
    if (!s) return;
    if (raw)
        buf_putn(st->out, s, n);
    else
        buf_put_html(st->out, s, n);
}

static void trim_span(const char **s, size_t *n)
{
    while (*n && (**s == ' '))
        (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

/* Finds the {{/name}} that closes a section opened just before body; returns its offset in
 * body (or -1) and sets *after to the offset just past it. */
static long find_close(const char *body, size_t n, const char *name, size_t nlen, size_t *after)
{
    int level = 1;
    size_t i = 0;
    while (i + 4 <= n) {
        const char *open = memmem(body + i, n - i, "{{", 2);
        if (!open) return -1;
        size_t o = (size_t)(open - body);
        const char *close = memmem(body + o + 2, n - o - 2, "}}", 2);
        if (!close) return -1;
        const char *tag = body + o + 2;
        size_t tlen = (size_t)(close - tag);
        if (tlen > 0 && (tag[0] == '#' || tag[0] == '^' || tag[0] == '/')) {
            const char *tn = tag + 1;
            size_t tnl = tlen - 1;
            trim_span(&tn, &tnl);
            if (tnl == nlen && !memcmp(tn, name, nlen)) {
                if (tag[0] == '/') {
                    if (--level == 0) {
                        *after = (size_t)(close - body) + 2;
                        return (long)o;
                    }
                } else {
                    level++;
                }
            }
        }
        i = (size_t)(close - body) + 2;
    }
    return -1;
}

static void render_partial(tpl_state *st, const char *name, size_t n)
{
    if (st->partials >= MAX_PARTIAL_DEPTH || n > 60) return;
    char path[96];
    snprintf(path, sizeof path, "web/templates/%.*s.html", (int)n, name);
    const asset *a = asset_get(path);
    if (!a) return;
    st->partials++;
    render(st, (const char *)a->data, a->len);
    st->partials--;
}

static void render_message(tpl_state *st, const char *key, size_t n)
{
    char k[128];
    if (n >= sizeof k) return;
    memcpy(k, key, n);
    k[n] = 0;
    const char *msg = i18n_get(st->lang, k);
    buf_put_html(st->out, msg, strlen(msg));
}

static void render(tpl_state *st, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *open = memmem(s + i, n - i, "{{", 2);
        if (!open) {
            buf_putn(st->out, s + i, n - i);
            return;
        }
        buf_putn(st->out, s + i, (size_t)(open - (s + i)));
        size_t o = (size_t)(open - s);
        bool triple = o + 2 < n && s[o + 2] == '{';
        const char *close = memmem(s + o + 2, n - o - 2, triple ? "}}}" : "}}", triple ? 3 : 2);
        if (!close) { /* unterminated tag: print as text */
            buf_putn(st->out, s + o, n - o);
            return;
        }
        const char *tag = s + o + (triple ? 3 : 2);
        size_t tlen = (size_t)(close - tag);
        size_t next = (size_t)(close - s) + (triple ? 3 : 2);
        trim_span(&tag, &tlen);
        if (triple) {
            emit_value(st, lookup(st, tag, tlen), true);
        } else if (tlen && tag[0] == '!') {
            /* comment */
        } else if (tlen && tag[0] == '>') {
            const char *pn = tag + 1;
            size_t pl = tlen - 1;
            trim_span(&pn, &pl);
            render_partial(st, pn, pl);
        } else if (tlen > 2 && !memcmp(tag, "t:", 2)) {
            render_message(st, tag + 2, tlen - 2);
        } else if (tlen > 3 && !memcmp(tag, "tv:", 3)) {
            const char *sp = memchr(tag, ' ', tlen);
            if (sp) {
                const char *vn = sp + 1;
                size_t vl = tlen - (size_t)(vn - tag);
                trim_span(&vn, &vl);
                json_t *v = lookup(st, vn, vl);
                char key[160];
                const char *val = json_is_string(v) ? json_string_value(v) : NULL;
                char num[24];
                if (json_is_integer(v)) {
                    snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
                    val = num;
                }
                if (val) {
                    int kl = snprintf(key, sizeof key, "%.*s%s", (int)(sp - tag - 3), tag + 3, val);
                    if (kl > 0 && (size_t)kl < sizeof key) render_message(st, key, (size_t)kl);
                }
            }
        } else if (tlen && (tag[0] == '#' || tag[0] == '^')) {
            const char *name = tag + 1;
            size_t nl = tlen - 1;
            trim_span(&name, &nl);
            size_t after;
            long end = find_close(s + next, n - next, name, nl, &after);
            if (end < 0) { /* unbalanced: print the rest as text */
                buf_putn(st->out, s + o, n - o);
                return;
            }
            const char *body = s + next;
            json_t *v = lookup(st, name, nl);
            if (tag[0] == '^') {
                if (!truthy(v)) render(st, body, (size_t)end);
            } else if (truthy(v) && st->depth < MAX_DEPTH) {
                if (json_is_array(v)) {
                    size_t k;
                    json_t *item;
                    json_array_foreach(v, k, item)
                    {
                        if (st->depth >= MAX_DEPTH) break;
                        st->stack[st->depth++] = item;
                        render(st, body, (size_t)end);
                        st->depth--;
                    }
                } else {
                    st->stack[st->depth++] = v;
                    render(st, body, (size_t)end);
                    st->depth--;
                }
            }
            next += after;
        } else if (tlen && tag[0] == '/') {
            /* stray close tag: ignore */
        } else {
            emit_value(st, lookup(st, tag, tlen), false);
        }
        i = next;
    }
}

void tpl_render_text(buf *out, const char *text, size_t n, json_t *ctx, const char *lang)
{
    tpl_state st = {.out = out, .lang = lang};
    st.stack[st.depth++] = ctx;
    render(&st, text, n);
}

void tpl_render(buf *out, const char *name, json_t *ctx, const char *lang)
{
    char path[96];
    size_t n = strlen(name);
    if (n > 60) return;
    snprintf(path, sizeof path, "web/templates/%s.html", name);
    const asset *a = asset_get(path);
    if (a) tpl_render_text(out, (const char *)a->data, a->len, ctx, lang);
}
