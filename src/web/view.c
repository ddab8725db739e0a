/* view.c — turning codes into labels and building option lists for pages. */
#include <string.h>

#include "text/highlight.h"
#include "web/http.h"

static const char *field_label(req *r, const char *code)
{
    const field_rec *f = taxonomy_field(code);
    if (!f) return code;
    return str_eq(r->lang, "en") ? f->name_en : f->name_zh;
}

static json_t *labelled(req *r, const char *prefix, json_t *codes)
{
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(codes, i, c)
    {
        const char *code = json_string_value(c);
        if (!code) continue;
        json_array_append_new(out,
                              json_pack("{s:s,s:s}", "code", code, "label", tf(r, prefix, code)));
    }
    return out;
}

void view_decorate_listing(req *r, json_t *l)
{
    const char *kind = json_string_value(json_object_get(l, "kind"));
    bool need = str_eq(kind, "need");
    const char *field = json_string_value(json_object_get(l, "field"));
    const field_rec *f = taxonomy_field(field);
    json_object_set_new(l, "is_need", json_boolean(need));
    json_object_set_new(l, "has_keywords",
                        json_boolean(json_array_size(json_object_get(l, "keywords")) > 0));
    json_object_set_new(
        l, "url",
        json_string(arena_printf(r->a, "/%s/%lld", need ? "needs" : "achievements",
                                 (long long)json_integer_value(json_object_get(l, "id")))));
    json_object_set_new(l, "field_name", json_string(field_label(r, field)));
    if (f && *f->parent)
        json_object_set_new(l, "field_parent_name", json_string(field_label(r, f->parent)));
    json_t *trl = json_object_get(l, need ? "trl_min" : "trl");
    if (json_is_integer(trl)) {
        int v = (int)json_integer_value(trl);
        json_object_set_new(l, "trl_label",
                            json_string(tf(r, "trl.", arena_printf(r->a, "%d", v))));
        json_object_set_new(l, "stage_label",
                            json_string(tf(r, "stage.", arena_printf(r->a, "%d", trl_stage(v)))));
    }
    json_t *modes = json_object_get(l, need ? "cooperation" : "transfer_modes");
    json_object_set_new(l, "modes", labelled(r, "mode.", modes));
    json_object_set_new(
        l, "status_label",
        json_string(tf(r, "status.", json_string_value(json_object_get(l, "status")))));
    json_t *price = json_object_get(l, need ? "budget_wan" : "price_wan");
    const char *price_label = t(r, "price.negotiable");
    if (json_is_integer(price)) {
        long long wan = (long long)json_integer_value(price);
        if (str_eq(r->lang, "en")) { /* 万元 → yuan with thousands separators */
            char digits[32], grouped[48];
            int nd = snprintf(digits, sizeof digits, "%lld0000", wan), k = 0;
            for (int i = 0; i < nd; i++) {
                if (i && (nd - i) % 3 == 0) grouped[k++] = ',';
                grouped[k++] = digits[i];
            }
            grouped[k] = 0;
            price_label = arena_printf(r->a, "CNY %s", wan ? grouped : "0");
        } else {
            price_label = arena_printf(r->a, "%lld %s", wan, t(r, "unit.wan"));
        }
    }
    json_object_set_new(l, "price_label", json_string(price_label));
    if (need)
        json_object_set_new(
            l, "type_label",
            json_string(tf(r, "needtype.", json_string_value(json_object_get(l, "type")))));
    json_t *org = json_object_get(l, "org");
    if (json_is_object(org)) {
        json_object_set_new(
            org, "type_label",
            json_string(tf(r, "orgtype.", json_string_value(json_object_get(org, "type")))));
        const char *en = json_string_value(json_object_get(org, "name_en"));
        json_object_set_new(org, "display_name",
                            json_string(str_eq(r->lang, "en") && en && *en
                                            ? en
                                            : json_string_value(json_object_get(org, "name"))));
    }
    const char *pub = json_string_value(json_object_get(l, "published_at"));
    if (pub && strlen(pub) >= 10)
        json_object_set_new(l, "published_date", json_string(arena_strndup(r->a, pub, 10)));
    const char *status = json_string_value(json_object_get(l, "status"));
    json_object_set_new(l, "is_draft", json_boolean(str_eq(status, "draft")));
    json_object_set_new(l, "is_submitted", json_boolean(str_eq(status, "submitted")));
    json_object_set_new(l, "is_published", json_boolean(str_eq(status, "published")));
    /* a short excerpt for lists */
    const char *text = json_string_value(json_object_get(l, need ? "description" : "summary"));
    if (text) {
        size_t n = 0, chars = 0;
        while (text[n] && chars < 120) {
            n++;
            while (((unsigned char)text[n] & 0xc0) == 0x80)
                n++;
            chars++;
        }
        json_object_set_new(
            l, "excerpt", json_string(text[n] ? arena_printf(r->a, "%.*s…", (int)n, text) : text));
    }
}

