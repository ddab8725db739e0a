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
    "a",      "about",   "above", "after",  "again",   "against", "all",    "am",     "an",
    "and",    "any",     "are",   "as",     "at",      "be",      "been",   "before", "being",
    "below",  "between", "both",  "but",    "by",      "can",     "could",  "did",    "do",
    "does",   "doing",   "down",  "during", "each",    "few",     "for",    "from",   "further",
    "had",    "has",     "have",  "having", "he",      "her",     "here",   "hers",   "him",
    "his",    "how",     "i",     "if",     "in",      "into",    "is",     "it",     "its",
    "itself", "just",    "me",    "more",   "most",    "my",      "no",     "nor",    "not",
    "now",    "of",      "off",   "on",     "once",    "only",    "or",     "other",  "our",
    "ours",   "out",     "over",  "own",    "same",    "she",     "should", "so",     "some",
    "such",   "than",    "that",  "the",    "their",   "theirs",  "them",   "then",   "there",
    "these",  "they",    "this",  "those",  "through", "to",      "too",    "under",  "until",
    "up",     "very",    "was",   "we",     "were",    "what",    "when",   "where",  "which",
    "while",  "who",     "whom",  "why",    "will",    "with",    "would",  "you",    "your",
    "yours",
};

/* Chinese single-character function words, dropped as unigrams (bigrams keep them). */
static const char *const zh_stop[] =
    {
        "的", "了", "和", "与", "及", "或", "等", "是", "在", "对", "于", "为",
        "以", "其", "之", "将", "并", "被", "由", "从", "而", "也", "该", "这",
        "那", "个", "我", "你", "他", "们", "就", "都", "把", "还", "又", "所",
        "着", "吗", "呢", "吧", "啊", "怎", "么", "什", "哪", "啥"}; /* the last five only ask:
                                                                        怎么, 什么, 哪里, 啥 */

enum { STOP_SLOTS = 512 };
static const char *stop_set[STOP_SLOTS]; /* open addressing, built once */
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static uint32_t small_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The Chinese stopwords as a bit map over the BMP, built with the English set. */
static uint8_t zh_stop_map[65536 / 8];

static void stop_build(void)
{
    for (size_t i = 0; i < ARRAY_LEN(zh_stop); i++) {
        const unsigned char *u = (const unsigned char *)zh_stop[i];
        uint32_t cp =
            ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
        zh_stop_map[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    }
    for (size_t i = 0; i < ARRAY_LEN(en_stop); i++) {
        uint32_t h = small_hash(en_stop[i], strlen(en_stop[i])) & (STOP_SLOTS - 1);
        while (stop_set[h])
            h = (h + 1) & (STOP_SLOTS - 1);
        stop_set[h] = en_stop[i];
    }
}

static bool en_stopword(const char *w, size_t n)
{
    if (n > 8) return false; /* no stopword is longer ("against", "further": 7) */
    for (uint32_t h = small_hash(w, n) & (STOP_SLOTS - 1); stop_set[h];
         h = (h + 1) & (STOP_SLOTS - 1))
        if (strlen(stop_set[h]) == n && !memcmp(stop_set[h], w, n)) return true;
    return false;
}

static bool zh_stopword(const char *c, size_t n)
{
    if (n != 3) return false; /* every entry is a BMP character: 3 bytes of UTF-8 */
    const unsigned char *u = (const unsigned char *)c;
    uint32_t cp = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
    return zh_stop_map[cp >> 3] & (1u << (cp & 7));
}

bool text_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F) || cp == 0x3007;
}

/* Bit map over the Basic Multilingual Plane of the characters that OpenCC t2s changes on
 * their own (Traditional forms, variants). A text without any of them is already Simplified;
 * phrase-level conversions only apply around such characters too. Built once per process. */
static uint8_t trad_map[65536 / 8];
static pthread_once_t trad_once = PTHREAD_ONCE_INIT;

static void trad_mark(uint32_t cp)
{
    if (cp < 65536) trad_map[cp >> 3] |= (uint8_t)(1u << (cp & 7));
}

