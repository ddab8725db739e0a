/* common.c — see common.h. Plain C11 + jansson; bench-only (built by bench/ir.sh). */
#include "common.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

double peer_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "peer: %s%s\n", msg, arg ? arg : "");
    exit(1);
}

void peer_parse_args(int argc, char **argv, const char *tag, const char *what, peer_args *a)
{
    memset(a, 0, sizeof *a);
    a->top = 100;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(f, "--quiet")) {
            a->quiet = 1;
            continue;
        }
        if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
            printf("usage: %s --corpus DIR/corpus.jsonl --queries Q.jsonl [--qrels QRELS.tsv] "
                   "--run OUT.trec [--top 100] [--opt KNOBS] [--quiet]\n%s\n",
                   argv[0], what);
            exit(0);
        }
        if (!v) goto usage;
        if (!strcmp(f, "--corpus"))
            a->corpus = v;
        else if (!strcmp(f, "--queries"))
            a->queries = v;
        else if (!strcmp(f, "--qrels"))
            a->qrels = v;
        else if (!strcmp(f, "--run"))
            a->run = v;
        else if (!strcmp(f, "--opt"))
            a->opt = v;
        else if (!strcmp(f, "--top")) {
            a->top = atoi(v);
            if (a->top < 1 || a->top > 1000) die("--top must be 1..1000", NULL);
        } else
            goto usage;
        i++;
    }
    if (a->corpus && a->queries && a->run) return;
usage:
    fprintf(stderr,
            "usage: %s --corpus DIR/corpus.jsonl --queries Q.jsonl [--qrels QRELS.tsv] "
            "--run OUT.trec [--top 100] [--opt KNOBS] [--quiet]\n%s\n"
            "Prints the same header and row as `duijie bench ir` (engine tag \"%s\").\n",
            argv[0], what, tag);
    exit(2);
}

/* ---- loading -------------------------------------------------------------------------------- */

typedef struct {
    char *qid;
    eval_judgment j;
} qrel_line;

static int cmp_qrel(const void *a, const void *b)
{
    return strcmp(((const qrel_line *)a)->qid, ((const qrel_line *)b)->qid);
}

static char *dup_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return strdup(s ? s : "");
}

/* Calls fn(object, ctx) for each line of a JSON Lines file. */
static size_t each_jsonl(const char *path, void (*fn)(json_t *, void *), void *ctx)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open ", path);
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (len <= 1) continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (!o) die("bad JSON line in ", path);
        fn(o, ctx);
        json_decref(o);
        n++;
    }
    free(line);
    fclose(f);
    return n;
}

typedef struct {
    void *items;
    size_t n, cap, size;
} vec;

static void *vec_push(vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->items = realloc(v->items, v->cap * v->size);
        if (!v->items) die("out of memory", NULL);
    }
    return (char *)v->items + v->size * v->n++;
}

static void add_doc(json_t *o, void *ctx)
{
    peer_doc *d = vec_push(ctx);
    d->id = dup_str(o, "_id");
    d->title = dup_str(o, "title");
    d->text = dup_str(o, "text");
}

static void add_query(json_t *o, void *ctx)
{
    peer_query *q = vec_push(ctx);
    q->id = dup_str(o, "_id");
    q->text = dup_str(o, "text");
    q->judged = NULL;
    q->nj = 0;
}

void peer_load(const peer_args *a, peer_doc **docs, size_t *nd, peer_query **qs, size_t *nq)
{
    vec dv = {.size = sizeof(peer_doc)}, qv = {.size = sizeof(peer_query)};
    each_jsonl(a->corpus, add_doc, &dv);
    each_jsonl(a->queries, add_query, &qv);
    *docs = dv.items;
    *nd = dv.n;
    *qs = qv.items;
    *nq = qv.n;
    if (!a->qrels) return;

    FILE *f = fopen(a->qrels, "rb");
    if (!f) die("cannot open ", a->qrels);
    vec lv = {.size = sizeof(qrel_line)};
    char qid[256], did[256], line[1024];
    int grade;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%255s %255s %d", qid, did, &grade) != 3) continue; /* header */
        qrel_line *l = vec_push(&lv);
        l->qid = strdup(qid);
        l->j.doc = strdup(did);
        l->j.grade = grade;
    }
    fclose(f);
    qrel_line *ls = lv.items;
    qsort(ls, lv.n, sizeof *ls, cmp_qrel);
    /* judgments of one query are contiguous after the sort: copy them into arrays */
    eval_judgment *all = malloc((lv.n ? lv.n : 1) * sizeof *all);
    for (size_t i = 0; i < lv.n; i++)
        all[i] = ls[i].j;
    for (size_t i = 0; i < *nq; i++) {
        qrel_line key = {.qid = (*qs)[i].id};
        qrel_line *hit = bsearch(&key, ls, lv.n, sizeof *ls, cmp_qrel);
        if (!hit) continue;
        while (hit > ls && !strcmp(hit[-1].qid, key.qid))
            hit--;
        size_t start = (size_t)(hit - ls), end = start;
        while (end < lv.n && !strcmp(ls[end].qid, key.qid))
            end++;
        (*qs)[i].judged = all + start;
        (*qs)[i].nj = (int)(end - start);
    }
    /* qrel_line qids are kept alive by nothing else: free them, the judgments stay */
    for (size_t i = 0; i < lv.n; i++)
        free(ls[i].qid);
    free(ls);
}

/* ---- CJK bigrams ---------------------------------------------------------------------------- */

static int is_cjk(unsigned c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF);
}

