/* test_match.c — the match index: add, replace and remove documents, then search; MaxScore
 * pruning returns exactly the exhaustive top k, and term-at-a-time scoring exactly the same;
 * explanations name the matched terms; nDCG and the tuning/held-out split of the benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/eval.h"
#include "match/match.h"
#include "test.h"

static match_doc doc_of(int64_t id, const char *title, const char *body)
{
    match_doc d = {0};
    d.id = id;
    d.text[0] = title;
    d.text[3] = body;
    return d;
}

/* Searches q (all kinds, k results) and returns the hit count; hits into out. */
static int search(match_index *ix, text_analyzer *ta, const char *q, int k, bool exhaustive,
                  match_hit *out)
{
    err e = {0};
    match_query mq = {.text = q, .kind = -1, .k = k, .exhaustive = exhaustive, .exclude_id = -1};
    return match_search(ix, ta, &mq, out, &e);
}

TEST(match_add_change_delete)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    match_index *ix = match_index_new(NULL);
    match_doc docs[] = {
        doc_of(1, "PD-1抗体药物研发", "一种新型PD-1单克隆抗体的制备方法"),
        doc_of(2, "医疗器械消毒技术", "低温等离子体灭菌设备"),
        doc_of(3, "CAR-T cell therapy", "Manufacturing of CAR-T cells under GMP"),
    };
    if (!CHECK_EQ_INT(match_index_build(ix, ta, docs, ARRAY_LEN(docs), &e), ERR_OK)) goto done;
    CHECK_EQ_INT(match_index_docs(ix), 3);
    match_hit h[10];
    int n = search(ix, ta, "PD-1 抗體", 10, false, h); /* Traditional in the query */
    CHECK(n >= 1);
    if (n >= 1) CHECK_EQ_INT(h[0].id, 1);
    n = search(ix, ta, "CAR-T", 10, false, h);
    CHECK_EQ_INT(n, 1);
    if (n >= 1) CHECK_EQ_INT(h[0].id, 3);

    /* change: document 2 now is about CAR-T too, and no longer about 灭菌 */
    match_doc d2 = doc_of(2, "CAR-T细胞制备", "CAR-T manufacturing platform");
    CHECK_EQ_INT(match_index_add(ix, ta, &d2, &e), ERR_OK);
    CHECK_EQ_INT(match_index_docs(ix), 3);
    n = search(ix, ta, "灭菌", 10, false, h);
    CHECK_EQ_INT(n, 0);
    n = search(ix, ta, "CAR-T", 10, false, h);
    CHECK_EQ_INT(n, 2);

    /* delete */
    match_index_remove(ix, 0, 3);
    match_index_remove(ix, 0, 3); /* twice is a no-op */
    match_index_remove(ix, 0, 99);
    CHECK_EQ_INT(match_index_docs(ix), 2);
    n = search(ix, ta, "CAR-T", 10, false, h);
    CHECK_EQ_INT(n, 1);
    if (n >= 1) CHECK_EQ_INT(h[0].id, 2);

    /* add a new one after the bulk build, of the other kind */
    match_doc need = doc_of(7, "寻求PD-1抗体合作", NULL);
    need.kind = 1;
    CHECK_EQ_INT(match_index_add(ix, ta, &need, &e), ERR_OK);
    err e2 = {0};
    match_query mq = {.text = "PD-1抗体", .kind = 1, .k = 10, .exclude_id = -1};
    n = match_search(ix, ta, &mq, h, &e2);
    CHECK_EQ_INT(n, 1);
    if (n >= 1) CHECK(h[0].id == 7 && h[0].kind == 1);

    /* invalid UTF-8 is refused without harm */
    match_doc bad = doc_of(8, "ok", "\xff\xfe");
    e = (err){0};
    CHECK_EQ_INT(match_index_add(ix, ta, &bad, &e), ERR_INVALID);
    CHECK_EQ_INT(match_index_docs(ix), 3);
    e = (err){0};
    CHECK_EQ_INT(search(ix, ta, "\xc0\x80", 10, false, h), -1);
done:
    match_index_free(ix);
    text_analyzer_free(ta);
}

