/* index.c — posting lists, BM25F impacts and MaxScore top-k retrieval (see match.h). */
#include "match/match.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
    BLOCK_POSTINGS = 128,
    SAMPLE_DOCS = 2000, /* documents analyzed to estimate field length averages */
    MAX_QUERY_TERMS = 2048,
};

/* Postings of one term, in blocks of up to 128: varint(doc gap) then the 8-bit impact. */
typedef struct block {
    uint32_t first, last; /* first and last doc id in the block */
    uint16_t n, len, cap; /* postings, bytes used, bytes allocated */
    uint8_t max_q;
    uint8_t data[];
} block;

typedef struct {
    uint32_t str_off;
    uint16_t str_len;
    uint8_t kind;
    uint8_t max_q;
    uint32_t df;
    uint32_t nblocks;
    union {
        block *one;   /* nblocks == 1 */
        block **many; /* nblocks > 1: capacity is the next power of two */
    } u;
} term;

static inline block *term_block(const term *t, uint32_t i)
{
    return t->nblocks == 1 ? t->u.one : t->u.many[i];
}

static inline void term_set_block(term *t, uint32_t i, block *b)
{
    if (t->nblocks == 1)
        t->u.one = b;
    else
        t->u.many[i] = b;
}

typedef struct {
    int64_t id;
    uint32_t region;
    uint16_t field, parent;
    uint8_t kind, trl, modes;
    bool live;
} doc_info;

struct match_index {
    match_params p;
    float deq[256];
    float avglen[MATCH_FIELDS];
    bool avg_ready;
    double len_sum[MATCH_FIELDS]; /* over docs added one by one while no average is set */
    term *terms;
    uint32_t nterms, cap_terms;
    uint32_t *slots; /* open addressing: term index + 1; 0 = empty */
    uint32_t *tags;  /* per slot: the high half of the term's hash (skips most compares) */
    uint32_t nslots;
    buf strings;
    doc_info *docs;
    uint32_t ndocs, cap_docs, live;
    uint64_t *id_keys; /* (kind<<63 | id) + 1; 0 = empty */
    uint32_t *id_vals; /* doc id, UINT32_MAX = removed */
    uint32_t id_slots, id_count;
    size_t block_bytes;
    /* scratch for one document (writers are serialized) */
    text_tokens toks;
    uint32_t *acc_term;
    uint16_t (*acc_tf)[MATCH_FIELDS];
    uint32_t acc_n, acc_cap;
    uint32_t *acc_slot; /* term index → acc position + 1, sized like terms */
};

match_params match_params_default(void)
{
    match_params p = {
        .k1 = 1.2f,
        .w = {2.0f, 1.5f, 1.2f, 1.0f},
        .b = {0.5f, 0.3f, 0.7f, 0.75f},
        /* word, number, code, CJK character, CJK bigram, joined words: "double-strand" gives
         * "doubl", "strand" and the phrase "doublestrand", which says no more than the two
         * words (at 1.2 it tripled their weight: SciFact tuning half 0.7093 → 0.7154 at 0.1);
         * it stays to find the closed spelling */
        .kind_weight = {0, 1.0f, 1.0f, 1.2f, 1.0f, 0.5f, 0.1f},
        .coverage_gamma = 0.0f,
        .qtf_power = 0.5f, /* a word said twice in a sentence is not twice the need */
        .tf_delta = {0, 0, 0, 0, 0.5f, 0.5f, 0},
        .max_query_terms = 48,
        .taat_max_docs = 131072,
    };
    return p;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static uint64_t hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

match_index *match_index_new(const match_params *p)
{
    match_index *ix = xcalloc(1, sizeof *ix);
    ix->p = p ? *p : match_params_default();
    for (int q = 0; q < 256; q++)
        ix->deq[q] = (float)q / 255.0f * (ix->p.k1 + 1.0f);
    ix->nslots = 1024;
    ix->slots = xcalloc(ix->nslots, sizeof *ix->slots);
    ix->tags = xcalloc(ix->nslots, sizeof *ix->tags);
    ix->id_slots = 1024;
    ix->id_keys = xcalloc(ix->id_slots, sizeof *ix->id_keys);
    ix->id_vals = xcalloc(ix->id_slots, sizeof *ix->id_vals);
    return ix;
}

void match_index_free(match_index *ix)
{
    if (!ix) return;
    for (uint32_t t = 0; t < ix->nterms; t++) {
        term *tm = &ix->terms[t];
        for (uint32_t i = 0; i < tm->nblocks; i++)
            free(term_block(tm, i));
        if (tm->nblocks > 1) free(tm->u.many);
    }
    free(ix->terms);
    free(ix->slots);
    free(ix->tags);
    buf_free(&ix->strings);
    free(ix->docs);
    free(ix->id_keys);
    free(ix->id_vals);
    text_tokens_free(&ix->toks);
    free(ix->acc_term);
    free(ix->acc_tf);
    free(ix->acc_slot);
    free(ix);
}

size_t match_index_docs(const match_index *ix)
{
    return ix->live;
}

size_t match_index_terms(const match_index *ix)
{
    return ix->nterms;
}

size_t match_index_bytes(const match_index *ix)
{
    return ix->block_bytes + (size_t)ix->cap_terms * (sizeof(term) + sizeof(uint32_t)) +
           (size_t)ix->nslots * 2 * sizeof(uint32_t) + ix->strings.cap +
           (size_t)ix->cap_docs * sizeof(doc_info) +
           (size_t)ix->id_slots * (sizeof(uint64_t) + sizeof(uint32_t));
}

/* ---- term dictionary ---- */

static uint32_t term_find(const match_index *ix, const char *s, size_t n);

float match_idf(const match_index *ix, const char *text, size_t len)
{
    uint32_t t = term_find(ix, text, len);
    if (t == UINT32_MAX) return 0;
    double N = ix->ndocs, df = ix->terms[t].df;
    return (float)log(1.0 + (N - df + 0.5) / (df + 0.5));
}

/* Finds s in the dictionary by its hash h; UINT32_MAX when absent, with *free_slot set to
 * the empty slot where it would go. */
static uint32_t term_lookup(const match_index *ix, const char *s, size_t n, uint64_t h,
                            uint32_t *free_slot)
{
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint32_t i = (uint32_t)h & (ix->nslots - 1);; i = (i + 1) & (ix->nslots - 1)) {
        uint32_t v = ix->slots[i];
        if (!v) {
            if (free_slot) *free_slot = i;
            return UINT32_MAX;
        }
        if (ix->tags[i] != tag) continue;
        const term *t = &ix->terms[v - 1];
        if (t->str_len == n && !memcmp(ix->strings.s + t->str_off, s, n)) return v - 1;
    }
}

