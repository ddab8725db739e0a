/* matching.c — the process-wide search index over published listings: built at start from the
 * store, kept current after every write, and queried for catalog search, recommendations and
 * the API. Turns raw hits into listings with reasons (matched terms and structured factors). */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "domain/domain.h"
#include "match/match.h"
#include "text/highlight.h"
#include "text/text.h"

enum {
    SEARCH_CANDIDATES = 1000, /* text hits considered for filters, facets and paging */
    REASON_TERMS = 6,
    GLOSSARY_MAX = 512,
};

static pthread_rwlock_t ix_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static match_index *ix;
static pthread_key_t ta_key;
static pthread_once_t ta_once = PTHREAD_ONCE_INIT;

/* One glossary pair, normalized: when one side occurs in a query the other side's terms are
 * added to it with a reduced weight. */
typedef struct {
    char *zh, *en; /* normalized phrases */
    char **zh_terms, **en_terms;
    uint8_t *zh_kinds, *en_kinds;
    int nzh, nen;
} gloss_entry;
static gloss_entry glossary[GLOSSARY_MAX];
static int nglossary;

static void ta_free(void *p)
{
    text_analyzer_free(p);
}

static void ta_key_make(void)
{
    pthread_key_create(&ta_key, ta_free);
}

/* This thread's analyzer (created on first use, freed when the thread ends). */
static text_analyzer *thread_analyzer(err *e)
{
    pthread_once(&ta_once, ta_key_make);
    text_analyzer *ta = pthread_getspecific(ta_key);
    if (!ta) {
        ta = text_analyzer_new(e);
        if (ta) pthread_setspecific(ta_key, ta);
    }
    return ta;
}

text_analyzer *matching_analyzer(err *e)
{
    return thread_analyzer(e);
}

static const char *const mode_codes[] = {"transfer", "license", "joint",
                                         "equity",   "service", "commission"};

static uint8_t modes_bits(const char *modes)
{
    uint8_t bits = 0;
    for (size_t i = 0; i < ARRAY_LEN(mode_codes); i++) {
        char needle[24];
        snprintf(needle, sizeof needle, ",%s,", mode_codes[i]);
        if (modes && strstr(modes, needle)) bits |= (uint8_t)(1u << i);
    }
    return bits;
}

/* Field number for the index: position in the taxonomy + 1 (0 = none). */
static uint16_t field_number(const char *code)
{
    int n;
    const field_rec *f = taxonomy_fields(&n);
    for (int i = 0; code && *code && i < n; i++)
        if (str_eq(f[i].code, code)) return (uint16_t)(i + 1);
    return 0;
}

static uint16_t parent_number(const char *code)
{
    const field_rec *f = taxonomy_field(code);
    return f && *f->parent ? field_number(f->parent) : 0;
}

/* The city part of a region ("广东省江门市开平市" → "广东省江门市"), hashed; 0 for none. */
static uint32_t region_hash(const char *region)
{
    if (!region || !*region) return 0;
    const char *city = strstr(region, "市");
    size_t n = city ? (size_t)(city - region) + strlen("市") : strlen(region);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)region[i]) * 16777619u;
    return h ? h : 1;
}

/* Keywords JSON array → "a b c" (arena). */
static const char *keywords_text(arena *a, const char *json)
{
    json_t *arr = json_loads(json ? json : "[]", 0, NULL);
    buf b = {0};
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) buf_printf(&b, "%s%s", i ? " " : "", json_string_value(it));
    json_decref(arr);
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

static void listing_doc(arena *a, const listing_rec *l, match_doc *d)
{
    memset(d, 0, sizeof *d);
    d->id = l->id;
    d->kind = str_eq(l->kind, "need") ? 1 : 0;
    d->text[0] = l->title;
    d->text[1] = keywords_text(a, l->keywords);
    d->text[2] = l->summary;
    d->text[3] =
        *l->advantages ? arena_printf(a, "%s\n%s", l->description, l->advantages) : l->description;
    d->field = field_number(l->field);
    d->parent = parent_number(l->field);
    d->trl = (uint8_t)l->trl;
    d->modes = modes_bits(l->modes);
    d->region = region_hash(l->org_region);
}

