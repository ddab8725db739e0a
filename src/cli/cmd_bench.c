/* cmd_bench.c — `duijie bench ir`: index a BEIR corpus as achievements, run every query as a
 * need, write a TREC run, and print quality (nDCG@10, R@100), speed and memory. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "match/eval.h"
#include "match/match.h"

typedef struct {
    char *qid;
    eval_judgment *j;
    int nj, cap;
} qrel_set;

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads a JSON Lines file into an array of objects (new reference). */
static json_t *read_jsonl(const char *path, err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, ERR_INVALID, NULL, NULL, "cannot open %s", path), NULL;
    json_t *arr = json_array();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (n <= 1) continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, 0, &je);
        if (!o) {
            err_set(e, ERR_INVALID, NULL, NULL, "%s line %d: %s", path, lineno, je.text);
            json_decref(arr);
            arr = NULL;
            break;
        }
        json_array_append_new(arr, o);
    }
    free(line);
    fclose(f);
    return arr;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* "k1=1.2,w0=2,b3=0.75,kw4=0.5,gamma=0.3,qtf=1" → params. */
static bool parse_params(const char *s, match_params *p)
{
    char *copy = xstrdup(s), *save = NULL;
    bool ok = true;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) {
            ok = false;
            break;
        }
        *eq = 0;
        float v = strtof(eq + 1, NULL);
        int i = item[strlen(item) - 1] - '0';
        if (str_eq(item, "k1"))
            p->k1 = v;
        else if (str_eq(item, "gamma"))
            p->coverage_gamma = v;
        else if (str_eq(item, "qtf"))
            p->qtf_power = v;
        else if (str_eq(item, "maxq"))
            p->max_query_terms = (int)v;
        else if (str_eq(item, "taat"))
            p->taat_max_docs = (int)v;
        else if (item[0] == 'w' && i >= 0 && i < MATCH_FIELDS)
            p->w[i] = v;
        else if (item[0] == 'b' && i >= 0 && i < MATCH_FIELDS)
            p->b[i] = v;
        else if (str_starts(item, "kw") && i >= 1 && i < TOK_KINDS)
            p->kind_weight[i] = v;
        else
            ok = false;
    }
    free(copy);
    return ok;
}

typedef struct {
    char term[68];
    float w;
} fb_term;

static int cmp_fb(const void *a, const void *b)
{
    const fb_term *x = a, *y = b;
    return x->w < y->w ? 1 : x->w > y->w ? -1 : 0;
}

/* Relevance-model feedback (RM3-like): the top documents' term distributions, weighted by the
 * documents' scores, give up to nterms extra query terms. Returns how many were written. */
static int feedback_terms(text_analyzer *ta, json_t *corpus, const match_hit *hits, int nh,
                          int nterms, fb_term *out, int max_pool)
{
    int pool = 0;
    text_tokens tk = {0};
    err e = {0};
    float total = 0;
    for (int i = 0; i < nh; i++)
        total += hits[i].score;
    for (int i = 0; i < nh; i++) {
        json_t *o = json_array_get(corpus, (size_t)hits[i].id);
        const char *fields[2] = {jstr(o, "title"), jstr(o, "text")};
        for (int f = 0; f < 2; f++) {
            if (text_analyze(ta, fields[f], strlen(fields[f]), &tk, &e)) continue;
            float dw = hits[i].score / (total > 0 ? total : 1) / (float)(tk.n ? tk.n : 1) / 2;
            for (size_t k = 0; k < tk.n; k++) {
                if (tk.toks[k].kind == TOK_NUM || tk.toks[k].len >= 68) continue;
                const char *t = tk.bytes.s + tk.toks[k].off;
                size_t len = tk.toks[k].len;
                int j = 0;
                for (; j < pool; j++)
                    if (strlen(out[j].term) == len && !memcmp(out[j].term, t, len)) break;
                if (j == pool) {
                    if (pool == max_pool) continue;
                    memcpy(out[pool].term, t, len);
                    out[pool].term[len] = 0;
                    out[pool].w = 0;
                    pool++;
                }
                out[j].w += dw;
            }
        }
    }
    text_tokens_free(&tk);
    qsort(out, (size_t)pool, sizeof *out, cmp_fb);
    return pool < nterms ? pool : nterms;
}

