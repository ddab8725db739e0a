/* text.h — text analysis shared by indexing and querying: normalization (ICU NFKC + case
 * folding), Traditional → Simplified Chinese (OpenCC t2s), and tokenization into terms.
 *
 * Terms: CJK runs give unigrams (minus stopwords) and bigrams; Latin-script words are stemmed
 * with Snowball (English) minus stopwords, after British spellings are rewritten to American
 * ("tumour", "randomised", "haem-", "oestrogen" → "tumor", "randomized", "hem-", "estrogen");
 * numbers are kept whole; tokens that mix letters and digits or are joined by - . + / (PD-1,
 * CAR-T, IL-6, COVID-19, IC50) are also kept whole as codes, with separators removed ("pd1"),
 * next to their parts; a code of letters only is stemmed like the closed word
 * ("anti-inflammatory" → "antiinflammatori") and, when its parts are words of three letters or
 * more (not a Greek letter), it is a phrase (TOK_PHRASE), which says what its parts say, not a
 * code ("double-strand", "cell-autonomous" vs "CAR-T", "T-cell", "TNF-alpha"). Greek letters are
 * spelled out ("TNF-α" and "TNF-alpha" give the same terms) and the Unicode hyphens U+2010/U+2011
 * join like '-'. No I/O; no globals but the read-only tables. An analyzer is used by one thread at
 * a time. */
#ifndef DUIJIE_TEXT_H
#define DUIJIE_TEXT_H

#include "base/base.h"

typedef enum {
    TOK_WORD = 1, /* stemmed Latin-script word */
    TOK_NUM,      /* digits, with decimal point */
    TOK_CODE,     /* letters+digits or joined parts, separators removed */
    TOK_CJK1,     /* one Han character */
    TOK_CJK2,     /* two adjacent Han characters */
    TOK_PHRASE,   /* words joined by '-' etc., closed up and stemmed ("antiinflammatori") */
    TOK_KINDS
} text_kind;

typedef struct {
    uint32_t off, len; /* bytes in text_tokens.bytes */
    uint32_t pos;      /* word position (bigrams: of their first character) */
    uint8_t kind;      /* text_kind */
} text_token;

typedef struct {
    buf bytes; /* the token texts, back to back (not NUL-separated) */
    text_token *toks;
    size_t n, cap;
} text_tokens;

typedef struct text_analyzer text_analyzer;

/* Creates an analyzer (loads OpenCC t2s and the stemmer). NULL with e set when a resource is
 * missing. Free with text_analyzer_free. */
text_analyzer *text_analyzer_new(err *e);
void text_analyzer_free(text_analyzer *ta);

/* Writes the normalized form of s[0..n) (NFKC, case folded, Simplified) into out (reset first).
 * ERR_INVALID for invalid UTF-8. */
err_code text_normalize(text_analyzer *ta, const char *s, size_t n, buf *out, err *e);

/* Normalizes and tokenizes s[0..n) into out (reset first). ERR_INVALID for invalid UTF-8. */
err_code text_analyze(text_analyzer *ta, const char *s, size_t n, text_tokens *out, err *e);
void text_tokens_free(text_tokens *t);

/* True for the code points we treat as Han ideographs. */
bool text_is_han(uint32_t cp);

#endif