static uint32_t term_find(const match_index *ix, const char *s, size_t n)
{
    return term_lookup(ix, s, n, hash_bytes(s, n), NULL);
}

static void term_rehash(match_index *ix)
{
    uint32_t ns = ix->nslots * 2;
    uint32_t *slots = xcalloc(ns, sizeof *slots), *tags = xcalloc(ns, sizeof *tags);
    for (uint32_t t = 0; t < ix->nterms; t++) {
        uint64_t h = hash_bytes(ix->strings.s + ix->terms[t].str_off, ix->terms[t].str_len);
        uint32_t i = (uint32_t)h & (ns - 1);
        while (slots[i])
            i = (i + 1) & (ns - 1);
        slots[i] = t + 1;
        tags[i] = (uint32_t)(h >> 32);
    }
    free(ix->slots);
    free(ix->tags);
    ix->slots = slots;
    ix->tags = tags;
    ix->nslots = ns;
}

static uint32_t term_intern_h(match_index *ix, const char *s, size_t n, uint8_t kind, uint64_t h);

static uint32_t term_intern(match_index *ix, const char *s, size_t n, uint8_t kind)
{
    return term_intern_h(ix, s, n, kind, hash_bytes(s, n));
}

/* Interns s whose hash_bytes() is h. */
static uint32_t term_intern_h(match_index *ix, const char *s, size_t n, uint8_t kind, uint64_t h)
{
    uint32_t slot;
    uint32_t found = term_lookup(ix, s, n, h, &slot);
    if (found != UINT32_MAX) return found;
    if ((ix->nterms + 1) * 4 >= ix->nslots * 3) {
        term_rehash(ix);
        term_lookup(ix, s, n, h, &slot);
    }
    if (ix->nterms == ix->cap_terms) {
        ix->cap_terms = ix->cap_terms ? ix->cap_terms * 2 : 1024;
        ix->terms = xrealloc(ix->terms, sizeof(term) * ix->cap_terms);
        ix->acc_slot = xrealloc(ix->acc_slot, sizeof(uint32_t) * ix->cap_terms);
        memset(ix->acc_slot + ix->nterms, 0, sizeof(uint32_t) * (ix->cap_terms - ix->nterms));
    }
    uint32_t t = ix->nterms++;
    ix->terms[t] =
        (term){.str_off = (uint32_t)ix->strings.len, .str_len = (uint16_t)n, .kind = kind};
    buf_putn(&ix->strings, s, n);
    ix->slots[slot] = t + 1;
    ix->tags[slot] = (uint32_t)(h >> 32);
    return t;
}

/* ---- external id → doc id ---- */

static uint64_t id_key(uint8_t kind, int64_t id)
{
    return (((uint64_t)kind << 63) | ((uint64_t)id & 0x7fffffffffffffffULL)) + 1;
}

static uint32_t *id_slot(match_index *ix, uint64_t key, bool insert)
{
    if (insert && (ix->id_count + 1) * 4 >= ix->id_slots * 3) {
        uint32_t ns = ix->id_slots * 2;
        uint64_t *keys = xcalloc(ns, sizeof *keys);
        uint32_t *vals = xcalloc(ns, sizeof *vals);
        for (uint32_t i = 0; i < ix->id_slots; i++) {
            if (!ix->id_keys[i]) continue;
            uint32_t j = (uint32_t)hash_u64(ix->id_keys[i]) & (ns - 1);
            while (keys[j])
                j = (j + 1) & (ns - 1);
            keys[j] = ix->id_keys[i];
            vals[j] = ix->id_vals[i];
        }
        free(ix->id_keys);
        free(ix->id_vals);
        ix->id_keys = keys;
        ix->id_vals = vals;
        ix->id_slots = ns;
    }
    for (uint32_t i = (uint32_t)hash_u64(key) & (ix->id_slots - 1);;
         i = (i + 1) & (ix->id_slots - 1)) {
        if (ix->id_keys[i] == key) return &ix->id_vals[i];
        if (!ix->id_keys[i]) {
            if (!insert) return NULL;
            ix->id_keys[i] = key;
            ix->id_count++;
            ix->id_vals[i] = UINT32_MAX;
            return &ix->id_vals[i];
        }
    }
}

void match_index_remove(match_index *ix, uint8_t kind, int64_t id)
{
    uint32_t *v = id_slot(ix, id_key(kind, id), false);
    if (!v || *v == UINT32_MAX) return;
    ix->docs[*v].live = false;
    ix->live--;
    *v = UINT32_MAX;
}

/* ---- postings ---- */

static void term_push_block(match_index *ix, term *t, block *nb)
{
    if (t->nblocks == 0) {
        t->u.one = nb;
    } else if (t->nblocks == 1) {
        block **many = xmalloc(sizeof(block *) * 2);
        many[0] = t->u.one;
        many[1] = nb;
        t->u.many = many;
        ix->block_bytes += sizeof(block *) * 2;
    } else {
        if ((t->nblocks & (t->nblocks - 1)) == 0) { /* a power of two: full, double it */
            t->u.many = xrealloc(t->u.many, sizeof(block *) * t->nblocks * 2);
            ix->block_bytes += sizeof(block *) * t->nblocks;
        }
        t->u.many[t->nblocks] = nb;
    }
    t->nblocks++;
}