static int bench_ir(int argc, char **argv)
{
    static const cli_opt opts[] = {{"corpus", true},
                                   {"queries", true},
                                   {"qrels", true},
                                   {"run", true},
                                   {"top", true},
                                   {"params", true},
                                   {"split", true},
                                   {"tag", true},
                                   {"quiet", false},
                                   {"prf", true},
                                   {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help || !cli_get(&a, "corpus") || !cli_get(&a, "queries") || !cli_get(&a, "run")) {
        fprintf(
            a.help ? stdout : stderr,
            "usage: duijie bench ir --corpus DIR/corpus.jsonl --queries Q.jsonl "
            "[--qrels QRELS.tsv] --run OUT.trec [--top 100]\n"
            "       [--params k1=1.2,w0=2,b3=0.75,kw4=0.5,gamma=0.3,qtf=1] "
            "[--split all|tune|holdout] [--tag NAME] [--quiet]\n\n"
            "Indexes the BEIR corpus (_id, title, text) as achievements, runs every query as a "
            "need, writes a TREC run (qid Q0 docid rank score tag) and prints nDCG@10, R@100,\n"
            "index time, query latency p50/p99 and peak memory, and nDCG@10 on each half of the "
            "queries: the tuning half\n(defaults were tuned on it only) and the held-out half. "
            "--split runs only the half of the queries used for tuning, or the held-out half.\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    int64_t top = 100;
    if (cli_get(&a, "top") && !str_to_i64(cli_get(&a, "top"), 1, 1000, &top))
        return fprintf(stderr, "duijie: --top must be 1..1000\n"), EXIT_USAGE;
    match_params params = match_params_default();
    if (cli_get(&a, "params") && !parse_params(cli_get(&a, "params"), &params))
        return fprintf(stderr, "duijie: bad --params\n"), EXIT_USAGE;
    const char *split = cli_get(&a, "split") ? cli_get(&a, "split") : "all";
    const char *tag = cli_get(&a, "tag") ? cli_get(&a, "tag") : "duijie";
    int prf_docs = 0, prf_terms = 0;
    float prf_lambda = 0;
    if (cli_get(&a, "prf") &&
        sscanf(cli_get(&a, "prf"), "%d,%d,%f", &prf_docs, &prf_terms, &prf_lambda) != 3)
        return fprintf(stderr, "duijie: --prf DOCS,TERMS,WEIGHT\n"), EXIT_USAGE;
    err e = {0};
    int rc = EXIT_FAIL;
    json_t *corpus = NULL, *queries = NULL;
    match_doc *docs = NULL;
    text_analyzer *ta = NULL;
    match_index *ix = NULL;
    qrel_set *qrels = NULL;
    int nqrels = 0, cap_qrels = 0;
    FILE *run = NULL;

    if (!(corpus = read_jsonl(cli_get(&a, "corpus"), &e)) ||
        !(queries = read_jsonl(cli_get(&a, "queries"), &e)) || !(ta = text_analyzer_new(&e))) {
        cli_fail(&e);
        goto out;
    }
    if (cli_get(&a, "qrels")) {
        FILE *f = fopen(cli_get(&a, "qrels"), "rb");
        if (!f) {
            fprintf(stderr, "duijie: cannot open %s\n", cli_get(&a, "qrels"));
            goto out;
        }
        char qid[256], did[256];
        int grade;
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            if (sscanf(line, "%255s %255s %d", qid, did, &grade) != 3) continue; /* header */
            qrel_set *q = nqrels ? &qrels[nqrels - 1] : NULL;
            if (!q || strcmp(q->qid, qid)) {
                int found = -1;
                for (int i = 0; i < nqrels; i++)
                    if (!strcmp(qrels[i].qid, qid)) found = i;
                if (found < 0) {
                    if (nqrels == cap_qrels) {
                        cap_qrels = cap_qrels ? cap_qrels * 2 : 1024;
                        qrels = xrealloc(qrels, sizeof *qrels * (size_t)cap_qrels);
                    }
                    qrels[nqrels] = (qrel_set){xstrdup(qid), NULL, 0, 0};
                    found = nqrels++;
                }
                q = &qrels[found];
            }
            if (q->nj == q->cap) {
                q->cap = q->cap ? q->cap * 2 : 4;
                q->j = xrealloc(q->j, sizeof *q->j * (size_t)q->cap);
            }
            q->j[q->nj++] = (eval_judgment){xstrdup(did), grade};
        }
        fclose(f);
    }

    size_t nd = json_array_size(corpus);
    docs = xcalloc(nd ? nd : 1, sizeof *docs);
    for (size_t i = 0; i < nd; i++) {
        json_t *o = json_array_get(corpus, i);
        docs[i].id = (int64_t)i;
        docs[i].text[0] = jstr(o, "title");
        docs[i].text[3] = jstr(o, "text");
    }
    ix = match_index_new(&params);
    double t0 = now_sec();
    /* analysis on every core, indexing in order on this thread */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int nta = cores > 1 ? (int)(cores > 9 ? 8 : cores - 1) : 0; /* workers: a core is ours */
    text_analyzer *tas[8] = {ta};
    for (int t = 1; t < nta; t++)
        if (!(tas[t] = text_analyzer_new(&e))) nta = t;
    err_code brc = match_index_build_mt(ix, tas, nta, docs, nd, &e);
    for (int t = 1; t < nta; t++)
        text_analyzer_free(tas[t]);
    if (brc) {
        cli_fail(&e);
        goto out;
    }
    double index_sec = now_sec() - t0;

    run = fopen(cli_get(&a, "run"), "wb");
    if (!run) {
        fprintf(stderr, "duijie: cannot write %s\n", cli_get(&a, "run"));
        goto out;
    }
    size_t nq = json_array_size(queries);
    double *lat = xcalloc(nq ? nq : 1, sizeof(double));
    match_hit *hits = xcalloc((size_t)top, sizeof *hits);
    const char **ranked = xcalloc((size_t)top, sizeof *ranked);
    double ndcg_sum = 0, recall_sum = 0, half_sum[2] = {0};
    int evaluated = 0, ran = 0, half_n[2] = {0};
    for (size_t i = 0; i < nq; i++) {
        json_t *o = json_array_get(queries, i);
        const char *qid = jstr(o, "_id");
        qrel_set *qs = NULL;
        for (int k = 0; k < nqrels; k++)
            if (!strcmp(qrels[k].qid, qid)) qs = &qrels[k];
        if (nqrels && !qs) continue; /* BEIR: only judged queries */
        bool tune_half = eval_tuning_half(qid);
        if ((str_eq(split, "tune") && !tune_half) || (str_eq(split, "holdout") && tune_half))
            continue;
        match_query q = {.text = jstr(o, "text"), .kind = -1, .k = (int)top, .exclude_id = -1};
        double q0 = now_sec();
        int n = match_search(ix, ta, &q, hits, &e);
        if (n > 0 && prf_docs > 0) {
            int pool_max = 4096;
            fb_term *fb = xmalloc(sizeof(fb_term) * (size_t)pool_max);
            int nf = feedback_terms(ta, corpus, hits, n < prf_docs ? n : prf_docs, prf_terms, fb,
                                    pool_max);
            const char **terms = xmalloc(sizeof(char *) * (size_t)(nf ? nf : 1));
            float *weights = xmalloc(sizeof(float) * (size_t)(nf ? nf : 1));
            float sum = 0;
            for (int f = 0; f < nf; f++)
                sum += fb[f].w;
            text_tokens qt = {0};
            text_analyze(ta, q.text, strlen(q.text), &qt, &e);
            for (int f = 0; f < nf; f++) {
                terms[f] = fb[f].term;
                weights[f] = prf_lambda * (float)qt.n * fb[f].w / (sum > 0 ? sum : 1);
            }
            text_tokens_free(&qt);
            q.extra_terms = terms;
            q.extra_weights = weights;
            q.nextra = nf;
            n = match_search(ix, ta, &q, hits, &e);
            free(terms);
            free(weights);
            free(fb);
        }
        lat[ran++] = (now_sec() - q0) * 1000.0;
        if (n < 0) {
            cli_fail(&e);
            goto out;
        }
        for (int r = 0; r < n; r++) {
            ranked[r] = jstr(json_array_get(corpus, (size_t)hits[r].id), "_id");
            fprintf(run, "%s Q0 %s %d %.4f %s\n", qid, ranked[r], r + 1, hits[r].score, tag);
        }
        if (qs) {
            double nd10 = eval_ndcg(ranked, n, qs->j, qs->nj, 10);
            ndcg_sum += nd10;
            half_sum[tune_half] += nd10;
            half_n[tune_half]++;
            recall_sum += eval_recall(ranked, n, qs->j, qs->nj, 100);
            evaluated++;
        }
    }
    qsort(lat, (size_t)ran, sizeof(double), cmp_double);
    double mean = 0;
    for (int i = 0; i < ran; i++)
        mean += lat[i];
    mean = ran ? mean / ran : 0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (cli_get(&a, "quiet")) {
        printf("%s\t%.4f\t%.4f\n", tag, evaluated ? ndcg_sum / evaluated : 0,
               evaluated ? recall_sum / evaluated : 0);
    } else {
        printf(
            "engine\tdocs\tqueries\tnDCG@10\tR@100\tindex_s\tdocs_per_s\tmean_ms\tp50_ms\tp99_ms\t"
            "peak_MiB\tindex_MiB\tterms\tnDCG@10_tune\tnDCG@10_heldout\n");
        printf(
            "%s\t%zu\t%d\t%.4f\t%.4f\t%.3f\t%.0f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%zu\t%.4f\t%.4f\n",
            tag, nd, evaluated, evaluated ? ndcg_sum / evaluated : 0,
            evaluated ? recall_sum / evaluated : 0, index_sec, index_sec > 0 ? nd / index_sec : 0,
            mean, ran ? lat[ran / 2] : 0, ran ? lat[(int)((ran - 1) * 0.99)] : 0,
            ru.ru_maxrss / 1024.0, match_index_bytes(ix) / 1048576.0, match_index_terms(ix),
            half_n[1] ? half_sum[1] / half_n[1] : 0, half_n[0] ? half_sum[0] / half_n[0] : 0);
    }
    free(lat);
    free(hits);
    free(ranked);
    rc = EXIT_OK;
out:
    if (run) fclose(run);
    for (int i = 0; i < nqrels; i++) {
        for (int k = 0; k < qrels[i].nj; k++)
            free((char *)qrels[i].j[k].doc);
        free(qrels[i].j);
        free(qrels[i].qid);
    }
    free(qrels);
    match_index_free(ix);
    text_analyzer_free(ta);
    free(docs);
    json_decref(corpus);
    json_decref(queries);
    return rc;
}

int cmd_bench(int argc, char **argv)
{
    if (argc >= 1 && str_eq(argv[0], "ir")) return bench_ir(argc - 1, argv + 1);
    if (argc >= 1 && (str_eq(argv[0], "--help") || str_eq(argv[0], "-h"))) {
        printf("usage: duijie bench ir --help\n");
        return EXIT_OK;
    }
    fprintf(stderr, "duijie: usage: duijie bench ir … (see duijie bench ir --help)\n");
    return EXIT_USAGE;
}
