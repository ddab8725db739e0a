/* analyze.c — normalization and tokenization (see text.h for the rules). */
#include "text/text.h"

#include <libstemmer.h>
#include <pthread.h>
#include <opencc/opencc.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

enum { STEM_SLOTS = 1 << 16, STEM_MAX_WORD = 24 };

/* A cache of word → stem: the stemmer dominates English analysis and words repeat. */
typedef struct {
    uint8_t wlen, slen;
    char word[STEM_MAX_WORD], stem[STEM_MAX_WORD];
} stem_entry;

struct text_analyzer {
    stem_entry *stems; /* STEM_SLOTS entries, direct mapped by hash */
    opencc_t t2s;
    struct sb_stemmer *stem;
    const UNormalizer2 *nfkc_cf;
    UChar *u16; /* scratch buffers, grown on demand */
    int32_t u16_cap;
    UChar *n16;
    int32_t n16_cap;
};

/* English stopwords (Snowball's list, trimmed to function words), sorted for bsearch. */
static const char *const en_stop[] = {
    "a",     "about", "above",  "after",  "again", "against", "all",   "am",    "an",
    "and",   "any",   "are",    "as",     "at",    "be",      "been",  "before", "being",
    "below", "between", "both", "but",    "by",    "can",     "could", "did",   "do",
    "does",  "doing", "down",   "during", "each",  "few",     "for",   "from",  "further",
    "had",   "has",   "have",   "having", "he",    "her",     "here",  "hers",  "him",
    "his",   "how",   "i",      "if",     "in",    "into",    "is",    "it",    "its",
    "itself", "just", "me",     "more",   "most",  "my",      "no",    "nor",   "not",
    "now",   "of",    "off",    "on",     "once",  "only",    "or",    "other", "our",
    "ours",  "out",   "over",   "own",    "same",  "she",     "should", "so",   "some",
    "such",  "than",  "that",   "the",    "their", "theirs",  "them",  "then",  "there",
    "these", "they",  "this",   "those",  "through", "to",    "too",   "under", "until",
    "up",    "very",  "was",    "we",     "were",  "what",    "when",  "where", "which",
    "while", "who",   "whom",   "why",    "will",  "with",    "would", "you",   "your",
    "yours",
};

/* Chinese single-character function words, dropped as unigrams (bigrams keep them). */
static const char *const zh_stop[] = {"的", "了", "和", "与", "及", "或", "等", "是", "在",
                                      "对", "于", "为", "以", "其", "之", "将", "并", "被",
                                      "由", "从", "而", "也", "该", "这", "那", "个", "我",
                                      "你", "他", "们", "就", "都", "把", "还", "又", "所",
                                      "着", "吗", "呢", "吧", "啊"};

enum { STOP_SLOTS = 512 };
static const char *stop_set[STOP_SLOTS]; /* open addressing, built once */
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static uint32_t small_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void stop_build(void)
{
    for (size_t i = 0; i < ARRAY_LEN(en_stop); i++) {
        uint32_t h = small_hash(en_stop[i], strlen(en_stop[i])) & (STOP_SLOTS - 1);
        while (stop_set[h]) h = (h + 1) & (STOP_SLOTS - 1);
        stop_set[h] = en_stop[i];
    }
}

static bool en_stopword(const char *w, size_t n)
{
    if (n > 8) return false; /* no stopword is longer ("against", "further": 7) */
    for (uint32_t h = small_hash(w, n) & (STOP_SLOTS - 1); stop_set[h]; h = (h + 1) & (STOP_SLOTS - 1))
        if (strlen(stop_set[h]) == n && !memcmp(stop_set[h], w, n)) return true;
    return false;
}

static bool zh_stopword(const char *c, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(zh_stop); i++)
        if (strlen(zh_stop[i]) == n && !memcmp(zh_stop[i], c, n)) return true;
    return false;
}

bool text_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F) ||
           cp == 0x3007;
}

text_analyzer *text_analyzer_new(err *e)
{
    text_analyzer *ta = xcalloc(1, sizeof *ta);
    UErrorCode uerr = U_ZERO_ERROR;
    ta->nfkc_cf = unorm2_getNFKCCasefoldInstance(&uerr);
    if (U_FAILURE(uerr)) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "ICU NFKC_Casefold unavailable: %s", u_errorName(uerr));
        goto fail;
    }
    ta->t2s = opencc_open("t2s.json");
    if (ta->t2s == (opencc_t)-1) {
        ta->t2s = NULL;
        err_set(e, ERR_INTERNAL, NULL, NULL, "OpenCC t2s.json unavailable (install libopencc-data)");
        goto fail;
    }
    pthread_once(&stop_once, stop_build);
    ta->stems = xcalloc(STEM_SLOTS, sizeof(stem_entry));
    ta->stem = sb_stemmer_new("english", NULL);
    if (!ta->stem) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "Snowball english stemmer unavailable");
        goto fail;
    }
    return ta;