static void posting_append(match_index *ix, term *t, uint32_t doc, uint8_t q)
{
    block *b = t->nblocks ? term_block(t, t->nblocks - 1) : NULL;
    if (!b || b->n == BLOCK_POSTINGS) {
        if (b && b->cap > b->len) { /* a full block shrinks to its exact size */
            block *s = xrealloc(b, sizeof(block) + b->len);
            ix->block_bytes -= (size_t)(s->cap - s->len);
            s->cap = s->len;
            term_set_block(t, t->nblocks - 1, s);
        }
        /* a term that already filled a block will likely fill the next: start it big */
        uint16_t cap = t->nblocks ? 256 : 8;
        b = xmalloc(sizeof(block) + cap);
        *b = (block){doc, doc, 0, 0, cap, 0};
        ix->block_bytes += sizeof(block) + cap;
        term_push_block(ix, t, b);
    }
    if (b->cap - b->len < 6) {
        unsigned want =
            b->cap * 2u < b->len + 6u ? b->len + 6u : b->cap * 2u; /* room for one more */
        uint16_t ncap = (uint16_t)(want > BLOCK_POSTINGS * 6 ? BLOCK_POSTINGS * 6 : want);
        block *g = xrealloc(b, sizeof(block) + ncap);
        ix->block_bytes += (size_t)(ncap - g->cap);
        g->cap = ncap;
        term_set_block(t, t->nblocks - 1, g);
        b = g;
    }
    uint32_t gap = b->n ? doc - b->last : 0;
    while (gap >= 0x80) {
        b->data[b->len++] = (uint8_t)(gap | 0x80);
        gap >>= 7;
    }
    b->data[b->len++] = (uint8_t)gap;
    b->data[b->len++] = q;
    b->last = doc;
    b->n++;
    if (q > b->max_q) b->max_q = q;
    if (q > t->max_q) t->max_q = q;
    t->df++;
}

/* ---- adding documents ---- */

static void accumulate(match_index *ix, const text_tokens *toks, int f);

static err_code analyze_doc(match_index *ix, text_analyzer *ta, const match_doc *d,
                            uint32_t len[MATCH_FIELDS], bool intern, err *e)
{
    ix->acc_n = 0;
    for (int f = 0; f < MATCH_FIELDS; f++) {
        len[f] = 0;
        const char *s = d->text[f];
        if (!s || !*s) continue;
        if (text_analyze(ta, s, strlen(s), &ix->toks, e)) return e->code;
        len[f] = (uint32_t)ix->toks.n;
        if (intern) accumulate(ix, &ix->toks, f);
    }
    return ERR_OK;
}

/* Adds the tokens of field f to the document accumulator (interning their terms). */
static void accumulate(match_index *ix, const text_tokens *toks, int f)
{
    {
        for (size_t i = 0; i < toks->n; i++) {
            const text_token *tk = &toks->toks[i];
            uint32_t t = term_intern(ix, toks->bytes.s + tk->off, tk->len, tk->kind);
            uint32_t a = ix->acc_slot[t];
            if (!a) {
                if (ix->acc_n == ix->acc_cap) {
                    ix->acc_cap = ix->acc_cap ? ix->acc_cap * 2 : 512;
                    ix->acc_term = xrealloc(ix->acc_term, sizeof(uint32_t) * ix->acc_cap);
                    ix->acc_tf = xrealloc(ix->acc_tf, sizeof(*ix->acc_tf) * ix->acc_cap);
                }
                a = ++ix->acc_n;
                ix->acc_slot[t] = a;
                ix->acc_term[a - 1] = t;
                memset(ix->acc_tf[a - 1], 0, sizeof(ix->acc_tf[0]));
            }
            if (ix->acc_tf[a - 1][f] < UINT16_MAX) ix->acc_tf[a - 1][f]++;
        }
    }
}

/* The 8-bit impact of pseudo term frequency tf for a term of kind: BM25 saturation of
 * tf + tf_delta[kind], as a share of its limit k1 + 1 (never 0: the posting exists). */
static uint8_t quantize(const match_index *ix, float tf, uint8_t kind)
{
    if (kind < TOK_KINDS) tf += ix->p.tf_delta[kind];
    float s = tf * (ix->p.k1 + 1.0f) / (ix->p.k1 + tf);
    int q = (int)lrintf(s / (ix->p.k1 + 1.0f) * 255.0f);
    return (uint8_t)(q < 1 ? 1 : q > 255 ? 255 : q);
}

static err_code add_analyzed(match_index *ix, const match_doc *d, const uint32_t len[MATCH_FIELDS])
{
    uint32_t *slot = id_slot(ix, id_key(d->kind, d->id), true);
    if (*slot != UINT32_MAX) {
        ix->docs[*slot].live = false;
        ix->live--;
    }
    if (ix->ndocs == ix->cap_docs) {
        ix->cap_docs = ix->cap_docs ? ix->cap_docs * 2 : 1024;
        ix->docs = xrealloc(ix->docs, sizeof(doc_info) * ix->cap_docs);
    }
    uint32_t doc = ix->ndocs++;
    ix->docs[doc] =
        (doc_info){d->id, d->region, d->field, d->parent, d->kind, d->trl, d->modes, true};
    *slot = doc;
    ix->live++;
    float norm[MATCH_FIELDS];
    for (int f = 0; f < MATCH_FIELDS; f++) {
        float avg = ix->avglen[f] > 0 ? ix->avglen[f] : 1.0f;
        norm[f] = 1.0f - ix->p.b[f] + ix->p.b[f] * (float)len[f] / avg;
        if (norm[f] < 0.05f) norm[f] = 0.05f;
    }
    for (uint32_t a = 0; a < ix->acc_n; a++) {
        uint32_t t = ix->acc_term[a];
        ix->acc_slot[t] = 0;
        float tf = 0;
        for (int f = 0; f < MATCH_FIELDS; f++)
            if (ix->acc_tf[a][f]) tf += ix->p.w[f] * (float)ix->acc_tf[a][f] / norm[f];
        posting_append(ix, &ix->terms[t], doc, quantize(ix, tf, ix->terms[t].kind));
    }
    ix->acc_n = 0;
    return ERR_OK;
}