static void glossary_load(text_analyzer *ta)
{
    const asset *g = asset_get("data/glossary.tsv");
    if (!g) return;
    char *text = xstrdup((const char *)g->data), *save = NULL;
    buf norm = {0};
    text_tokens tk = {0};
    err e = {0};
    for (char *line = strtok_r(text, "\n", &save); line && nglossary < GLOSSARY_MAX;
         line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab) continue;
        *tab = 0;
        const char *sides[2] = {line, tab + 1};
        gloss_entry *ge = &glossary[nglossary];
        for (int s = 0; s < 2; s++) {
            if (text_normalize(ta, sides[s], strlen(sides[s]), &norm, &e) ||
                text_analyze(ta, sides[s], strlen(sides[s]), &tk, &e))
                continue;
            char **terms = xcalloc(tk.n ? tk.n : 1, sizeof(char *));
            uint8_t *kinds = xcalloc(tk.n ? tk.n : 1, 1);
            int nt = 0;
            /* bigrams and words carry the meaning; single characters only alone */
            for (size_t i = 0; i < tk.n; i++)
                if (tk.toks[i].kind != TOK_CJK1 || tk.n == 1) {
                    char *t = xmalloc(tk.toks[i].len + 1);
                    memcpy(t, tk.bytes.s + tk.toks[i].off, tk.toks[i].len);
                    t[tk.toks[i].len] = 0;
                    kinds[nt] = tk.toks[i].kind;
                    terms[nt++] = t;
                }
            if (s == 0) {
                ge->zh = xstrdup(norm.s ? norm.s : "");
                ge->zh_terms = terms;
                ge->zh_kinds = kinds;
                ge->nzh = nt;
            } else {
                ge->en = xstrdup(norm.s ? norm.s : "");
                ge->en_terms = terms;
                ge->en_kinds = kinds;
                ge->nen = nt;
            }
        }
        if (ge->zh && ge->en && *ge->zh && *ge->en) nglossary++;
    }
    buf_free(&norm);
    text_tokens_free(&tk);
    free(text);
}