/* A tiny deterministic generator (tests must repeat). */
static uint32_t rng_next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Random text over a Zipf-ish vocabulary of English words, codes and Han characters. */
static void random_text(uint32_t *s, char *out, size_t cap, int words)
{
    static const char *const vocab[] = {
        "cell",   "tumor", "drug",    "protein", "gene",    "therapy",  "PD-1",     "CAR-T",
        "IL-6",   "mRNA",  "vaccine", "dose",    "patient", "trial",    "cancer",   "immune",
        "医药",   "研发",  "抗体",    "器械",    "原料药",  "辅料",     "生物",     "制造",
        "2024",   "GMP",   "enzyme",  "kinase",  "signal",  "receptor", "liver",    "brain",
        "化学药", "检测",  "诊断",    "sensor",  "polymer", "nano",     "membrane", "assay",
    };
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < words; i++) {
        uint32_t r = rng_next(s) % 1000;
        size_t v = (size_t)((r * r / 1000) * ARRAY_LEN(vocab) / 1000); /* skewed to the front */
        int m = snprintf(out + n, cap - n, "%s ", vocab[v]);
        if (m < 0 || (size_t)m >= cap - n) break;
        n += (size_t)m;
    }
}

TEST(match_pruning_is_exact)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    match_params mp = match_params_default();
    mp.taat_max_docs = 0; /* MaxScore even on this small index */
    match_index *ix = match_index_new(&mp);
    enum { NDOCS = 3000, NQ = 300 };
    static char titles[NDOCS][160], bodies[NDOCS][900];
    match_doc *docs = calloc(NDOCS, sizeof *docs);
    uint32_t s = 12345;
    for (int i = 0; i < NDOCS; i++) {
        random_text(&s, titles[i], sizeof titles[i], 2 + (int)(rng_next(&s) % 8));
        random_text(&s, bodies[i], sizeof bodies[i], (int)(rng_next(&s) % 120));
        docs[i] = doc_of(i + 1, titles[i], bodies[i]);
        docs[i].kind = (uint8_t)(i % 5 == 0);
    }
    if (!CHECK_EQ_INT(match_index_build(ix, ta, docs, NDOCS, &e), ERR_OK)) goto done;
    for (int i = 0; i < NDOCS; i += 7)
        match_index_remove(ix, docs[i].kind, docs[i].id);
    static match_hit a[200], b[200];
    int mismatches = 0, nonempty = 0;
    for (int qi = 0; qi < NQ; qi++) {
        char q[400];
        random_text(&s, q, sizeof q, 1 + (int)(rng_next(&s) % 12));
        int k = (int)(1 + rng_next(&s) % 200);
        match_query mq = {.text = q, .kind = (int)(rng_next(&s) % 3) - 1, .k = k, .exclude_id = -1};
        if (qi % 4 == 0) { /* the structured factors and extra terms keep it exact too */
            mq.factor_weight = 0.5f;
            mq.trl_min = 1;
        }
        static const char *const extra[] = {"kinas", "抗体"};
        static const float extra_w[] = {0.3f, 0.6f};
        if (qi % 3 == 0) {
            mq.extra_terms = extra;
            mq.extra_weights = extra_w;
            mq.nextra = 2;
        }
        int na = match_search(ix, ta, &mq, a, &e);
        mq.exhaustive = true;
        int nb = match_search(ix, ta, &mq, b, &e);
        if (na > 0) nonempty++;
        bool same = na == nb;
        for (int i = 0; same && i < na; i++)
            same = a[i].id == b[i].id && a[i].kind == b[i].kind && a[i].score == b[i].score;
        if (!same) mismatches++;
    }
    CHECK_EQ_INT(mismatches, 0);
    CHECK(nonempty > NQ / 2);
done:
    free(docs);
    match_index_free(ix);
    text_analyzer_free(ta);
}

/* The two ways of scoring (term at a time on small indexes, MaxScore on large ones) return the
 * same hits with the same scores, to the bit, whatever the query options. */