fail:
    text_analyzer_free(ta);
    return NULL;
}

void text_analyzer_free(text_analyzer *ta)
{
    if (!ta) return;
    if (ta->t2s) opencc_close(ta->t2s);
    if (ta->stem) sb_stemmer_delete(ta->stem);
    free(ta->stems);
    free(ta->u16);
    free(ta->n16);
    free(ta);
}

static void grow16(UChar **p, int32_t *cap, int32_t need)
{
    if (need <= *cap) return;
    *cap = need + need / 2 + 64;
    *p = xrealloc(*p, sizeof(UChar) * (size_t)*cap);
}

err_code text_normalize(text_analyzer *ta, const char *s, size_t n, buf *out, err *e)
{
    buf_reset(out);
    if (!utf8_valid(s, n))
        return err_set(e, ERR_INVALID, NULL, "err.utf8", "text is not valid UTF-8");
    if (n == 0) return ERR_OK;
    bool ascii = true;
    for (size_t i = 0; i < n && ascii; i++) ascii = !(s[i] & 0x80);
    if (ascii) { /* NFKC and case folding of ASCII are just lower case */
        buf_putn(out, s, n);
        for (size_t i = 0; i < n; i++)
            if (out->s[i] >= 'A' && out->s[i] <= 'Z') out->s[i] = (char)(out->s[i] + 32);
        return ERR_OK;
    }
    if (n > INT32_MAX / 4) return err_set(e, ERR_TOO_LARGE, NULL, NULL, "text too long");
    UErrorCode uerr = U_ZERO_ERROR;
    int32_t len16 = 0;
    grow16(&ta->u16, &ta->u16_cap, (int32_t)n + 1);
    u_strFromUTF8(ta->u16, ta->u16_cap, &len16, s, (int32_t)n, &uerr);
    if (U_FAILURE(uerr))
        return err_set(e, ERR_INVALID, NULL, "err.utf8", "text is not valid UTF-8");
    for (;;) { /* NFKC_Casefold may expand: retry with the size ICU asks for */
        uerr = U_ZERO_ERROR;
        grow16(&ta->n16, &ta->n16_cap, len16 * 2 + 16);
        int32_t m = unorm2_normalize(ta->nfkc_cf, ta->u16, len16, ta->n16, ta->n16_cap, &uerr);
        if (uerr == U_BUFFER_OVERFLOW_ERROR) {
            grow16(&ta->n16, &ta->n16_cap, m + 16);
            continue;
        }
        if (U_FAILURE(uerr))
            return err_set(e, ERR_INTERNAL, NULL, NULL, "normalization failed: %s",
                           u_errorName(uerr));
        len16 = m;
        break;
    }
    int32_t len8 = 0;
    uerr = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &len8, ta->n16, len16, &uerr);
    char *tmp = xmalloc((size_t)len8 + 1);
    uerr = U_ZERO_ERROR;
    u_strToUTF8(tmp, len8 + 1, NULL, ta->n16, len16, &uerr);
    /* Traditional → Simplified only matters when Han characters are present */
    bool han = false;
    for (int32_t i = 0; i < len16 && !han; i++) han = ta->n16[i] >= 0x3400;
    if (han) {
        char *conv = opencc_convert_utf8(ta->t2s, tmp, (size_t)len8);
        if (conv) {
            buf_puts(out, conv);
            opencc_convert_utf8_free(conv);
        } else {
            buf_putn(out, tmp, (size_t)len8);
        }
    } else {
        buf_putn(out, tmp, (size_t)len8);
    }
    free(tmp);
    return ERR_OK;
}

/* Decodes one code point of well-formed UTF-8 at s; sets *len. */
static inline uint32_t decode(const unsigned char *s, size_t *len)
{
    if (s[0] < 0x80) return *len = 1, s[0];
    if ((s[0] & 0xe0) == 0xc0) return *len = 2, ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    if ((s[0] & 0xf0) == 0xe0)
        return *len = 3,
               ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    return *len = 4, ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
                         ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
}

static void emit(text_tokens *t, const char *s, size_t n, uint32_t pos, text_kind kind)
{
    if (n == 0 || n > 64) return;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->toks = xrealloc(t->toks, sizeof(text_token) * t->cap);
    }
    t->toks[t->n++] = (text_token){(uint32_t)t->bytes.len, (uint32_t)n, pos, (uint8_t)kind};
    buf_putn(&t->bytes, s, n);
}