/* True when phrase occurs in text at word boundaries (boundaries only matter for ASCII). */
static bool phrase_in(const char *text, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = strstr(text, phrase); p; p = strstr(p + 1, phrase)) {
        bool left =
            p == text || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'));
        char r = p[n];
        bool right = !((r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'));
        if (!(phrase[0] & 0x80) ? (left && right) : true) return true;
    }
    return false;
}

typedef struct {
    const char *terms[256];
    float weights[256];
    uint8_t kinds[256];
    int n;
} expansion;

/* Adds the other side of every glossary pair found in the normalized query. */
static void glossary_expand(text_analyzer *ta, const char *q, expansion *x)
{
    buf norm = {0};
    err e = {0};
    if (text_normalize(ta, q, strlen(q), &norm, &e) || !norm.s) {
        buf_free(&norm);
        return;
    }
    for (int i = 0; i < nglossary; i++) {
        const gloss_entry *g = &glossary[i];
        bool zh = phrase_in(norm.s, g->zh), en = phrase_in(norm.s, g->en);
        if (zh == en) continue; /* neither side, or both already */
        char **terms = zh ? g->en_terms : g->zh_terms;
        uint8_t *kinds = zh ? g->en_kinds : g->zh_kinds;
        int nt = zh ? g->nen : g->nzh;
        for (int k = 0; k < nt && x->n < (int)ARRAY_LEN(x->terms); k++) {
            x->kinds[x->n] = kinds[k];
            x->terms[x->n] = terms[k];
            x->weights[x->n++] = 0.6f / (float)(nt > 2 ? nt / 2 : 1);
        }
    }
    buf_free(&norm);
}

err_code matching_start(db *d, err *e)
{
    pthread_mutex_lock(&start_lock);
    err_code rc = ERR_OK;
    arena *a = NULL;
    if (ix) goto out;
    text_analyzer *ta = thread_analyzer(e);
    if (!ta) {
        rc = e->code;
        goto out;
    }
    if (!nglossary) glossary_load(ta);
    /* Streamed in pages so that memory stays bounded: the first page builds the index (and
     * fixes the field length averages), the rest are added to it; text is analyzed on every
     * core, indexed in order on this thread. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int nta = cores > 1 ? (int)(cores > 9 ? 8 : cores - 1) : 0; /* workers: a core is ours */
    text_analyzer *tas[8] = {ta};
    for (int t = 1; t < nta; t++)
        if (!(tas[t] = text_analyzer_new(e))) nta = t;
    match_index *nix = match_index_new(NULL);
    bool built = false;
    const char *kinds[] = {"achievement", "need"};
    for (int k = 0; k < 2 && !rc; k++) {
        listing_filter f = {.kind = kinds[k], .status = "published", .sort = "old", .limit = 2000};
        for (;;) {
            a = arena_new();
            listing_rec *rows;
            int got;
            int64_t total;
            if ((rc = store_listing_list(d, a, &f, &rows, &got, &total, e))) break;
            match_doc *docs = xmalloc(sizeof *docs * (size_t)(got ? got : 1));
            for (int i = 0; i < got; i++)
                listing_doc(a, &rows[i], &docs[i]);
            if (!built && got > 0) {
                rc = match_index_build_mt(nix, tas, nta, docs, (size_t)got, e);
                built = true;
            } else {
                rc = match_index_add_batch(nix, tas, nta, docs, (size_t)got, e);
            }
            free(docs);
            arena_free(a);
            a = NULL;
            if (rc || got < f.limit) break;
            f.offset += got;
        }
    }
    for (int t = 1; t < nta; t++)
        text_analyzer_free(tas[t]);
    if (rc) {
        match_index_free(nix);
    } else {
        pthread_rwlock_wrlock(&ix_lock);
        ix = nix;
        pthread_rwlock_unlock(&ix_lock);
        malloc_trim(0); /* hand the pages of listing text back to the system */
        log_info("search index: %zu listings, %zu terms, %.1f MiB", match_index_docs(ix),
                 match_index_terms(ix), match_index_bytes(ix) / 1048576.0);
    }
out:
    arena_free(a);
    pthread_mutex_unlock(&start_lock);
    return rc;
}

void matching_stop(void)
{
    pthread_rwlock_wrlock(&ix_lock);
    match_index_free(ix);
    ix = NULL;
    pthread_rwlock_unlock(&ix_lock);
}

void matching_listing_changed(db *d, int64_t id)
{
    if (!ix) return;
    err e = {0};
    text_analyzer *ta = thread_analyzer(&e);
    if (!ta) return;
    arena *a = arena_new();
    listing_rec l;
    if (store_listing_get(d, a, id, &l, &e) == ERR_OK) {
        pthread_rwlock_wrlock(&ix_lock);
        if (str_eq(l.status, "published")) {
            match_doc doc;
            listing_doc(a, &l, &doc);
            if (match_index_add(ix, ta, &doc, &e))
                log_error("search index: listing %lld: %s", (long long)id, e.msg);
        } else {
            match_index_remove(ix, str_eq(l.kind, "need") ? 1 : 0, id);
        }
        pthread_rwlock_unlock(&ix_lock);
    }
    arena_free(a);
}

static bool attr_passes(const listing_attr *at, const listing_filter *f)
{
    if (!str_eq(at->status, "published") || !str_eq(at->kind, f->kind)) return false;
    if (f->field && *f->field &&
        !(str_eq(at->field, f->field) ||
          (str_starts(at->field, f->field) && at->field[strlen(f->field)] == '.')))
        return false;
    if (f->stage && trl_stage(at->trl) != f->stage) return false;
    if (f->mode && *f->mode) {
        char needle[32];
        snprintf(needle, sizeof needle, ",%s,", f->mode);
        if (!strstr(at->modes, needle)) return false;
    }
    if (f->org_type && *f->org_type && !str_eq(at->org_type, f->org_type)) return false;
    if (f->region && *f->region && !str_starts(at->org_region, f->region)) return false;
    if (f->need_type && *f->need_type && !str_eq(at->need_type, f->need_type)) return false;
    return true;
}

static void facet_add(json_t *facets, const char *group, const char *key)
{
    json_t *g = json_object_get(facets, group);
    json_t *v = json_object_get(g, key);
    json_object_set_new(g, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

/* Display terms for a hit: the passages of its text where the query's terms occur (as the
 * reader sees them: "原料药合成", "APIs"), longest first, without repeats. */
static void result_terms(dctx *c, text_analyzer *ta, const hl_query *hq, match_result *m)
{
    const char *texts[4] = {m->l.title, keywords_text(c->a, m->l.keywords), m->l.summary,
                            m->l.description};
    const char *found[32];
    int nf = 0;
    hl_span spans[48];
    for (int t = 0; t < 4 && nf < 32; t++) {
        size_t n = strlen(texts[t]);
        if (n > 3000) n = 3000; /* the start of a long description says enough */
        while (n > 0 && ((unsigned char)texts[t][n] & 0xc0) == 0x80)
            n--;
        int ns = hl_spans(ta, hq, texts[t], n, spans, 48);
        for (int i = 0; i < ns && nf < 32; i++) {
            size_t len = spans[i].end - spans[i].start;
            if (len > 60) continue;
            const char *s = arena_strndup(c->a, texts[t] + spans[i].start, len);
            bool dup = false;
            for (int k = 0; k < nf && !dup; k++)
                dup = !strcasecmp(found[k], s);
            if (!dup) found[nf++] = s;
        }
    }
    for (int i = 1; i < nf; i++) /* longest first (insertion sort: tiny n) */
        for (int k = i; k > 0 && strlen(found[k]) > strlen(found[k - 1]); k--) {
            const char *tmp = found[k];
            found[k] = found[k - 1];
            found[k - 1] = tmp;
        }
    m->terms = arena_alloc(c->a, sizeof(char *) * REASON_TERMS);
    m->nterms = 0;
    for (int i = 0; i < nf && m->nterms < REASON_TERMS; i++) {
        bool inside = false; /* a shorter passage already inside a longer one */
        for (int k = 0; k < m->nterms && !inside; k++)
            inside = strstr(m->terms[k], found[i]) != NULL;
        if (!inside) m->terms[m->nterms++] = found[i];
    }
}

/* The highlight query: q's own terms plus its glossary expansions. */
static err_code reason_query(text_analyzer *ta, const char *q, const expansion *x, hl_query *hq,
                             err *e)
{
    if (hl_query_init(ta, q, hq, e)) return e->code;
    hl_query_add(hq, x->terms, x->kinds, x->n);
    return ERR_OK;
}

err_code matching_search(dctx *c, const char *q, const listing_filter *f, int offset, int limit,
                         match_result **out, int *n, int64_t *total, json_t **facets, err *e)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    if (facets) *facets = NULL;
    if (!ix) return err_set(e, ERR_INTERNAL, NULL, NULL, "search index not started");
    text_analyzer *ta = thread_analyzer(e);
    if (!ta) return e->code;
    expansion x = {.n = 0};
    glossary_expand(ta, q, &x);
    match_query mq = {.text = q,
                      .kind = str_eq(f->kind, "need") ? 1 : 0,
                      .k = SEARCH_CANDIDATES,
                      .exclude_id = -1,
                      .extra_terms = x.terms,
                      .extra_weights = x.weights,
                      .nextra = x.n};
    match_hit *hits = arena_alloc(c->a, sizeof *hits * SEARCH_CANDIDATES);
    pthread_rwlock_rdlock(&ix_lock);
    int nh = match_search(ix, ta, &mq, hits, e);
    pthread_rwlock_unlock(&ix_lock);
    if (nh < 0) return e->code;
    int64_t *ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(nh ? nh : 1));
    for (int i = 0; i < nh; i++)
        ids[i] = hits[i].id;
    listing_attr *attrs;
    int na;
    if (store_listing_attrs(c->db, c->a, ids, nh, &attrs, &na, e)) return e->code;
    hl_query hq;
    if (reason_query(ta, q, &x, &hq, e)) return e->code;
    json_t *fc = json_pack("{s:{},s:{},s:{},s:{}}", "field", "stage", "mode", "org_type");
    float best = nh ? hits[0].score : 1;
    int kept = 0;
    match_result *res = arena_alloc(c->a, sizeof *res * (size_t)(limit > 0 ? limit : 1));
    for (int i = 0; i < nh; i++) { /* in score order */
        const listing_attr *at = NULL;
        for (int k = 0; k < na && !at; k++)
            if (attrs[k].id == hits[i].id) at = &attrs[k];
        if (!at || !attr_passes(at, f)) continue;
        const field_rec *fr = taxonomy_field(at->field);
        facet_add(fc, "field", at->field);
        if (fr && *fr->parent) facet_add(fc, "field", fr->parent);
        char stage[4];
        snprintf(stage, sizeof stage, "%d", trl_stage(at->trl));
        if (at->trl) facet_add(fc, "stage", stage);
        for (size_t m = 0; m < ARRAY_LEN(mode_codes); m++) {
            char needle[24];
            snprintf(needle, sizeof needle, ",%s,", mode_codes[m]);
            if (strstr(at->modes, needle)) facet_add(fc, "mode", mode_codes[m]);
        }
        facet_add(fc, "org_type", at->org_type);
        if (kept >= offset && kept < offset + limit) {
            match_result *m = &res[kept - offset];
            memset(m, 0, sizeof *m);
            if (store_listing_get(c->db, c->a, hits[i].id, &m->l, e)) {
                json_decref(fc);
                hl_query_free(&hq);
                return e->code;
            }
            m->score = best > 0 ? 100.0f * hits[i].score / best : 0;
            result_terms(c, ta, &hq, m);
        }
        kept++;
    }
    hl_query_free(&hq);
    *out = res;
    *n = kept > offset ? (kept - offset < limit ? kept - offset : limit) : 0;
    *total = kept;
    if (facets)
        *facets = fc;
    else
        json_decref(fc);
    return ERR_OK;
}

static unsigned pair_factors(const listing_rec *from, const listing_rec *to)
{
    unsigned f = 0;
    if (str_eq(from->field, to->field))
        f |= MATCH_SAME_FIELD;
    else if (parent_number(from->field) && parent_number(from->field) == parent_number(to->field))
        f |= MATCH_SAME_PARENT;
    const listing_rec *need = str_eq(from->kind, "need") ? from : to;
    const listing_rec *ach = need == from ? to : from;
    if (need->trl && ach->trl >= need->trl) f |= MATCH_TRL_OK;
    if (modes_bits(from->modes) & modes_bits(to->modes)) f |= MATCH_MODES;
    if (region_hash(from->org_region) &&
        region_hash(from->org_region) == region_hash(to->org_region))
        f |= MATCH_REGION;
    return f;
}

err_code matching_for_listing(dctx *c, int64_t id, int k, match_result **out, int *n, err *e)
{
    *out = NULL;
    *n = 0;
    listing_rec src;
    if (listing_get(c, id, &src, e)) return e->code;
    if (!ix) return err_set(e, ERR_INTERNAL, NULL, NULL, "search index not started");
    text_analyzer *ta = thread_analyzer(e);
    if (!ta) return e->code;
    bool need = str_eq(src.kind, "need");
    const char *text =
        arena_printf(c->a, "%s\n%s\n%s\n%s", src.title, keywords_text(c->a, src.keywords),
                     src.summary, src.description);
    expansion x = {.n = 0};
    glossary_expand(ta, text, &x);
    match_query mq = {.text = text,
                      .kind = need ? 0 : 1,
                      .k = k < 1    ? 10
                           : k > 50 ? 50
                                    : k,
                      .field = field_number(src.field),
                      .parent = parent_number(src.field),
                      .trl_min = need ? (uint8_t)src.trl : 0,
                      .modes = modes_bits(src.modes),
                      .region = region_hash(src.org_region),
                      .factor_weight = 0.3f,
                      .exclude_id = -1,
                      .extra_terms = x.terms,
                      .extra_weights = x.weights,
                      .nextra = x.n};
    match_hit *hits = arena_alloc(c->a, sizeof *hits * (size_t)mq.k);
    pthread_rwlock_rdlock(&ix_lock);
    int nh = match_search(ix, ta, &mq, hits, e);
    pthread_rwlock_unlock(&ix_lock);
    if (nh < 0) return e->code;
    match_result *res = arena_alloc(c->a, sizeof *res * (size_t)(nh ? nh : 1));
    int kept = 0;
    float best = nh ? hits[0].score : 1;
    hl_query hq;
    if (reason_query(ta, text, &x, &hq, e)) return e->code;
    for (int i = 0; i < nh; i++) {
        match_result *m = &res[kept];
        memset(m, 0, sizeof *m);
        if (listing_get(c, hits[i].id, &m->l, e)) {
            if (e->code == ERR_NOT_FOUND) continue; /* unpublished since the index saw it */
            hl_query_free(&hq);
            return e->code;
        }
        m->score = best > 0 ? 100.0f * hits[i].score / best : 0;
        m->factors = pair_factors(&src, &m->l);
        result_terms(c, ta, &hq, m);
        kept++;
    }
    hl_query_free(&hq);
    *out = res;
    *n = kept;
    return ERR_OK;
}

json_t *match_result_to_json(const dctx *c, const match_result *m)
{
    json_t *j = json_object();
    json_object_set_new(j, "listing", listing_to_json(c, &m->l));
    json_object_set_new(j, "score", json_real(round(m->score * 10) / 10));
    json_t *terms = json_array();
    for (int i = 0; i < m->nterms; i++)
        json_array_append_new(terms, json_string(m->terms[i]));
    json_object_set_new(j, "matched_terms", terms);
    json_t *factors = json_array();
    static const char *names[] = {"same_field", "same_parent_field", "maturity_ok", "transfer_mode",
                                  "same_city"};
    for (int i = 0; i < 5; i++)
        if (m->factors & (1u << i)) json_array_append_new(factors, json_string(names[i]));
    json_object_set_new(j, "factors", factors);
    return j;
}