static void trad_build(void)
{
    opencc_t cc = opencc_open("t2s.json");
    /* all BMP Han characters, one per line (phrases never span a line) */
    static const uint32_t ranges[][2] = {{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}};
    buf in = {0};
    for (size_t r = 0; r < ARRAY_LEN(ranges); r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            char u8[4] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                          (char)(0x80 | (cp & 0x3F)), '\n'};
            buf_putn(&in, u8, 4);
        }
    char *out = cc != (opencc_t)-1 ? opencc_convert_utf8(cc, in.s, in.len) : NULL;
    if (!out) { /* cannot tell: treat every Han character as possibly Traditional */
        for (size_t r = 0; r < ARRAY_LEN(ranges); r++)
            for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++)
                trad_mark(cp);
    } else {
        const char *p = out, *q = in.s;
        for (size_t r = 0; r < ARRAY_LEN(ranges); r++)
            for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                if (n != 3 || memcmp(p, q, 3)) trad_mark(cp);
                p += n + (nl ? 1 : 0);
                q += 4;
            }
        opencc_convert_utf8_free(out);
    }
    if (cc != (opencc_t)-1) opencc_close(cc);
    buf_free(&in);
}

text_analyzer *text_analyzer_new(err *e)
{
    text_analyzer *ta = xcalloc(1, sizeof *ta);
    UErrorCode uerr = U_ZERO_ERROR;
    ta->nfkc_cf = unorm2_getNFKCCasefoldInstance(&uerr);
    if (U_FAILURE(uerr)) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "ICU NFKC_Casefold unavailable: %s",
                u_errorName(uerr));
        goto fail;
    }
    ta->t2s = opencc_open("t2s.json");
    if (ta->t2s == (opencc_t)-1) {
        ta->t2s = NULL;
        err_set(e, ERR_INTERNAL, NULL, NULL,
                "OpenCC t2s.json unavailable (install libopencc-data)");
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
    for (size_t i = 0; i < n && ascii; i++)
        ascii = !(s[i] & 0x80);
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
    /* Traditional → Simplified only matters when a character that t2s changes is present:
     * OpenCC's dictionary walk dominated indexing of Simplified text, which it leaves as is */
    pthread_once(&trad_once, trad_build);
    bool han = false;
    for (int32_t i = 0; i < len16 && !han; i++) {
        UChar u = ta->n16[i];
        han = (u >= 0xD800 && u <= 0xDFFF) || (trad_map[u >> 3] & (1u << (u & 7)));
    }
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
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
    return !text_is_han(cp) &&
           (u_isalnum((UChar32)cp) || u_hasBinaryProperty((UChar32)cp, UCHAR_ALPHABETIC));
}

/* British → American spelling, so that "tumour" finds "tumor" and "randomised" finds
 * "randomized". Substring rewrites, applied in order to lower-case ASCII words before
 * stemming; `to` is never longer than `from` (but see "centred"). A `tail` rewrite applies only at
 * the end of the word or before a final s or d ("centres", "centred" → "centered"). The list is
 * limited to spellings whose British form is not another English word. */
static const struct {
    const char *from, *to;
    bool tail;
} en_spell[] = {
    /* -our → -or */
    {"tumour", "tumor", 0},
    {"behaviour", "behavior", 0},
    {"colour", "color", 0},
    {"favour", "favor", 0},
    {"labour", "labor", 0},
    {"odour", "odor", 0},
    {"flavour", "flavor", 0},
    {"neighbour", "neighbor", 0},
    {"vigour", "vigor", 0},
    {"rigour", "rigor", 0},
    {"humour", "humor", 0},
    {"honour", "honor", 0},
    {"vapour", "vapor", 0},
    {"rumour", "rumor", 0},
    {"harbour", "harbor", 0},
    {"endeavour", "endeavor", 0},
    /* ae, oe → e (Greek and Latin loans) */
    {"haem", "hem", 0},
    {"aemia", "emia", 0},
    {"aemic", "emic", 0},
    {"anaes", "anes", 0},
    {"paed", "ped", 0},
    {"aetiol", "etiol", 0},
    {"gynaec", "gynec", 0},
    {"faec", "fec", 0},
    {"caesar", "cesar", 0},
    {"oestr", "estr", 0},
    {"oedem", "edem", 0},
    {"oesoph", "esoph", 0},
    {"foet", "fet", 0},
    {"rrhoea", "rrhea", 0},
    {"coeliac", "celiac", 0},
    {"amoeb", "ameb", 0},
    {"manoeuv", "maneuv", 0},
    /* other */
    {"sulph", "sulf", 0},
    {"lyz", "lys", 0}, /* analyze → analyse, since "analyses" is also the plural noun */
    {"centre", "center", 1},
    {"fibre", "fiber", 1},
    {"litre", "liter", 1},
    {"metre", "meter", 1},
    {"programme", "program", 1},
    {"grey", "gray", 1},
};

/* Bases that take -ise but never -ize (otherwise, exercise, promise, comprise, advise, …),
 * matched as endings of the word before its -ise/-ising/-isation suffix. */