static inline bool is_word_cp(uint32_t cp)
{
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
    return !text_is_han(cp) && (u_isalnum((UChar32)cp) || u_hasBinaryProperty((UChar32)cp, UCHAR_ALPHABETIC));
}

/* One part of a joined token: a number, a code (letters+digits) or a stemmed word. */
static void emit_part(text_analyzer *ta, text_tokens *t, const char *s, size_t n, uint32_t pos)
{
    bool digit = false, alpha = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') digit = true;
        else if (s[i] != '.') alpha = true;
    }
    if (digit && !alpha) return emit(t, s, n, pos, TOK_NUM);
    if (digit) return emit(t, s, n, pos, TOK_CODE);
    if (en_stopword(s, n)) return;
    stem_entry *se = NULL;
    if (n < STEM_MAX_WORD) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
        se = &ta->stems[h & (STEM_SLOTS - 1)];
        if (se->wlen == n && !memcmp(se->word, s, n)) return emit(t, se->stem, se->slen, pos, TOK_WORD);
    }
    const sb_symbol *st = sb_stemmer_stem(ta->stem, (const sb_symbol *)s, (int)n);
    size_t sl = st ? (size_t)sb_stemmer_length(ta->stem) : n;
    const char *stem = st ? (const char *)st : s;
    if (se && sl < STEM_MAX_WORD) {
        se->wlen = (uint8_t)n;
        memcpy(se->word, s, n);
        se->slen = (uint8_t)sl;
        memcpy(se->stem, stem, sl);
    }
    emit(t, stem, sl, pos, TOK_WORD);
}

err_code text_analyze(text_analyzer *ta, const char *s, size_t n, text_tokens *out, err *e)
{
    out->n = 0;
    buf_reset(&out->bytes);
    buf norm = {0};
    if (text_normalize(ta, s, n, &norm, e)) {
        buf_free(&norm);
        return e->code;
    }
    const unsigned char *p = (const unsigned char *)(norm.s ? norm.s : "");
    size_t len = norm.len, i = 0;
    uint32_t pos = 0;
    while (i < len) {
        size_t cl;
        uint32_t cp = decode(p + i, &cl);
        if (text_is_han(cp)) { /* a run of Han characters: unigrams and bigrams */
            size_t prev_off = 0, prev_len = 0;
            bool have_prev = false;
            while (i < len) {
                cp = decode(p + i, &cl);
                if (!text_is_han(cp)) break;
                if (have_prev) emit(out, (const char *)p + prev_off, prev_len + cl, pos - 1, TOK_CJK2);
                if (!zh_stopword((const char *)p + i, cl)) emit(out, (const char *)p + i, cl, pos, TOK_CJK1);
                prev_off = i;
                prev_len = cl;
                have_prev = true;
                pos++;
                i += cl;
            }
            continue;
        }
        if (!is_word_cp(cp)) {
            i += cl;
            continue;
        }
        /* a joined token: word parts separated by single - . + / between word characters */
        size_t start = i, parts = 0;
        uint32_t part_pos[16];
        size_t part_off[16], part_len[16];
        size_t ps = i;
        for (;;) {
            while (i < len) {
                cp = decode(p + i, &cl);
                if (!is_word_cp(cp)) break;
                i += cl;
            }
            bool digit_before = i > ps && p[i - 1] >= '0' && p[i - 1] <= '9';
            if (i + 1 < len && p[i] == '.' && digit_before && p[i + 1] >= '0' && p[i + 1] <= '9') {
                i++; /* a decimal point: the number goes on */
                continue;
            }
            if (parts < 16) {
                part_off[parts] = ps;
                part_len[parts] = i - ps;
                part_pos[parts] = pos;
                parts++;
            }
            pos++;
            if (i + 1 < len && p[i] && strchr("-.+/", p[i])) {
                size_t nl;
                if (is_word_cp(decode(p + i + 1, &nl))) {
                    i++;
                    ps = i;
                    continue;
                }
            }
            break;
        }
        for (size_t k = 0; k < parts; k++)
            emit_part(ta, out, (const char *)p + part_off[k], part_len[k], part_pos[k]);
        if (parts > 1 && i - start <= 64) { /* the whole code, separators removed */
            char code[64];
            size_t cn = 0;
            for (size_t k = start; k < i; k++)
                if (!strchr("-.+/", p[k]) || (p[k] == '.' && k > start && p[k - 1] >= '0' && p[k - 1] <= '9'))
                    code[cn++] = (char)p[k];
            emit(out, code, cn, part_pos[0], TOK_CODE);
        }
    }
    buf_free(&norm);
    return ERR_OK;
}

void text_tokens_free(text_tokens *t)
{
    buf_free(&t->bytes);
    free(t->toks);
    t->toks = NULL;
    t->n = t->cap = 0;
}
