/* eval.h — retrieval quality measures on TREC-style runs: nDCG@k (graded gain, trec_eval's
 * convention: gain = grade, discount log2(rank+1)) and recall@k. Pure computation. */
#ifndef DUIJIE_EVAL_H
#define DUIJIE_EVAL_H

#include "base/base.h"

typedef struct {
    const char *doc;
    int grade;
} eval_judgment;

/* ranked: the run's document ids for one query, best first; judged: that query's judgments.
 * Unjudged documents count as not relevant. */
double eval_ndcg(const char *const *ranked, int n, const eval_judgment *judged, int nj, int k);
double eval_recall(const char *const *ranked, int n, const eval_judgment *judged, int nj, int k);

/* The fixed split of a dev set's queries into two halves: the tuning half (true) and the
 * held-out half, by the FNV-1a hash of the query id (even: tuning). Defaults are tuned on the
 * tuning half only; the held-out half says how well they carry over to unseen queries. */
bool eval_tuning_half(const char *qid);

#endif