static const char *const ise_keep[] = {
    "a",      "o",        "u",      "w",     "v",      "pr",    "exerc", "prec",  "conc", "exc",
    "inc",    "umc",      "absc",   "prom",  "surm",   "dem",   "prem",  "chast", "desp", "treat",
    "franch", "merchand", "advert", "pract", "expert", "parad", "mort",  "sunr",
};

static bool ends_with(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return m <= n && !memcmp(s + n - m, suf, m);
}

/* Rewrites the lower-case ASCII word w[0..*n) to American spelling in place. */
static void en_americanize(char *w, size_t *n)
{
    if (*n < 4) return;
    /* every rewrite needs one of these letter pairs, or a -re/-me/-ey/-is… ending: most words
     * have none and leave after one pass */
    bool maybe = false;
    for (size_t i = 0; i + 1 < *n && !maybe; i++) {
        char a = w[i], b = w[i + 1];
        maybe = (b == 'e' && (a == 'a' || a == 'o' || a == 'r' || a == 'm')) ||
                (a == 'o' && b == 'u') || (a == 'p' && b == 'h') || (a == 'y' && b == 'z') ||
                (a == 'e' && b == 'y') || (a == 'i' && b == 's');
    }
    if (!maybe) return;
    for (size_t r = 0; r < ARRAY_LEN(en_spell); r++) {
        const char *from = en_spell[r].from, *to = en_spell[r].to;
        size_t fl = strlen(from), tl = strlen(to);
        for (size_t i = 0; i + fl <= *n; i++) {
            if (w[i] != from[0] || memcmp(w + i, from, fl)) continue;
            size_t rest = *n - i - fl;
            if (en_spell[r].tail) {
                char last = rest ? w[*n - 1] : 0;
                bool re_d = last == 'd' && from[fl - 1] == 'e' && from[fl - 2] == 'r';
                if (rest > 1 || (rest == 1 && last != 's' && !re_d)) continue;
                if (re_d) { /* centred → centered: one byte longer, within the buffer */
                    if (i + tl + 2 > STEM_MAX_WORD) continue;
                    memcpy(w + i, to, tl);
                    memcpy(w + i + tl, "ed", 2);
                    *n = i + tl + 2;
                    break;
                }
            }
            memcpy(w + i, to, tl);
            memmove(w + i + tl, w + i + fl, rest);
            *n -= fl - tl;
        }
    }
    static const char *const ise_suf[] = {"isations", "isation", "isers", "iser",
                                          "ising",    "ised",    "ises",  "ise"};
    for (size_t k = 0; k < ARRAY_LEN(ise_suf); k++) {
        if (!ends_with(w, *n, ise_suf[k])) continue;
        size_t base = *n - strlen(ise_suf[k]);
        if (base < 3) return;
        for (size_t x = 0; x < ARRAY_LEN(ise_keep); x++)
            if (ends_with(w, base, ise_keep[x])) return;
        w[base + 1] = 'z';
        return;
    }
}

/* Stems the lower-case word s[0..n) (American spelling first, then Snowball English) into
 * *out and *outlen, through the analyzer's cache. The stem lives in the cache or the stemmer
 * and stays valid until the next call. */
static void stem_word(text_analyzer *ta, const char *s, size_t n, const char **out, size_t *outlen)
{
    stem_entry *se = NULL;
    if (n < STEM_MAX_WORD) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * 16777619u;
        se = &ta->stems[h & (STEM_SLOTS - 1)];
        if (se->wlen == n && !memcmp(se->word, s, n)) {
            *out = se->stem;
            *outlen = se->slen;
            return;
        }
    }
    char am[STEM_MAX_WORD];
    const char *w = s;
    size_t wn = n;
    if (n < STEM_MAX_WORD) {
        bool ascii = true;
        for (size_t i = 0; i < n && ascii; i++)
            ascii = s[i] >= 'a' && s[i] <= 'z';
        if (ascii) {
            memcpy(am, s, n);
            en_americanize(am, &wn);
            w = am;
        }
    }
    const sb_symbol *st = sb_stemmer_stem(ta->stem, (const sb_symbol *)w, (int)wn);
    size_t sl = st ? (size_t)sb_stemmer_length(ta->stem) : wn;
    const char *stem = st ? (const char *)st : w;
    if (se && sl < STEM_MAX_WORD) {
        se->wlen = (uint8_t)n;
        memcpy(se->word, s, n);
        se->slen = (uint8_t)sl;
        memcpy(se->stem, stem, sl);
        stem = se->stem;
    }
    *out = stem;
    *outlen = sl;
}

