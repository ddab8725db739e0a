/* common.h — shared plumbing for the bench-only peer engines (fts5.c, xapian.cc): BEIR loading,
 * qrels, flags, the CJK-bigram pre-tokenizer, timing, and the result row printed in exactly the
 * format of `duijie bench ir`. Never linked into duijie; see bench/ir.sh. */
#ifndef DUIJIE_BENCH_PEERS_COMMON_H
#define DUIJIE_BENCH_PEERS_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
/* match/eval.h pulls in base/base.h, which is C11: spell its one C-only keyword for C++. */
#define _Noreturn [[noreturn]]
extern "C" {
#endif

#include "match/eval.h"

typedef struct {
    char *id, *title, *text;
} peer_doc;

typedef struct {
    char *id, *text;
    const eval_judgment *judged; /* NULL: not in the qrels (skipped, as duijie does) */
    int nj;
} peer_query;

typedef struct {
    const char *corpus, *queries, *qrels, *run;
    int top;
    const char *opt; /* engine-specific --opt string (tuning knobs), NULL when absent */
    int quiet;       /* --quiet: print "tag nDCG R" only, like duijie */
} peer_args;

/* Parses --corpus --queries --qrels --run --top [--opt S] [--quiet]; prints usage and exits on
 * error. `what` is one line describing the engine. */
void peer_parse_args(int argc, char **argv, const char *tag, const char *what, peer_args *a);

/* Loads the corpus, the queries and (when a->qrels) the judgments; exits on error. */
void peer_load(const peer_args *a, peer_doc **docs, size_t *nd, peer_query **qs, size_t *nq);

/* 1 when the corpus is mostly CJK (decides the Chinese path: pre-tokenized bigrams). */
int peer_is_cjk(const peer_doc *docs, size_t nd);

/* Pre-tokenizes text the same way for every peer: each run of CJK characters becomes its
 * overlapping bigrams (a 1-character run stays a single character); runs of Latin letters and
 * digits are kept as lowercased words; everything else separates. Tokens are written
 * space-separated to a malloc'd string (caller frees); *ntok receives the count when non-NULL. */
char *peer_cjk_tokens(const char *text, int *ntok);

double peer_now(void);

/* Per-run accumulator: call peer_result for each evaluated query, then peer_report. */
typedef struct {
    double *lat;
    size_t nlat;
    double ndcg_sum, recall_sum;
    int evaluated;
    double half_sum[2]; /* nDCG@10 sums by eval_tuning_half() (1 = tuning half) */
    int half_n[2];
} peer_stats;

void peer_stats_init(peer_stats *s, size_t nq);
/* ranked/scores: n results, best first (scores: higher is better). Writes the TREC lines. */
void peer_result(peer_stats *s, void *run_file, const peer_query *q, const char *const *ranked,
                 const double *scores, int n, double ms, const char *tag);
void peer_report(peer_stats *s, const peer_args *a, const char *tag, size_t nd, double index_sec,
                 double index_mib);

#ifdef __cplusplus
}
#endif

#endif