err_code match_index_add(match_index *ix, text_analyzer *ta, const match_doc *d, err *e)
{
    uint32_t len[MATCH_FIELDS];
    if (analyze_doc(ix, ta, d, len, true, e)) {
        for (uint32_t a = 0; a < ix->acc_n; a++)
            ix->acc_slot[ix->acc_term[a]] = 0;
        ix->acc_n = 0;
        return e->code;
    }
    if (!ix->avg_ready) { /* no bulk build: a running average over the documents so far */
        for (int f = 0; f < MATCH_FIELDS; f++) {
            ix->len_sum[f] += len[f];
            ix->avglen[f] = (float)(ix->len_sum[f] / (double)(ix->ndocs + 1));
        }
    }
    return add_analyzed(ix, d, len);
}

/* Trims every term's last block to its used size (after a bulk build; later additions grow
 * it again as needed). */
static void shrink_tails(match_index *ix)
{
    for (uint32_t t = 0; t < ix->nterms; t++) {
        term *tm = &ix->terms[t];
        if (!tm->nblocks) continue;
        block *b = term_block(tm, tm->nblocks - 1);
        if (b->cap <= b->len) continue;
        block *s = xrealloc(b, sizeof(block) + b->len);
        ix->block_bytes -= (size_t)(s->cap - s->len);
        s->cap = s->len;
        term_set_block(tm, tm->nblocks - 1, s);
    }
}

/* ---- parallel batches: analyzers run in worker threads, the caller's thread indexes the
 * analyzed documents in their order (so document ids and postings are exactly as if added one
 * by one). A ring of slots bounds the documents in flight. ---- */

enum { RING = 256 };

/* A document's distinct terms, counted per field by the worker that analyzed it. */
typedef struct {
    uint32_t off, len; /* in ring_slot.ubytes */
    uint64_t hash;     /* hash_bytes() of the term */
    uint16_t tf[MATCH_FIELDS];
    uint8_t kind;
} uniq_term;

typedef struct {
    text_tokens toks[MATCH_FIELDS];
    uint32_t len[MATCH_FIELDS]; /* field lengths in tokens */
    buf ubytes;
    uniq_term *u;
    uint32_t nu, cap;
    uint32_t *map; /* open addressing over u: index + 1 */
    uint32_t map_cap;
    bool ready;
    err_code rc;
    err e;
} ring_slot;

/* Collects the distinct terms of the analyzed fields of slot (on the worker's thread). */
static void slot_dedupe(ring_slot *sl)
{
    size_t total = 0;
    for (int f = 0; f < MATCH_FIELDS; f++)
        total += sl->toks[f].n;
    uint32_t need = 16;
    while (need < total * 2)
        need *= 2;
    if (need > sl->map_cap) {
        free(sl->map);
        sl->map = xcalloc(need, sizeof *sl->map);
        sl->map_cap = need;
    } else {
        memset(sl->map, 0, sizeof *sl->map * sl->map_cap);
    }
    if (total > sl->cap) {
        sl->cap = (uint32_t)total;
        sl->u = xrealloc(sl->u, sizeof *sl->u * sl->cap);
    }
    sl->nu = 0;
    buf_reset(&sl->ubytes);
    uint32_t mask = sl->map_cap - 1;
    for (int f = 0; f < MATCH_FIELDS; f++) {
        const text_tokens *tk = &sl->toks[f];
        for (size_t i = 0; i < tk->n; i++) {
            const char *str = tk->bytes.s + tk->toks[i].off;
            uint32_t len = tk->toks[i].len;
            uint64_t h = hash_bytes(str, len);
            uint32_t j = (uint32_t)h & mask;
            for (;; j = (j + 1) & mask) {
                uint32_t v = sl->map[j];
                if (!v) {
                    uniq_term *u = &sl->u[sl->nu];
                    *u = (uniq_term){(uint32_t)sl->ubytes.len, len, h, {0}, tk->toks[i].kind};
                    buf_putn(&sl->ubytes, str, len);
                    u->tf[f] = 1;
                    sl->map[j] = ++sl->nu;
                    break;
                }
                uniq_term *u = &sl->u[v - 1];
                if (u->hash == h && u->len == len && !memcmp(sl->ubytes.s + u->off, str, len)) {
                    if (u->tf[f] < UINT16_MAX) u->tf[f]++;
                    break;
                }
            }
        }
    }
}

typedef struct {
    const match_doc *docs;
    size_t n;
    size_t next;     /* next document a worker takes */
    size_t consumed; /* documents indexed so far */
    bool stop;
    ring_slot *ring;
    pthread_mutex_t lock;
    pthread_cond_t produced, freed;
} batch;

typedef struct {
    batch *b;
    text_analyzer *ta;
} worker_arg;

static void *batch_worker(void *p)
{
    worker_arg *w = p;
    batch *b = w->b;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (!b->stop && b->next < b->n && b->next >= b->consumed + RING)
            pthread_cond_wait(&b->freed, &b->lock);
        if (b->stop || b->next >= b->n) {
            pthread_mutex_unlock(&b->lock);
            return NULL;
        }
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        ring_slot *slot = &b->ring[i % RING];
        const match_doc *d = &b->docs[i];
        err_code rc = ERR_OK;
        err e = {0};
        for (int f = 0; f < MATCH_FIELDS && !rc; f++) {
            slot->toks[f].n = 0;
            const char *s = d->text[f];
            if (s && *s) rc = text_analyze(w->ta, s, strlen(s), &slot->toks[f], &e);
            slot->len[f] = (uint32_t)slot->toks[f].n;
        }
        if (!rc) slot_dedupe(slot);
        pthread_mutex_lock(&b->lock);
        slot->rc = rc;
        slot->e = e;
        slot->ready = true;
        pthread_cond_broadcast(&b->produced);
        pthread_mutex_unlock(&b->lock);
    }
}

