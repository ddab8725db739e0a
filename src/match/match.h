/* match.h — the in-memory inverted index over achievements and needs, and ranked retrieval.
 *
 * Scoring is BM25F: per field f a weight w_f and length normalization b_f give a pseudo term
 * frequency tf~ = Σ_f w_f·tf_f / (1 − b_f + b_f·len_f/avglen_f); a term contributes
 * qw · idf · (k1+1)·t/(k1+t) with t = tf~ + δ_kind (a BM25+-style floor for matching terms,
 * used for CJK), quantized to 8 bits per posting. Query terms are weighted by kind (words,
 * codes, CJK unigrams and bigrams). The final score multiplies by a coverage
 * factor (share of query weight the document matches)^γ. Top-k retrieval uses MaxScore
 * dynamic pruning over block-skipping posting lists; it is exact: the pruned top k equals the
 * exhaustive top k. Small indexes (taat_max_docs) are scored term at a time into a dense
 * accumulator instead, then the k-th best score is found by quickselect, so that the heap
 * only sees the few documents that can make the top k; the hits and scores are the same.
 *
 * The index is derived data: built from the store at start, updated on every write. It does
 * no I/O. Writers must be serialized against readers by the caller (match_service does). */
#ifndef DUIJIE_MATCH_H
#define DUIJIE_MATCH_H

#include "base/base.h"
#include "text/text.h"

enum { MATCH_FIELDS = 4 }; /* title, keywords, summary, body (description + advantages) */

typedef struct {
    float k1;
    float w[MATCH_FIELDS];        /* field weights */
    float b[MATCH_FIELDS];        /* field length normalization */
    float kind_weight[TOK_KINDS]; /* query weight by text_kind (index 0 unused) */
    float coverage_gamma;         /* 0 disables the coverage factor */
    float qtf_power;              /* query term frequency exponent (1 = linear, 0 = binary) */
    /* added to the pseudo term frequency of every posting, by the term's text_kind (BM25+
     * style: a match counts for more than its length-normalized frequency alone says) */
    float tf_delta[TOK_KINDS];
    /* A long query (a whole need or achievement as the query) keeps at most this many terms:
     * with enough CJK bigrams its single characters go first, then the weakest by qw·idf.
     * Keeps need-length queries fast at any catalog size; 0 = no limit. */
    int max_query_terms;
    /* Indexes of at most this many documents (removed ones included) are scored term at a
     * time into a dense accumulator, larger ones document at a time with MaxScore. Both give
     * the same top k to the bit. Measured (2 cores, loaded): SciFact 5,183 docs 0.073 → 0.045
     * ms per claim; KUAKE-QTR 26,751 docs 0.148 → 0.084 ms; synthetic 10k and 100k catalogs
     * with need-length queries p50 0.19 → 0.11 ms and 1.4 → 0.7–0.9 ms. At 1M MaxScore stays
     * (a 4 MiB accumulator per query; not measured). 0 = always MaxScore. */
    int taat_max_docs;
} match_params;

/* The defaults, tuned on the dev sets' tuning halves (see docs/BENCHMARKS.md). */
match_params match_params_default(void);

typedef struct {
    int64_t id;
    uint8_t kind;                   /* 0 achievement, 1 need */
    const char *text[MATCH_FIELDS]; /* NULL = empty */
    /* structured data for the factors */
    uint16_t field;  /* caller's field number (0 = none) */
    uint16_t parent; /* the field's parent number (0 = none) */
    uint8_t trl;     /* 0 = none */
    uint8_t modes;   /* bit set of transfer modes */
    uint32_t region; /* caller's region hash (0 = none) */
} match_doc;

typedef struct match_index match_index;

match_index *match_index_new(const match_params *p);
void match_index_free(match_index *ix);

/* Indexes docs[0..n) in bulk (the field length averages are estimated from a sample first).
 * May be called once on an empty index, before match_index_add. */
err_code match_index_build(match_index *ix, text_analyzer *ta, const match_doc *docs, size_t n,
                           err *e);
/* The same with nta worker threads, each with its own analyzer tas[i]: text is analyzed on
 * the workers while the caller's thread indexes the documents in order, so the result equals
 * the single-threaded build. nta = 0 works on the caller's thread alone (tas[0]). With c cores,
 * c − 1 workers keep every core busy without oversubscribing (measured: 2 cores, 1 worker:
 * 26k docs/s; 2 workers: 21–23k). */
err_code match_index_build_mt(match_index *ix, text_analyzer *const *tas, int nta,
                              const match_doc *docs, size_t n, err *e);
/* Adds docs[0..n) in order like match_index_add, analyzing on nta worker threads (see above). */
err_code match_index_add_batch(match_index *ix, text_analyzer *const *tas, int nta,
                               const match_doc *docs, size_t n, err *e);
/* Adds one document, replacing an earlier one with the same (kind, id). */
err_code match_index_add(match_index *ix, text_analyzer *ta, const match_doc *d, err *e);
/* Removes (kind, id); no-op when absent. */
void match_index_remove(match_index *ix, uint8_t kind, int64_t id);
size_t match_index_docs(const match_index *ix); /* live documents */
size_t match_index_terms(const match_index *ix);
size_t match_index_bytes(const match_index *ix); /* memory held by the index */
/* BM25 idf of an analyzed term; 0 when the term is not indexed. */
float match_idf(const match_index *ix, const char *term, size_t len);

typedef struct {
    int64_t id;
    uint8_t kind;
    float score;
    float text_score;
} match_hit;

typedef struct {
    const char *text;
    int kind;        /* -1 any, 0 achievements, 1 needs */
    int k;           /* results wanted, ≤ 1000 */
    bool exhaustive; /* no pruning (tests) */
    /* structured factors (0 = not used) */
    uint16_t field, parent;
    uint8_t trl_min; /* documents' trl below it get no maturity bonus */
    uint8_t modes;
    uint32_t region;
    float factor_weight; /* weight of the structured factors, relative to the best text score */
    int64_t exclude_id;  /* a document to leave out (-1: none) */
    uint8_t exclude_kind;
    /* extra weighted terms, given as analyzed term texts (e.g. feedback or glossary terms) */
    const char *const *extra_terms;
    const float *extra_weights;
    int nextra;
} match_query;

/* Top-k matches of q, best first, into out[0..k); returns the count (0..k) or -1 with e set. */
int match_search(match_index *ix, text_analyzer *ta, const match_query *q, match_hit *out, err *e);

/* One matched term of an explanation. */
typedef struct {
    char term[68];
    uint8_t kind;
    float weight; /* its contribution to the text score */
} match_term;

/* Explains why document (kind,id) matches q: its matched terms by contribution, best first,
 * into terms[0..max); returns how many, or -1 when the document is not indexed. */
int match_explain(match_index *ix, text_analyzer *ta, const match_query *q, uint8_t kind,
                  int64_t id, match_term *terms, int max, err *e);

#endif