json_t *view_field_options(req *r, const char *selected)
{
    int n;
    const field_rec *fields = taxonomy_fields(&n);
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            out,
            json_pack("{s:s,s:s,s:b,s:b}", "code", fields[i].code, "label",
                      str_eq(r->lang, "en") ? fields[i].name_en : fields[i].name_zh, "selected",
                      str_eq(selected, fields[i].code), "child", *fields[i].parent != 0));
    return out;
}

json_t *view_code_options(req *r, const char *prefix, const char *const *codes, int n,
                          const char *selected)
{
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        char needle[48];
        snprintf(needle, sizeof needle, ",%s,", codes[i]);
        bool sel = selected && (str_eq(selected, codes[i]) || strstr(selected, needle));
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "code", codes[i], "label",
                                             tf(r, prefix, codes[i]), "selected", sel));
    }
    return out;
}

json_t *view_event_options(req *r, int64_t selected, const event_rec **chosen)
{
    json_t *arr = json_array();
    event_rec *ev;
    int n;
    err e = {0};
    if (event_list(&r->c, &ev, &n, &e)) return arr;
    for (int i = 0; i < n; i++) {
        if (chosen && ev[i].id == selected) *chosen = &ev[i];
        json_array_append_new(arr,
                              json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)ev[i].id, "title",
                                        is_en(r) && *ev[i].title_en ? ev[i].title_en : ev[i].title,
                                        "date", ev[i].date, "selected", ev[i].id == selected));
    }
    return arr;
}

