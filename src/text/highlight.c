/* highlight.c — mapping query terms back onto the raw text a person reads. Raw text is walked
 * unit by unit (a Han character, or a run of word characters); each unit is normalized and
 * analyzed like the index does, so 網站 lights up for a query 网站 and "Cells" for "cell". */
#include "text/highlight.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

err_code hl_query_init(text_analyzer *ta, const char *q, hl_query *out, err *e)
{
    memset(out, 0, sizeof *out);
    text_tokens tk = {0};
    if (text_analyze(ta, q, strlen(q), &tk, e)) {
        text_tokens_free(&tk);
        return e->code;
    }
    out->terms = xcalloc(tk.n ? tk.n : 1, sizeof(char *));
    for (size_t i = 0; i < tk.n; i++) {
        char *t = xmalloc(tk.toks[i].len + 2);
        t[0] = (char)('0' + tk.toks[i].kind); /* the kind is part of the key */
        memcpy(t + 1, tk.bytes.s + tk.toks[i].off, tk.toks[i].len);
        t[tk.toks[i].len + 1] = 0;
        out->terms[out->n++] = t;
    }
    qsort(out->terms, (size_t)out->n, sizeof(char *), cmp_str);
    text_tokens_free(&tk);
    return ERR_OK;
}

void hl_query_add(hl_query *q, const char *const *terms, const uint8_t *kinds, int n)
{
    if (n <= 0) return;
    q->terms = xrealloc(q->terms, sizeof(char *) * (size_t)(q->n + n));
    for (int i = 0; i < n; i++) {
        size_t len = strlen(terms[i]);
        char *t = xmalloc(len + 2);
        t[0] = (char)('0' + kinds[i]);
        memcpy(t + 1, terms[i], len + 1);
        q->terms[q->n++] = t;
    }
    qsort(q->terms, (size_t)q->n, sizeof(char *), cmp_str);
}

void hl_query_free(hl_query *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->terms[i]);
    free(q->terms);
    memset(q, 0, sizeof *q);
}

static bool has_term(const hl_query *q, int kind, const char *s, size_t n)
{
    char key[80];
    if (n + 2 > sizeof key) return false;
    key[0] = (char)('0' + kind);
    memcpy(key + 1, s, n);
    key[n + 1] = 0;
    const char *k = key;
    return bsearch(&k, q->terms, (size_t)q->n, sizeof(char *), cmp_str) != NULL;
}

static size_t cp_len(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
}

static uint32_t cp_at(const unsigned char *s, size_t len)
{
    if (len == 1) return s[0];
    if (len == 2) return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    if (len == 3)
        return ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
           ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
}

/* Letters and digits of any script but Han (Han characters are units of their own). */
static bool word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return !text_is_han(cp) && u_isalnum((UChar32)cp);
}

static void add_span(hl_span *out, int *n, int max, size_t a, size_t b)
{
    if (*n > 0 && out[*n - 1].end >= a) { /* touching or overlapping: merge */
        if (b > out[*n - 1].end) out[*n - 1].end = b;
        return;
    }
    if (*n < max) out[(*n)++] = (hl_span){a, b};
}

int hl_spans(text_analyzer *ta, const hl_query *q, const char *raw, size_t n, hl_span *out, int max)
{
    const unsigned char *p = (const unsigned char *)raw;
    int ns = 0;
    buf norm = {0}, prev = {0};
    text_tokens tk = {0};
    err e = {0};
    size_t prev_start = 0;
    bool prev_han = false;
    size_t i = 0;
    while (i < n && ns < max) {
        size_t cl = cp_len(p[i]);
        if (i + cl > n) break;
        uint32_t cp = cp_at(p + i, cl);
        if (text_is_han(cp)) {
            if (text_normalize(ta, raw + i, cl, &norm, &e) || !norm.s) {
                i += cl;
                prev_han = false;
                continue;
            }
            if (prev_han) {
                char pair[16];
                if (prev.len + norm.len < sizeof pair) {
                    memcpy(pair, prev.s, prev.len);
                    memcpy(pair + prev.len, norm.s, norm.len);
                    if (has_term(q, TOK_CJK2, pair, prev.len + norm.len))
                        add_span(out, &ns, max, prev_start, i + cl);
                }
            }
            /* a character the query has alone (not inside one of its bigrams) */
            if (has_term(q, TOK_CJK1, norm.s, norm.len)) {
                bool in_bigram = false;
                for (int k = 0; k < q->n && !in_bigram; k++)
                    in_bigram = q->terms[k][0] == '0' + TOK_CJK2 && strstr(q->terms[k] + 1, norm.s);
                if (!in_bigram) add_span(out, &ns, max, i, i + cl);
            }
            buf_reset(&prev);
            buf_putn(&prev, norm.s, norm.len);
            prev_start = i;
            prev_han = true;
            i += cl;
            continue;
        }
        prev_han = false;
        if (!word_cp(cp)) {
            i += cl;
            continue;
        }
        size_t start = i; /* a run of word characters (not Han) */
        while (i < n) {
            size_t l2 = cp_len(p[i]);
            if (i + l2 > n || !word_cp(cp_at(p + i, l2))) break;
            i += l2;
        }
        if (i - start > 64) continue;
        if (text_analyze(ta, raw + start, i - start, &tk, &e)) continue;
        for (size_t k = 0; k < tk.n; k++) {
            int kind = tk.toks[k].kind;
            if ((kind == TOK_WORD || kind == TOK_NUM || kind == TOK_CODE || kind == TOK_PHRASE) &&
                has_term(q, kind, tk.bytes.s + tk.toks[k].off, tk.toks[k].len)) {
                add_span(out, &ns, max, start, i);
                break;
            }
        }
    }
    buf_free(&norm);
    buf_free(&prev);
    text_tokens_free(&tk);
    return ns;
}

void hl_window(const char *raw, size_t n, const hl_span *spans, int ns, size_t chars, size_t *start,
               size_t *end)
{
    /* character start offsets, to slide a window of `chars` characters */
    size_t nchars = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)raw[i] & 0xc0) != 0x80) nchars++;
    size_t *offs = xmalloc(sizeof(size_t) * (nchars + 1));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)raw[i] & 0xc0) != 0x80) offs[k++] = i;
    offs[nchars] = n;
    size_t best_c = 0;
    int best = -1;
    if (nchars > chars) {
        /* try windows starting a little before each span */
        for (int s = 0; s < ns; s++) {
            size_t c0 = 0;
            while (c0 < nchars && offs[c0] < spans[s].start)
                c0++;
            c0 = c0 > 10 ? c0 - 10 : 0;
            if (c0 + chars > nchars) c0 = nchars - chars;
            int count = 0;
            for (int t = 0; t < ns; t++)
                if (spans[t].start >= offs[c0] && spans[t].end <= offs[c0 + chars]) count++;
            if (count > best) {
                best = count;
                best_c = c0;
            }
        }
    }
    *start = nchars > chars ? offs[best_c] : 0;
    *end = nchars > chars ? offs[best_c + chars] : n;
    free(offs);
}