/* One part of a joined token: a number, a code (letters+digits) or a stemmed word. */
static void emit_part(text_analyzer *ta, text_tokens *t, const char *s, size_t n, uint32_t pos)
{
    bool digit = false, alpha = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
        else if (s[i] != '.')
            alpha = true;
    }
    if (digit && !alpha) return emit(t, s, n, pos, TOK_NUM);
    if (digit) return emit(t, s, n, pos, TOK_CODE);
    if (en_stopword(s, n)) return;
    const char *stem;
    size_t sl;
    stem_word(ta, s, n, &stem, &sl);
    emit(t, stem, sl, pos, TOK_WORD);
}

/* Greek letters, spelled out: biomedical text writes both "TNF-α" and "TNF-alpha". Indexed by
 * code point − U+03B1 (α … ω; ς, the final sigma, is "sigma"). */
static const char *const greek_names[] = {
    "alpha", "beta",   "gamma",   "delta", "epsilon", "zeta",    "eta",   "theta", "iota",
    "kappa", "lambda", "mu",      "nu",    "xi",      "omicron", "pi",    "rho",   "sigma",
    "sigma", "tau",    "upsilon", "phi",   "chi",     "psi",     "omega",
};

/* True when s[0..n) is the name of a Greek letter ("alpha", "kappa"). */
static bool is_greek_name(const char *s, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(greek_names); i++)
        if (strlen(greek_names[i]) == n && !memcmp(greek_names[i], s, n)) return true;
    return false;
}

/* Rewrites normalized text for tokenizing into out (reset first): Greek letters become their
 * names and the Unicode hyphens U+2010, U+2011 become '-'. Returns false, leaving out
 * untouched, when there is nothing to rewrite. */
static bool fold_for_terms(const unsigned char *p, size_t len, buf *out)
{
    /* α..ω are CE B1..CF 89, the hyphens E2 80 90/91: find the first lead byte (memchr is
     * vectorized; most text has none of them) */
    if (!p || len == 0) return false;
    const unsigned char *first = NULL;
    static const unsigned char leads[] = {0xce, 0xcf, 0xe2};
    for (size_t k = 0; k < ARRAY_LEN(leads); k++) {
        const unsigned char *f = memchr(p, leads[k], first ? (size_t)(first - p) : len);
        if (f) first = f;
    }
    if (!first) return false;
    size_t i = (size_t)(first - p);
    bool changed = false;
    buf_reset(out);
    size_t done = 0;
    while (i < len) {
        size_t cl;
        uint32_t cp = decode(p + i, &cl);
        const char *rep = NULL;
        if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3BC)
            rep = greek_names[cp - 0x3B1]; /* not µ */
        else if (cp == 0x2010 || cp == 0x2011)
            rep = "-";
        if (rep) {
            buf_putn(out, (const char *)p + done, i - done);
            buf_puts(out, rep);
            done = i + cl;
            changed = true;
        }
        i += cl;
    }
    if (!changed) return false;
    buf_putn(out, (const char *)p + done, len - done);
    return true;
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
    buf folded = {0};
    if (fold_for_terms((const unsigned char *)norm.s, norm.len, &folded)) {
        buf tmp = norm;
        norm = folded;
        folded = tmp;
    }
    buf_free(&folded);
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
                if (have_prev)
                    emit(out, (const char *)p + prev_off, prev_len + cl, pos - 1, TOK_CJK2);
                if (!zh_stopword((const char *)p + i, cl))
                    emit(out, (const char *)p + i, cl, pos, TOK_CJK1);
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
                if (!strchr("-.+/", p[k]) ||
                    (p[k] == '.' && k > start && p[k - 1] >= '0' && p[k - 1] <= '9'))
                    code[cn++] = (char)p[k];
            bool alpha_only = true; /* "anti-inflammatory" is the word "antiinflammatory" */
            for (size_t k = 0; k < cn && alpha_only; k++)
                alpha_only = (code[k] >= 'a' && code[k] <= 'z') || (code[k] & 0x80);
            /* words of three letters or more each ("double-strand", "cell-autonomous") make a
             * compound, which says what its parts say; a single letter, a short prefix or a
             * Greek letter ("CAR-T", "T-cell", "co-culture", "TNF-alpha") makes a code that
             * means more than its parts */
            bool words = alpha_only;
            for (size_t k = 0; k < parts && words; k++)
                words =
                    part_len[k] >= 3 && !is_greek_name((const char *)p + part_off[k], part_len[k]);
            if (alpha_only) {
                const char *stem;
                size_t sl;
                stem_word(ta, code, cn, &stem, &sl);
                emit(out, stem, sl, part_pos[0], words ? TOK_PHRASE : TOK_CODE);
            } else {
                emit(out, code, cn, part_pos[0], TOK_CODE);
            }
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