err_code match_index_add_batch(match_index *ix, text_analyzer *const *tas, int nta,
                               const match_doc *docs, size_t n, err *e)
{
    if (nta < 1 || n < 64) { /* on this thread: asked for, or not worth threads */
        for (size_t i = 0; i < n; i++)
            if (match_index_add(ix, tas[0], &docs[i], e))
                return err_set(e, e->code, e->field, e->key, "document %zu: %s", i, e->msg);
        return ERR_OK;
    }
    batch b = {.docs = docs, .n = n, .ring = xcalloc(RING, sizeof(ring_slot))};
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.produced, NULL);
    pthread_cond_init(&b.freed, NULL);
    pthread_t th[16];
    worker_arg args[16];
    int nth = nta > 16 ? 16 : nta;
    for (int t = 0; t < nth; t++) {
        args[t] = (worker_arg){&b, tas[t]};
        pthread_create(&th[t], NULL, batch_worker, &args[t]);
    }
    err_code rc = ERR_OK;
    for (size_t i = 0; i < n; i++) {
        ring_slot *slot = &b.ring[i % RING];
        pthread_mutex_lock(&b.lock);
        while (!slot->ready)
            pthread_cond_wait(&b.produced, &b.lock);
        pthread_mutex_unlock(&b.lock);
        if (slot->rc) {
            rc = err_set(e, slot->rc, slot->e.field, slot->e.key, "document %zu: %s", i,
                         slot->e.msg);
            break;
        }
        uint32_t len[MATCH_FIELDS];
        for (int f = 0; f < MATCH_FIELDS; f++)
            len[f] = slot->len[f];
        if (slot->nu > ix->acc_cap) { /* the accumulator takes the distinct terms as they are */
            ix->acc_cap = slot->nu;
            ix->acc_term = xrealloc(ix->acc_term, sizeof(uint32_t) * ix->acc_cap);
            ix->acc_tf = xrealloc(ix->acc_tf, sizeof(*ix->acc_tf) * ix->acc_cap);
        }
        for (uint32_t k = 0; k < slot->nu; k++) {
            const uniq_term *u = &slot->u[k];
            ix->acc_term[k] = term_intern_h(ix, slot->ubytes.s + u->off, u->len, u->kind, u->hash);
            memcpy(ix->acc_tf[k], u->tf, sizeof u->tf);
        }
        ix->acc_n = slot->nu;
        if (!ix->avg_ready)
            for (int f = 0; f < MATCH_FIELDS; f++) {
                ix->len_sum[f] += len[f];
                ix->avglen[f] = (float)(ix->len_sum[f] / (double)(ix->ndocs + 1));
            }
        add_analyzed(ix, &docs[i], len);
        pthread_mutex_lock(&b.lock);
        slot->ready = false;
        b.consumed = i + 1;
        pthread_cond_broadcast(&b.freed);
        pthread_mutex_unlock(&b.lock);
    }
    pthread_mutex_lock(&b.lock);
    b.stop = true;
    pthread_cond_broadcast(&b.freed);
    pthread_mutex_unlock(&b.lock);
    for (int t = 0; t < nth; t++)
        pthread_join(th[t], NULL);
    for (int r = 0; r < RING; r++) {
        for (int f = 0; f < MATCH_FIELDS; f++)
            text_tokens_free(&b.ring[r].toks[f]);
        buf_free(&b.ring[r].ubytes);
        free(b.ring[r].u);
        free(b.ring[r].map);
    }
    free(b.ring);
    pthread_mutex_destroy(&b.lock);
    pthread_cond_destroy(&b.produced);
    pthread_cond_destroy(&b.freed);
    return rc;
}

err_code match_index_build(match_index *ix, text_analyzer *ta, const match_doc *docs, size_t n,
                           err *e)
{
    return match_index_build_mt(ix, &ta, 0, docs, n, e);
}

err_code match_index_build_mt(match_index *ix, text_analyzer *const *tas, int nta,
                              const match_doc *docs, size_t n, err *e)
{
    text_analyzer *ta = tas[0];
    size_t sample = n < SAMPLE_DOCS ? n : SAMPLE_DOCS;
    double sum[MATCH_FIELDS] = {0};
    for (size_t i = 0; i < sample; i++) { /* evenly spread over the collection */
        uint32_t len[MATCH_FIELDS];
        if (analyze_doc(ix, ta, &docs[i * n / sample], len, false, e)) return e->code;
        for (int f = 0; f < MATCH_FIELDS; f++)
            sum[f] += len[f];
    }
    for (int f = 0; f < MATCH_FIELDS; f++)
        ix->avglen[f] = sample ? (float)(sum[f] / (double)sample) : 1.0f;
    ix->avg_ready = true;
    err_code rc = match_index_add_batch(ix, tas, nta, docs, n, e);
    if (!rc) shrink_tails(ix);
    return rc;
}

/* ---- retrieval ---- */

typedef struct {
    const term *t;
    float qw; /* query weight: kind weight × qtf^power */
    float w;  /* qw × idf */
    float ub; /* w × the term's best impact (× the largest factor multiplier) */
    uint32_t bi, i, off;
    const block *b;
    uint32_t doc;
    uint8_t q;
} cursor;

static void cursor_load_block(cursor *c, uint32_t bi)
{
    c->bi = bi;
    if (bi >= c->t->nblocks) {
        c->doc = UINT32_MAX;
        return;
    }
    c->b = term_block(c->t, bi);
    c->i = 0;
    c->doc = c->b->first;
    c->off = 1; /* the first gap is a single 0 byte */
    c->q = c->b->data[c->off++];
}

