/* eval.c — nDCG and recall for the IR benchmark. */
#include "match/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int grade_of(const char *doc, const eval_judgment *j, int nj)
{
    for (int i = 0; i < nj; i++)
        if (strcmp(j[i].doc, doc) == 0) return j[i].grade;
    return 0;
}

static int cmp_grade_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

double eval_ndcg(const char *const *ranked, int n, const eval_judgment *judged, int nj, int k)
{
    double dcg = 0, idcg = 0;
    for (int i = 0; i < n && i < k; i++) {
        int g = grade_of(ranked[i], judged, nj);
        if (g > 0) dcg += g / log2(i + 2.0);
    }
    int *grades = xmalloc(sizeof(int) * (size_t)(nj ? nj : 1));
    for (int i = 0; i < nj; i++)
        grades[i] = judged[i].grade;
    qsort(grades, (size_t)nj, sizeof(int), cmp_grade_desc);
    for (int i = 0; i < nj && i < k; i++)
        if (grades[i] > 0) idcg += grades[i] / log2(i + 2.0);
    free(grades);
    return idcg > 0 ? dcg / idcg : 0;
}

double eval_recall(const char *const *ranked, int n, const eval_judgment *judged, int nj, int k)
{
    int rel = 0, found = 0;
    for (int i = 0; i < nj; i++)
        if (judged[i].grade > 0) rel++;
    for (int i = 0; i < n && i < k; i++)
        if (grade_of(ranked[i], judged, nj) > 0) found++;
    return rel ? (double)found / rel : 0;
}

bool eval_tuning_half(const char *qid)
{
    uint32_t h = 2166136261u;
    for (const char *c = qid; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    return h % 2 == 0;
}