TEST(match_term_at_a_time_equals_maxscore)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    enum { NDOCS = 2000, NQ = 300 };
    static char titles[NDOCS][160], bodies[NDOCS][900];
    match_doc *docs = calloc(NDOCS, sizeof *docs);
    match_index *ix[2][2] = {{0}}; /* [coverage on][MaxScore] */
    uint32_t s = 777;
    for (int i = 0; i < NDOCS; i++) {
        random_text(&s, titles[i], sizeof titles[i], 2 + (int)(rng_next(&s) % 8));
        random_text(&s, bodies[i], sizeof bodies[i], (int)(rng_next(&s) % 120));
        docs[i] = doc_of(i + 1, titles[i], bodies[i]);
        docs[i].kind = (uint8_t)(i % 4 == 0);
        docs[i].trl = (uint8_t)(i % 9);
    }
    for (int c = 0; c < 2; c++)
        for (int m = 0; m < 2; m++) {
            match_params mp = match_params_default();
            mp.coverage_gamma = c ? 0.5f : 0.0f;
            mp.taat_max_docs = m ? 0 : NDOCS * 2;
            ix[c][m] = match_index_new(&mp);
            if (!CHECK_EQ_INT(match_index_build(ix[c][m], ta, docs, NDOCS, &e), ERR_OK)) goto done;
            for (int i = 0; i < NDOCS; i += 11)
                match_index_remove(ix[c][m], docs[i].kind, docs[i].id);
            match_doc again = doc_of(5, "CAR-T kinase 抗体", "replaced document"); /* replaced */
            CHECK_EQ_INT(match_index_add(ix[c][m], ta, &again, &e), ERR_OK);
        }
    static match_hit a[300], b[300];
    int mismatches = 0, nonempty = 0;
    for (int qi = 0; qi < NQ; qi++) {
        char q[400];
        random_text(&s, q, sizeof q, 1 + (int)(rng_next(&s) % 12));
        int k = (int)(1 + rng_next(&s) % 300);
        match_query mq = {.text = q, .kind = (int)(rng_next(&s) % 3) - 1, .k = k, .exclude_id = -1};
        if (qi % 4 == 0) {
            mq.factor_weight = 0.5f;
            mq.trl_min = 3;
        }
        if (qi % 5 == 0) mq.exclude_id = (int64_t)(1 + rng_next(&s) % NDOCS);
        static const char *const extra[] = {"kinas", "抗体"};
        static const float extra_w[] = {0.3f, 0.6f};
        if (qi % 3 == 0) {
            mq.extra_terms = extra;
            mq.extra_weights = extra_w;
            mq.nextra = 2;
        }
        int c = qi % 2;
        int na = match_search(ix[c][0], ta, &mq, a, &e);
        int nb = match_search(ix[c][1], ta, &mq, b, &e);
        if (na > 0) nonempty++;
        bool same = na == nb;
        for (int i = 0; same && i < na; i++)
            same = a[i].id == b[i].id && a[i].kind == b[i].kind && a[i].score == b[i].score &&
                   a[i].text_score == b[i].text_score;
        if (!same) mismatches++;
    }
    CHECK_EQ_INT(mismatches, 0);
    CHECK(nonempty > NQ / 2);
done:
    for (int c = 0; c < 2; c++)
        for (int m = 0; m < 2; m++)
            match_index_free(ix[c][m]);
    free(docs);
    text_analyzer_free(ta);
}

TEST(eval_ndcg_recall_and_split)
{
    const char *ranked[] = {"d1", "d2", "d3", "d4"};
    eval_judgment j[] = {{"d2", 2}, {"d4", 1}, {"d9", 1}};
    /* DCG = 2/log2(3) + 1/log2(5); ideal = 2/log2(2) + 1/log2(3) + 1/log2(4) */
    double dcg = 2 / 1.5849625007 + 1 / 2.3219280949, idcg = 2 + 1 / 1.5849625007 + 0.5;
    double nd = eval_ndcg(ranked, 4, j, 3, 10);
    CHECK(nd > dcg / idcg - 1e-6 && nd < dcg / idcg + 1e-6);
    double r = eval_recall(ranked, 4, j, 3, 100);
    CHECK(r > 2.0 / 3 - 1e-9 && r < 2.0 / 3 + 1e-9);
    CHECK(eval_ndcg(ranked, 4, j, 0, 10) == 0);
    /* the split is by FNV-1a of the query id, fixed (results in docs/BENCHMARKS.md rely on it) */
    CHECK(eval_tuning_half("36"));
    CHECK(!eval_tuning_half("0"));
    CHECK(!eval_tuning_half("13"));
    int tune = 0;
    for (int i = 0; i < 1000; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        tune += eval_tuning_half(id);
    }
    CHECK(tune > 400 && tune < 600);
}