static void cursor_next(cursor *c)
{
    if (c->doc == UINT32_MAX) return;
    if (++c->i >= c->b->n) {
        cursor_load_block(c, c->bi + 1);
        return;
    }
    const uint8_t *p = c->b->data;
    uint32_t gap = 0, shift = 0;
    uint8_t byte;
    do {
        byte = p[c->off++];
        gap |= (uint32_t)(byte & 0x7f) << shift;
        shift += 7;
    } while (byte & 0x80);
    c->doc += gap;
    c->q = p[c->off++];
}

/* Moves to the first posting with doc ≥ target. */
static void cursor_seek(cursor *c, uint32_t target)
{
    if (c->doc >= target) return;
    if (c->b->last < target) {
        uint32_t lo = c->bi + 1, hi = c->t->nblocks;
        while (lo < hi) { /* first block whose last doc ≥ target */
            uint32_t mid = (lo + hi) / 2;
            if (term_block(c->t, mid)->last < target)
                lo = mid + 1;
            else
                hi = mid;
        }
        cursor_load_block(c, lo);
    }
    while (c->doc < target)
        cursor_next(c);
}

typedef struct {
    float score, text;
    uint32_t doc;
} heap_item;

/* Min-heap on score; among equal scores the later document is the smaller (it loses). */
static bool heap_less(const heap_item *a, const heap_item *b)
{
    return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

static void heap_sift_down(heap_item *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && heap_less(&h[l], &h[m])) m = l;
        if (r < n && heap_less(&h[r], &h[m])) m = r;
        if (m == i) return;
        heap_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_push(heap_item *h, int *n, int k, heap_item it)
{
    if (*n < k) {
        int i = (*n)++;
        h[i] = it;
        while (i > 0 && heap_less(&h[i], &h[(i - 1) / 2])) {
            heap_item t = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (heap_less(&h[0], &it)) {
        h[0] = it;
        heap_sift_down(h, *n, 0);
    }
}

static int cmp_cursor_ub(const void *a, const void *b)
{
    const cursor *x = a, *y = b;
    if (x->ub != y->ub) return x->ub < y->ub ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

typedef struct {
    uint32_t term;
    uint8_t kind;
} qtok;

static int cmp_qtok(const void *a, const void *b)
{
    const qtok *x = a, *y = b;
    return x->term < y->term ? -1 : x->term > y->term;
}

static int cmp_cursor_w_desc(const void *a, const void *b)
{
    const cursor *x = a, *y = b;
    if (x->w != y->w) return x->w < y->w ? 1 : -1;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* Applies max_query_terms (see match.h) to cs[0..n); returns the new count. */
static int trim_query(const match_index *ix, cursor *cs, int n)
{
    int max = ix->p.max_query_terms;
    if (max <= 0 || n <= max) return n;
    int bigrams = 0;
    for (int i = 0; i < n; i++)
        bigrams += cs[i].t->kind == TOK_CJK2;
    if (bigrams >= 8) { /* the pairs say what the characters say, with less noise */
        int m = 0;
        for (int i = 0; i < n; i++)
            if (cs[i].t->kind != TOK_CJK1) cs[m++] = cs[i];
        n = m;
    }
    if (n > max) {
        qsort(cs, (size_t)n, sizeof *cs, cmp_cursor_w_desc);
        n = max;
    }
    return n;
}

/* Analyzes the query into cursors (one per distinct known term). Returns the count, or -1. */
static int query_cursors(match_index *ix, text_analyzer *ta, const match_query *mq, float mult,
                         cursor **out, err *e)
{
    const char *text = mq->text ? mq->text : "";
    text_tokens tk = {0};
    *out = NULL;
    if (text_analyze(ta, text, strlen(text), &tk, e)) {
        text_tokens_free(&tk);
        return -1;
    }
    qtok *qt = xmalloc(sizeof(qtok) * (tk.n ? tk.n : 1));
    size_t nq = 0;
    for (size_t i = 0; i < tk.n; i++) {
        uint32_t t = term_find(ix, tk.bytes.s + tk.toks[i].off, tk.toks[i].len);
        if (t != UINT32_MAX) qt[nq++] = (qtok){t, tk.toks[i].kind};
    }
    text_tokens_free(&tk);
    qsort(qt, nq, sizeof *qt, cmp_qtok);
    cursor *cs = xcalloc(nq + (size_t)(mq->nextra > 0 ? mq->nextra : 0) + 1, sizeof(cursor));
    int n = 0;
    double N = ix->ndocs;
    for (size_t i = 0; i < nq;) {
        size_t j = i;
        while (j < nq && qt[j].term == qt[i].term)
            j++;
        const term *t = &ix->terms[qt[i].term];
        if (t->nblocks && n < MAX_QUERY_TERMS) {
            float qtf = (float)(j - i);
            float kw = ix->p.kind_weight[qt[i].kind < TOK_KINDS ? qt[i].kind : 1];
            float qw = kw * (ix->p.qtf_power == 1.0f ? qtf : powf(qtf, ix->p.qtf_power));
            float idf = (float)log(1.0 + (N - t->df + 0.5) / (t->df + 0.5));
            cursor *c = &cs[n++];
            c->t = t;
            c->qw = qw;
            c->w = qw * idf;
            c->ub = c->w * ix->deq[t->max_q] * mult;
        }
        i = j;
    }
    free(qt);
    for (int x = 0; x < mq->nextra; x++) { /* extra terms: merged into an existing cursor */
        const char *et = mq->extra_terms[x];
        uint32_t ti = term_find(ix, et, strlen(et));
        if (ti == UINT32_MAX || !ix->terms[ti].nblocks || mq->extra_weights[x] <= 0) continue;
        const term *t = &ix->terms[ti];
        cursor *c = NULL;
        for (int k = 0; k < n && !c; k++)
            if (cs[k].t == t) c = &cs[k];
        if (!c) {
            if (n >= MAX_QUERY_TERMS) continue;
            c = &cs[n++];
            c->t = t;
        }
        float idf = (float)log(1.0 + (N - t->df + 0.5) / (t->df + 0.5));
        c->qw += mq->extra_weights[x];
        c->w = c->qw * idf;
        c->ub = c->w * ix->deq[t->max_q] * mult;
    }
    n = trim_query(ix, cs, n);
    *out = cs;
    return n;
}

/* The structured factor multiplier of doc d for q, in [1, 1 + factor_weight]. */
static float factor_mult(const match_query *q, const doc_info *d)
{
    if (q->factor_weight <= 0) return 1.0f;
    float bonus = 0;
    if (q->field && d->field == q->field)
        bonus += 1.0f;
    else if (q->parent && (d->parent == q->parent || d->field == q->parent))
        bonus += 0.5f;
    if (q->trl_min && d->trl >= q->trl_min) bonus += 0.4f;
    if (q->modes && (d->modes & q->modes)) bonus += 0.4f;
    if (q->region && d->region == q->region) bonus += 0.2f;
    return 1.0f + q->factor_weight * bonus / 2.0f;
}

/* Empties the heap of hn items into out, best first, and frees it; returns hn. */
static int heap_to_hits(const match_index *ix, heap_item *heap, int hn, match_hit *out)
{
    int count = hn;
    for (int i = count - 1; i >= 0; i--) {
        heap_item top = heap[0];
        heap[0] = heap[--hn];
        heap_sift_down(heap, hn, 0);
        out[i] = (match_hit){ix->docs[top.doc].id, ix->docs[top.doc].kind, top.score, top.text};
    }
    free(heap);
    return count;
}

/* Whether document d may be returned for q (live, of the kind asked, not excluded). */
static inline bool doc_wanted(const match_query *q, const doc_info *di)
{
    return di->live && (q->kind < 0 || di->kind == q->kind) &&
           !(q->exclude_id >= 0 && di->id == q->exclude_id && di->kind == q->exclude_kind);
}

/* The k-th largest of a[0..n) (1 ≤ k ≤ n), by quickselect (Hoare's FIND); reorders a. */
static float kth_largest(float *a, long n, long k)
{
    long lo = 0, hi = n - 1, want = k - 1; /* its index in descending order */
    while (lo < hi) {
        float pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] > pivot)
                i++;
            while (a[j] < pivot)
                j--;
            if (i <= j) {
                float t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return a[want]; /* between the parts: equal to the pivot */
    }
    return a[want];
}

/* Term at a time into a dense accumulator, for small indexes (match_params.taat_max_docs):
 * every posting of every list is added to its document's score, then the top k are selected.
 * Lists are taken in the order of cs (ascending upper bound), so each document's score is
 * summed in the same order as in the MaxScore path: the results are identical, to the bit.
 * Fills heap[0..k) as match_search's heap; returns the count. */
static int search_taat(const match_index *ix, const match_query *q, const cursor *cs, int n, int k,
                       heap_item *heap)
{
    uint32_t nd = ix->ndocs;
    float *acc = xcalloc(nd ? nd : 1, sizeof(float));
    float *matched = ix->p.coverage_gamma > 0 ? xcalloc(nd ? nd : 1, sizeof(float)) : NULL;
    uint8_t *seen = xcalloc(nd ? nd : 1, 1);
    uint32_t *docs = NULL, nseen = 0, cap = 0;
    float total_qw = 0;
    for (int i = 0; i < n; i++) {
        const term *t = cs[i].t;
        float w = cs[i].w, qw = cs[i].qw;
        total_qw += qw;
        if (cap < nseen + t->df) { /* df bounds the new documents this list can bring */
            cap = nseen + t->df;
            docs = xrealloc(docs, sizeof(uint32_t) * cap);
        }
        for (uint32_t bi = 0; bi < t->nblocks; bi++) {
            const block *b = term_block(t, bi);
            const uint8_t *p = b->data;
            uint32_t doc = b->first, off = 1; /* the first gap is a single 0 byte */
            for (uint32_t j = 0; j < b->n; j++) {
                if (j) {
                    uint32_t gap = 0, shift = 0;
                    uint8_t byte;
                    do {
                        byte = p[off++];
                        gap |= (uint32_t)(byte & 0x7f) << shift;
                        shift += 7;
                    } while (byte & 0x80);
                    doc += gap;
                }
                uint8_t qv = p[off++];
                if (!seen[doc]) {
                    seen[doc] = 1;
                    docs[nseen++] = doc;
                }
                acc[doc] += w * ix->deq[qv];
                if (matched) matched[doc] += qw;
            }
        }
    }
    /* final scores of the wanted documents, in place of their texts' in acc */
    uint32_t nw = 0;
    float *fin = xmalloc(sizeof(float) * (nseen ? nseen : 1));
    for (uint32_t x = 0; x < nseen; x++) {
        uint32_t d = docs[x];
        const doc_info *di = &ix->docs[d];
        if (!doc_wanted(q, di)) continue;
        float text = acc[d];
        if (matched && total_qw > 0) text *= powf(matched[d] / total_qw, ix->p.coverage_gamma);
        acc[d] = text;
        fin[nw] = text * factor_mult(q, di);
        docs[nw++] = d;
    }
    /* only documents scoring at least the k-th best can be in the top k: the heap sees few */
    float *sel = xmalloc(sizeof(float) * (nw ? nw : 1));
    memcpy(sel, fin, sizeof(float) * nw);
    float floor = nw > (uint32_t)k ? kth_largest(sel, (long)nw, k) : -INFINITY;
    free(sel);
    int hn = 0;
    for (uint32_t x = 0; x < nw; x++)
        if (fin[x] >= floor) heap_push(heap, &hn, k, (heap_item){fin[x], acc[docs[x]], docs[x]});
    free(fin);
    free(acc);
    free(matched);
    free(seen);
    free(docs);
    return hn;
}

int match_search(match_index *ix, text_analyzer *ta, const match_query *q, match_hit *out, err *e)
{
    int k = q->k < 1 ? 10 : q->k > 1000 ? 1000 : q->k;
    float max_mult = q->factor_weight > 0 ? 1.0f + q->factor_weight : 1.0f;
    cursor *cs;
    int n = query_cursors(ix, ta, q, max_mult, &cs, e);
    if (n < 0) return -1;
    qsort(cs, (size_t)n, sizeof *cs, cmp_cursor_ub);
    if (ix->ndocs <= (uint32_t)(ix->p.taat_max_docs > 0 ? ix->p.taat_max_docs : 0)) {
        heap_item *heap = xmalloc(sizeof(heap_item) * (size_t)k);
        int hn = search_taat(ix, q, cs, n, k, heap);
        free(cs);
        return heap_to_hits(ix, heap, hn, out);
    }
    float *prefix = xmalloc(sizeof(float) * (size_t)(n + 1)); /* prefix[i] = Σ ub[0..i) */
    float *contrib = xmalloc(sizeof(float) * (size_t)(n ? n : 1));
    float total_qw = 0;
    prefix[0] = 0;
    for (int i = 0; i < n; i++) {
        prefix[i + 1] = prefix[i] + cs[i].ub;
        total_qw += cs[i].qw;
        cursor_load_block(&cs[i], 0);
    }
    heap_item *heap = xmalloc(sizeof(heap_item) * (size_t)k);
    int *touched = xmalloc(sizeof(int) * (size_t)(n ? n : 1)); /* lists that hold doc d */
    int hn = 0;
    float theta = 0;   /* the k-th best final score so far, once the heap is full */
    int first_ess = 0; /* lists [0, first_ess) are non-essential */
    const float slack = 1e-5f;
    uint32_t d = UINT32_MAX;
    for (int i = 0; i < n; i++)
        if (cs[i].doc < d) d = cs[i].doc;
    while (d != UINT32_MAX) {
        /* essential lists: score d and find the next candidate in the same pass */
        int m = 0;
        float partial = 0;
        uint32_t next = UINT32_MAX;
        for (int i = first_ess; i < n; i++) {
            if (cs[i].doc == d) {
                contrib[i] = cs[i].w * ix->deq[cs[i].q];
                partial += contrib[i] * max_mult;
                touched[m++] = i;
                cursor_next(&cs[i]);
            }
            if (cs[i].doc < next) next = cs[i].doc;
        }
        int ess = m; /* touched[0, ess) ascending; non-essential ones follow, descending */
        bool possible = true;
        for (int i = first_ess - 1; i >= 0; i--) {
            if (!q->exhaustive && hn == k && partial + prefix[i + 1] < theta * (1 - slack)) {
                possible = false;
                break;
            }
            cursor_seek(&cs[i], d);
            if (cs[i].doc == d) {
                contrib[i] = cs[i].w * ix->deq[cs[i].q];
                partial += contrib[i] * max_mult;
                touched[m++] = i;
            }
        }
        const doc_info *di = &ix->docs[d];
        uint32_t cur = d;
        d = next;
        if (!possible || !doc_wanted(q, di)) continue;
        float text = 0, matched = 0; /* summed in ascending list order: exact across modes */
        for (int j = m - 1; j >= ess; j--) {
            text += contrib[touched[j]];
            matched += cs[touched[j]].qw;
        }
        for (int j = 0; j < ess; j++) {
            text += contrib[touched[j]];
            matched += cs[touched[j]].qw;
        }
        if (ix->p.coverage_gamma > 0 && total_qw > 0)
            text *= powf(matched / total_qw, ix->p.coverage_gamma);
        float final = text * factor_mult(q, di);
        heap_push(heap, &hn, k, (heap_item){final, text, cur});
        if (hn == k && !q->exhaustive) {
            theta = heap[0].score;
            int before = first_ess;
            while (first_ess < n && prefix[first_ess + 1] < theta * (1 - slack))
                first_ess++;
            if (first_ess != before) { /* fewer essential lists: the next candidate is theirs */
                d = UINT32_MAX;
                for (int i = first_ess; i < n; i++)
                    if (cs[i].doc < d) d = cs[i].doc;
            }
        }
    }
    free(touched);
    free(prefix);
    free(contrib);
    free(cs);
    return heap_to_hits(ix, heap, hn, out);
}

static int cmp_term_weight(const void *a, const void *b)
{
    const match_term *x = a, *y = b;
    return x->weight < y->weight ? 1 : x->weight > y->weight ? -1 : strcmp(x->term, y->term);
}

int match_explain(match_index *ix, text_analyzer *ta, const match_query *q, uint8_t kind,
                  int64_t id, match_term *terms, int max, err *e)
{
    uint32_t *v = id_slot(ix, id_key(kind, id), false);
    if (!v || *v == UINT32_MAX) return -1;
    uint32_t d = *v;
    cursor *cs;
    int n = query_cursors(ix, ta, q, 1.0f, &cs, e);
    if (n < 0) return -1;
    int m = 0;
    match_term *all = xmalloc(sizeof(match_term) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        cursor_load_block(&cs[i], 0);
        cursor_seek(&cs[i], d);
        if (cs[i].doc != d) continue;
        match_term *mt = &all[m++];
        size_t len =
            cs[i].t->str_len < sizeof mt->term - 1 ? cs[i].t->str_len : sizeof mt->term - 1;
        memcpy(mt->term, ix->strings.s + cs[i].t->str_off, len);
        mt->term[len] = 0;
        mt->kind = cs[i].t->kind;
        mt->weight = cs[i].w * ix->deq[cs[i].q];
    }
    qsort(all, (size_t)m, sizeof *all, cmp_term_weight);
    int out = m < max ? m : max;
    memcpy(terms, all, sizeof(match_term) * (size_t)out);
    free(all);
    free(cs);
    return out;
}
