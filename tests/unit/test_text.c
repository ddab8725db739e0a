/* test_text.c — text analysis: normalization, CJK unigrams and bigrams, Traditional →
 * Simplified, codes, English stems with American spelling, and invalid input. */
#include <string.h>

#include "test.h"
#include "text/text.h"

/* The terms of s as "kind:text" joined by spaces, into out (NUL-terminated; "!" on error). */
static void terms_of(text_analyzer *ta, const char *s, char *out, size_t cap)
{
    text_tokens t = {0};
    err e = {0};
    size_t n = 0;
    out[0] = 0;
    if (text_analyze(ta, s, strlen(s), &t, &e)) {
        snprintf(out, cap, "!");
        text_tokens_free(&t);
        return;
    }
    for (size_t i = 0; i < t.n && n + 1 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%d:%.*s", i ? " " : "", t.toks[i].kind,
                              (int)t.toks[i].len, t.bytes.s + t.toks[i].off);
    text_tokens_free(&t);
}

/* True when the terms of s include "kind:text". */
static bool has_term(text_analyzer *ta, const char *s, const char *want)
{
    char got[2048];
    terms_of(ta, s, got, sizeof got);
    size_t wl = strlen(want);
    for (const char *p = got; (p = strstr(p, want)); p++)
        if ((p == got || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == 0)) return true;
    return false;
}

/* Checks that a and b analyze to the same terms (two spellings of one text). */
#define SAME_TERMS(ta, a, b)                                                                       \
    do {                                                                                           \
        char x_[2048], y_[2048];                                                                   \
        terms_of(ta, a, x_, sizeof x_);                                                            \
        terms_of(ta, b, y_, sizeof y_);                                                            \
        CHECK_EQ_STR(x_, y_);                                                                      \
    } while (0)

TEST(text_cjk_unigrams_and_bigrams)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    char got[512];
    terms_of(ta, "科技成果", got, sizeof got);
    CHECK_EQ_STR(got, "4:科 5:科技 4:技 5:技成 4:成 5:成果 4:果");
    /* function characters are no unigrams, but stay inside bigrams */
    CHECK(!has_term(ta, "药物的研发", "4:的"));
    CHECK(has_term(ta, "药物的研发", "5:物的"));
    CHECK(!has_term(ta, "怎么治疗", "4:么"));
    CHECK(has_term(ta, "怎么治疗", "5:治疗"));
    text_analyzer_free(ta);
}

TEST(text_mixed_scripts)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    const char *s = "PD-1抑制剂 clinical trials";
    CHECK(has_term(ta, s, "3:pd1"));
    CHECK(has_term(ta, s, "1:pd"));
    CHECK(has_term(ta, s, "2:1"));
    CHECK(has_term(ta, s, "5:抑制"));
    CHECK(has_term(ta, s, "4:剂"));
    CHECK(has_term(ta, s, "1:clinic"));
    CHECK(has_term(ta, s, "1:trial"));
    CHECK(!has_term(ta, s, "5:1抑")); /* no bigram across scripts */
    text_analyzer_free(ta);
}

TEST(text_traditional_same_as_simplified)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    SAME_TERMS(ta, "醫療器械與藥物研發", "医疗器械与药物研发");
    SAME_TERMS(ta, "技術轉讓", "技术转让");
    SAME_TERMS(ta, "ＰＤ－１　抗體", "PD-1 抗体"); /* full width folds too */
    text_analyzer_free(ta);
}

TEST(text_codes)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    CHECK(has_term(ta, "PD-1", "3:pd1"));
    CHECK(has_term(ta, "CAR-T therapy", "3:cart"));
    CHECK(has_term(ta, "IL-6", "3:il6"));
    CHECK(has_term(ta, "COVID-19", "3:covid19"));
    CHECK(has_term(ta, "IC50", "3:ic50"));
    CHECK(has_term(ta, "mRNA vaccine", "1:mrna"));
    CHECK(has_term(ta, "GMP workshop", "1:gmp"));
    CHECK(has_term(ta, "a 2.5 mg dose", "2:2.5"));
    /* an alphabetic compound is stemmed like the closed word */
    CHECK(has_term(ta, "anti-inflammatory", "6:antiinflammatori")); /* a compound of words */
    CHECK(has_term(ta, "double-strand breaks", "6:doublestrand"));
    CHECK(has_term(ta, "double-strand breaks", "1:doubl"));
    CHECK(has_term(ta, "T-cell", "3:tcell"));        /* a letter: a code */
    CHECK(has_term(ta, "co-culture", "3:cocultur")); /* a short prefix: a code */
    CHECK(has_term(ta, "antiinflammatory", "1:antiinflammatori"));
    /* Unicode hyphens join like '-', Greek letters are spelled out */
    CHECK(has_term(ta, "TGF\xe2\x80\x90\xce\xb2", "3:tgfbeta"));
    CHECK(has_term(ta, "TNF-alpha", "3:tnfalpha"));
    CHECK(has_term(ta, "TNF-\xce\xb1", "3:tnfalpha"));
    text_analyzer_free(ta);
}

TEST(text_american_spelling)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    SAME_TERMS(ta, "tumours", "tumors");
    SAME_TERMS(ta, "randomised", "randomized");
    SAME_TERMS(ta, "characterisation", "characterization");
    SAME_TERMS(ta, "haemorrhage ischaemia leukaemic", "hemorrhage ischemia leukemic");
    SAME_TERMS(ta, "oestrogen oedema diarrhoea paediatric", "estrogen edema diarrhea pediatric");
    SAME_TERMS(ta, "analysed behavioural centred fibres", "analyzed behavioral centered fibers");
    SAME_TERMS(ta, "programme", "program");
    CHECK(has_term(ta, "programmed", "1:program")); /* not "programd" */
    /* words that take -ise in American English too keep it */
    CHECK(has_term(ta, "promising", "1:promis"));
    CHECK(has_term(ta, "exercise", "1:exercis"));
    CHECK(has_term(ta, "otherwise comprised", "1:compris"));
    text_analyzer_free(ta);
}

TEST(text_rejects_invalid_utf8)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    text_tokens t = {0};
    static const char *const bad[] = {"abc\xff", "\xe4\xb8", "\xc0\x80", "\xed\xa0\x80 x"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        e = (err){0};
        CHECK_EQ_INT(text_analyze(ta, bad[i], strlen(bad[i]), &t, &e), ERR_INVALID);
        CHECK_EQ_INT(e.code, ERR_INVALID);
        CHECK_EQ_INT(t.n, 0);
    }
    /* the analyzer stays usable */
    e = (err){0};
    CHECK_EQ_INT(text_analyze(ta, "ok 好", 6, &t, &e), ERR_OK);
    CHECK(t.n > 0);
    e = (err){0};
    CHECK_EQ_INT(text_analyze(ta, "", 0, &t, &e), ERR_OK);
    CHECK_EQ_INT(t.n, 0);
    text_tokens_free(&t);
    text_analyzer_free(ta);
}