/* Word characters other than CJK: ASCII letters and digits (fullwidth forms are folded onto
 * them by the caller), Latin-1/Latin Extended letters and Greek. */
static int is_word(unsigned c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x391 && c <= 0x3C9);
}

/* Decodes one UTF-8 sequence at s; returns its length (1 for a stray byte). */
static int utf8_next(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) return *cp = s[0], 1;
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80)
        return *cp = (s[0] & 0x1Fu) << 6 | (s[1] & 0x3F), 2;
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
        return *cp = (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3F), 3;
    if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80)
        return *cp = (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 |
                     (s[3] & 0x3F),
               4;
    return *cp = 0xFFFD, 1;
}

char *peer_cjk_tokens(const char *text, int *ntok)
{
    size_t len = strlen(text);
    char *out = malloc(len * 3 + 2), *o = out; /* a bigram at most doubles a CJK run */
    int count = 0;
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *prev = NULL; /* start of the previous CJK char in the current run */
    int prev_len = 0, run = 0;        /* CJK chars in the current run */
    int in_word = 0;
    while (1) {
        unsigned c = 0;
        int n = *s ? utf8_next(s, &c) : 0;
        if (c >= 0xFF10 && c <= 0xFF5A && (c <= 0xFF19 || c >= 0xFF21) &&
            (c <= 0xFF3A || c >= 0xFF41))
            c -= 0xFEE0; /* fullwidth digit/letter → ASCII */
        int cjk = n && is_cjk(c), word = n && !cjk && is_word(c);
        if (!cjk && run == 1) { /* a lone CJK character stays a unigram */
            if (o > out) *o++ = ' ';
            memcpy(o, prev, (size_t)prev_len);
            o += prev_len;
            count++;
        }
        if (!cjk) run = 0;
        if (!word && in_word) in_word = 0;
        if (!n) break;
        if (cjk) {
            if (run >= 1) {
                if (o > out) *o++ = ' ';
                memcpy(o, prev, (size_t)prev_len);
                o += prev_len;
                memcpy(o, s, (size_t)n);
                o += n;
                count++;
            }
            prev = s;
            prev_len = n;
            run++;
        } else if (word) {
            if (!in_word) {
                if (o > out) *o++ = ' ';
                in_word = 1;
                count++;
            }
            if (c < 0x80)
                *o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            else {
                memcpy(o, s, (size_t)n);
                o += n;
            }
        }
        s += n;
    }
    *o = 0;
    if (ntok) *ntok = count;
    return out;
}

int peer_is_cjk(const peer_doc *docs, size_t nd)
{
    size_t cjk = 0, other = 0;
    for (size_t i = 0; i < nd && i < 200; i++) {
        for (const unsigned char *s = (const unsigned char *)docs[i].text; *s;) {
            unsigned c;
            s += utf8_next(s, &c);
            if (is_cjk(c))
                cjk++;
            else if (is_word(c))
                other++;
        }
    }
    return cjk > other;
}

/* ---- results -------------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void peer_stats_init(peer_stats *s, size_t nq)
{
    memset(s, 0, sizeof *s);
    s->lat = calloc(nq ? nq : 1, sizeof(double));
}

void peer_result(peer_stats *s, void *run_file, const peer_query *q, const char *const *ranked,
                 const double *scores, int n, double ms, const char *tag)
{
    s->lat[s->nlat++] = ms;
    for (int r = 0; r < n; r++)
        fprintf((FILE *)run_file, "%s Q0 %s %d %.4f %s\n", q->id, ranked[r], r + 1, scores[r], tag);
    if (q->judged) {
        double nd10 = eval_ndcg(ranked, n, q->judged, q->nj, 10);
        int half = eval_tuning_half(q->id);
        s->ndcg_sum += nd10;
        s->half_sum[half] += nd10;
        s->half_n[half]++;
        s->recall_sum += eval_recall(ranked, n, q->judged, q->nj, 100);
        s->evaluated++;
    }
}

void peer_report(peer_stats *s, const peer_args *a, const char *tag, size_t nd, double index_sec,
                 double index_mib)
{
    size_t ran = s->nlat;
    qsort(s->lat, ran, sizeof(double), cmp_double);
    double mean = 0;
    for (size_t i = 0; i < ran; i++)
        mean += s->lat[i];
    mean = ran ? mean / (double)ran : 0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double ndcg = s->evaluated ? s->ndcg_sum / s->evaluated : 0;
    double rec = s->evaluated ? s->recall_sum / s->evaluated : 0;
    if (a->quiet) {
        printf("%s\t%.4f\t%.4f\n", tag, ndcg, rec);
        return;
    }
    printf("engine\tdocs\tqueries\tnDCG@10\tR@100\tindex_s\tdocs_per_s\tmean_ms\tp50_ms\tp99_ms\t"
           "peak_MiB\tindex_MiB\tterms\tnDCG@10_tune\tnDCG@10_heldout\n");
    printf("%s\t%zu\t%d\t%.4f\t%.4f\t%.3f\t%.0f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t-\t%.4f\t%.4f\n",
           tag, nd, s->evaluated, ndcg, rec, index_sec, index_sec > 0 ? (double)nd / index_sec : 0,
           mean, ran ? s->lat[ran / 2] : 0, ran ? s->lat[(size_t)((double)(ran - 1) * 0.99)] : 0,
           ru.ru_maxrss / 1024.0, index_mib, s->half_n[1] ? s->half_sum[1] / s->half_n[1] : 0,
           s->half_n[0] ? s->half_sum[0] / s->half_n[0] : 0);
}