json_t *view_pagination(req *r, int64_t total, int page, int per_page)
{
    int64_t pages = (total + per_page - 1) / per_page;
    if (pages < 1) pages = 1;
    json_t *p = json_pack("{s:i,s:I,s:I}", "page", page, "pages", (json_int_t)pages, "total",
                          (json_int_t)total);
    for (int dir = -1; dir <= 1; dir += 2) {
        int target = page + dir;
        if (target < 1 || target > pages) continue;
        buf u = {0};
        buf_puts(&u, r->path);
        buf_putc(&u, '?');
        for (int i = 0; i < r->nquery; i++) {
            if (str_eq(r->query[i].key, "page")) continue;
            buf_put_urlenc(&u, r->query[i].key);
            buf_putc(&u, '=');
            buf_put_urlenc(&u, r->query[i].val);
            buf_putc(&u, '&');
        }
        buf_printf(&u, "page=%d", target);
        json_object_set_new(p, dir < 0 ? "prev_url" : "next_url", json_string(u.s));
        buf_free(&u);
    }
    return p;
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

void view_listing_input_from_form(req *r, listing_input *in)
{
    memset(in, 0, sizeof *in);
    in->org = req_form(r, "org");
    in->title = req_form(r, "title");
    in->summary = req_form(r, "summary");
    in->description = req_form(r, "description");
    in->advantages = req_form(r, "advantages");
    in->field = req_form(r, "field");
    in->keywords = req_form(r, "keywords");
    in->trl = req_form(r, "trl");
    in->patents = req_form(r, "patents");
    in->modes = form_all(r, "modes");
    in->price_wan = req_form(r, "price_wan");
    in->need_type = req_form(r, "type");
    in->deadline = req_form(r, "deadline");
    in->anonymous = req_form(r, "anonymous");
    in->contact_name = req_form(r, "contact_name");
    in->contact_phone = req_form(r, "contact_phone");
    in->contact_email = req_form(r, "contact_email");
    in->lang = req_form(r, "lang");
}

err_code view_filter_from_query(req *r, const char *kind, listing_filter *f, int *page,
                                int *per_page, err *e)
{
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->q = req_query(r, "q");
    if (f->q && utf8_count(f->q) > 200)
        return err_set(e, ERR_INVALID, "q", "err.too_long", "q is longer than 200 characters");
    f->field = req_query(r, "field");
    if (f->field && *f->field && !taxonomy_field(f->field))
        return err_set(e, ERR_INVALID, "field", "err.unknown_field", "unknown field");
    f->mode = req_query(r, "mode");
    if (f->mode && *f->mode && !listing_mode_valid(kind, f->mode))
        return err_set(e, ERR_INVALID, "mode", "err.choice", "unknown mode");
    f->org_type = req_query(r, "org_type");
    if (f->org_type && *f->org_type && !org_type_valid(f->org_type))
        return err_set(e, ERR_INVALID, "org_type", "err.choice", "unknown org_type");
    f->region = req_query(r, "region");
    f->need_type = str_eq(kind, "need") ? req_query(r, "type") : NULL;
    f->sort = req_query(r, "sort");
    if (f->sort && *f->sort && !str_eq(f->sort, "new") && !str_eq(f->sort, "old") &&
        !str_eq(f->sort, "title") && !str_eq(f->sort, "relevance"))
        return err_set(e, ERR_INVALID, "sort", "err.choice",
                       "sort must be relevance, new, old or title");
    int64_t v;
    const char *s = req_query(r, "stage");
    if (s && *s) {
        if (!str_to_i64(s, 1, 4, &v))
            return err_set(e, ERR_INVALID, "stage", "err.choice", "stage must be 1–4");
        f->stage = (int)v;
    }
    *page = 1;
    s = req_query(r, "page");
    if (s && *s) {
        if (!str_to_i64(s, 1, 100000, &v))
            return err_set(e, ERR_INVALID, "page", "err.choice", "page must be a positive number");
        *page = (int)v;
    }
    *per_page = 20;
    s = req_query(r, "per_page");
    if (s && *s) {
        if (!str_to_i64(s, 1, 100, &v))
            return err_set(e, ERR_INVALID, "per_page", "err.choice", "per_page must be 1–100");
        *per_page = (int)v;
    }
    f->limit = *per_page;
    f->offset = (*page - 1) * *per_page;
    return ERR_OK;
}

/* Cuts text to its best window for q and splits it into highlighted and plain segments. */
static json_t *snippet(req *r, const char *q, const char *text)
{
    err e = {0};
    text_analyzer *ta = matching_analyzer(&e);
    json_t *segs = json_array();
    if (!ta || !text || !*text) return segs;
    hl_query hq;
    if (hl_query_init(ta, q, &hq, &e)) return segs;
    size_t n = strlen(text);
    hl_span spans[64];
    int ns = hl_spans(ta, &hq, text, n, spans, 64);
    size_t a, b;
    hl_window(text, n, spans, ns, 140, &a, &b);
    size_t at = a;
    if (a > 0) json_array_append_new(segs, json_pack("{s:s,s:b}", "t", "…", "hit", 0));
    for (int i = 0; i < ns; i++) {
        if (spans[i].end <= a || spans[i].start >= b) continue;
        size_t s0 = spans[i].start < a ? a : spans[i].start,
               s1 = spans[i].end > b ? b : spans[i].end;
        if (s0 > at)
            json_array_append_new(segs, json_pack("{s:s%,s:b}", "t", text + at, s0 - at, "hit", 0));
        json_array_append_new(segs, json_pack("{s:s%,s:b}", "t", text + s0, s1 - s0, "hit", 1));
        at = s1;
    }
    if (b > at)
        json_array_append_new(segs, json_pack("{s:s%,s:b}", "t", text + at, b - at, "hit", 0));
    if (b < n) json_array_append_new(segs, json_pack("{s:s,s:b}", "t", "…", "hit", 0));
    hl_query_free(&hq);
    return segs;
}

json_t *view_match(req *r, const match_result *m, const char *q)
{
    json_t *j = listing_to_json(&r->c, &m->l);
    view_decorate_listing(r, j);
    json_object_set_new(j, "score", json_integer((json_int_t)(m->score + 0.5f)));
    json_t *terms = json_array();
    for (int i = 0; i < m->nterms; i++)
        json_array_append_new(terms, json_string(m->terms[i]));
    json_object_set_new(j, "match_terms", terms);
    json_object_set_new(j, "has_match_terms", json_boolean(m->nterms > 0));
    static const char *keys[] = {"factor.same_field", "factor.same_parent", "factor.trl_ok",
                                 "factor.modes", "factor.same_city"};
    json_t *factors = json_array();
    for (int i = 0; i < 5; i++)
        if (m->factors & (1u << i)) json_array_append_new(factors, json_string(t(r, keys[i])));
    json_object_set_new(j, "factors", factors);
    json_object_set_new(j, "has_factors", json_boolean(m->factors != 0));
    if (q && *q) {
        bool need = str_eq(m->l.kind, "need");
        const char *src = !need && *m->l.summary ? m->l.summary : m->l.description;
        json_t *sn = snippet(r, q, src);
        /* when the summary holds no match, the description may */
        bool any = false;
        size_t i;
        json_t *seg;
        json_array_foreach(sn, i, seg) any |= json_is_true(json_object_get(seg, "hit"));
        if (!any && src != m->l.description) {
            json_decref(sn);
            sn = snippet(r, q, m->l.description);
        }
        json_object_set_new(j, "snippet", sn);
        json_object_set_new(j, "has_snippet", json_true());
        json_object_set_new(j, "title_hl", snippet(r, q, m->l.title));
    }
    return j;
}