TEST(match_explain_lists_matched_terms)
{
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!CHECK(ta != NULL)) return;
    match_index *ix = match_index_new(NULL);
    match_doc docs[] = {
        doc_of(1, "Randomised trial of PD-1 blockade", "tumour response in melanoma"),
        doc_of(2, "Liver enzymes", "kinase assays"),
    };
    if (!CHECK_EQ_INT(match_index_build(ix, ta, docs, ARRAY_LEN(docs), &e), ERR_OK)) goto done;
    match_query q = {
        .text = "randomized PD-1 tumor trials in mice", .kind = -1, .k = 10, .exclude_id = -1};
    match_term t[16];
    int n = match_explain(ix, ta, &q, 0, 1, t, 16, &e);
    CHECK(n >= 4);
    bool saw_tumor = false, saw_pd1 = false, saw_random = false, saw_mice = false;
    for (int i = 0; i < n; i++) {
        saw_tumor |= strcmp(t[i].term, "tumor") == 0;
        saw_pd1 |= strcmp(t[i].term, "pd1") == 0;
        saw_random |= strcmp(t[i].term, "random") == 0;
        saw_mice |= strcmp(t[i].term, "mice") == 0;
        CHECK(t[i].weight > 0);
        if (i) CHECK(t[i - 1].weight >= t[i].weight); /* best first */
    }
    CHECK(saw_tumor && saw_pd1 && saw_random && !saw_mice);
    /* the contributions add up to the text score */
    match_hit h[10];
    int nh = match_search(ix, ta, &q, h, &e);
    float sum = 0;
    for (int i = 0; i < n; i++)
        sum += t[i].weight;
    if (CHECK(nh >= 1)) {
        CHECK_EQ_INT(h[0].id, 1);
        CHECK(sum > h[0].text_score * 0.999f && sum < h[0].text_score * 1.001f);
    }
    CHECK_EQ_INT(match_explain(ix, ta, &q, 0, 2, t, 16, &e), 0);
    CHECK_EQ_INT(match_explain(ix, ta, &q, 0, 42, t, 16, &e), -1);
    CHECK_EQ_INT(match_explain(ix, ta, &q, 0, 1, t, 2, &e), 2); /* max respected */
done:
    match_index_free(ix);
    text_analyzer_free(ta);
}

TEST(match_parallel_build_equals_sequential)
{
    err e = {0};
    text_analyzer *tas[3] = {text_analyzer_new(&e), text_analyzer_new(&e), text_analyzer_new(&e)};
    if (!CHECK(tas[0] && tas[1] && tas[2])) goto out;
    enum { NDOCS = 1500 };
    static char titles[NDOCS][160], bodies[NDOCS][900];
    match_doc *docs = calloc(NDOCS, sizeof *docs);
    uint32_t s = 777;
    for (int i = 0; i < NDOCS; i++) {
        random_text(&s, titles[i], sizeof titles[i], 2 + (int)(rng_next(&s) % 8));
        random_text(&s, bodies[i], sizeof bodies[i], (int)(rng_next(&s) % 120));
        docs[i] = doc_of(i + 1, titles[i], bodies[i]);
    }
    match_index *seq = match_index_new(NULL), *par = match_index_new(NULL);
    CHECK_EQ_INT(match_index_build(seq, tas[0], docs, NDOCS / 2, &e), ERR_OK);
    CHECK_EQ_INT(match_index_build_mt(par, tas, 3, docs, NDOCS / 2, &e), ERR_OK);
    for (int i = NDOCS / 2; i < NDOCS; i++) /* and the streamed additions */
        CHECK_EQ_INT(match_index_add(seq, tas[0], &docs[i], &e), ERR_OK);
    CHECK_EQ_INT(match_index_add_batch(par, tas, 3, docs + NDOCS / 2, NDOCS - NDOCS / 2, &e),
                 ERR_OK);
    CHECK_EQ_INT((int)match_index_terms(seq), (int)match_index_terms(par));
    CHECK_EQ_INT((int)match_index_bytes(seq), (int)match_index_bytes(par));
    static match_hit a[50], b[50];
    int diff = 0;
    for (int qi = 0; qi < 100; qi++) {
        char q[400];
        random_text(&s, q, sizeof q, 1 + (int)(rng_next(&s) % 10));
        int na = search(seq, tas[0], q, 50, false, a), nb = search(par, tas[0], q, 50, false, b);
        bool same = na == nb;
        for (int i = 0; same && i < na; i++)
            same = a[i].id == b[i].id && a[i].score == b[i].score;
        diff += !same;
    }
    CHECK_EQ_INT(diff, 0);
    match_index_free(seq);
    match_index_free(par);
    free(docs);
out:
    for (int t = 0; t < 3; t++)
        text_analyzer_free(tas[t]);
}
