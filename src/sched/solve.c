/* solve.c — the scheduler's search.
 *
 * Per slot the scheduled meetings form a matching in the participant graph, capped at `tables`;
 * the search keeps that invariant at every step and works in four phases:
 *   1. fixed meetings go where they are fixed;
 *   2. greedy: the others by weight (heaviest first; among equals, those whose participants are
 *      least over-requested first), each into the feasible slot that adds the fewest idle gaps;
 *   3. augmenting: every unscheduled meeting, heaviest first, is tried again with relocation
 *      chains (move the meetings that block it, recursively, to other free cells — the b-matching
 *      augmenting path of this problem) and, when its weight is more than that of the cheapest set
 *      of meetings whose removal lets it in, by ejecting that set (whose members are relocated if
 *      possible, else become unscheduled and are retried in the next round);
 *   4. gaps: a local search of Kempe-chain swaps — the alternating chain of meetings of two slots
 *      through one meeting changes slots as a whole, which keeps every participant at one meeting
 *      per slot — accepting moves that do not add gaps; then unscheduled meetings that now fit
 *      directly are placed, and tables are numbered per slot (fixed tables first).
 * Every phase is bounded by a work budget proportional to the instance, and randomness comes
 * from a fixed-seed generator, so the answer is deterministic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched_internal.h"

enum {
    DEPTH = 3,            /* relocation chain depth */
    CHAIN_MAX = 64,       /* longest Kempe chain tried */
    CALL_BUDGET = 400,    /* search nodes per relocation attempt */
    ROUNDS = 6,           /* augmenting rounds */
    AUG_DEPTH = 3,        /* meetings inserted by one augmenting chain, beyond the first */
    AUG_SLOTS = 3,        /* cheapest slots tried per insertion */
    AUG_FANOUT = 6,       /* unscheduled meetings tried per freed participant */
    AUG_BUDGET = 1000,    /* search nodes per augmenting chain */
    RANKS_MAX = 64,       /* distinct weights kept in per-slot buckets */
    ANNEAL_MAX = 4000000, /* annealing moves at most (about 0.6 s) */
};
static const double T_START = 0.5, T_END = 0.02; /* annealing temperatures, in gaps */

typedef struct {
    const sched_problem *p;
    int S, T, P, M;
    const int *ma, *mb, *fixed;
    const double *w;
    const unsigned char *unav;
    const int *sess;            /* slot -> session */
    int *sess_off, *sess_slots; /* slots of session x: sess_slots[sess_off[x] .. sess_off[x+1]) */
    int *asg;                   /* meeting -> slot, -1 */
    int *busy;                  /* participant × slot -> meeting, -1 */
    int *cnt, *cap;             /* meetings per participant, and their cap */
    int *load, *slot_m, *pos;   /* per slot: count and members (slot_m[s*T+i]); meeting's index */
    /* movable meetings of each slot by weight rank, when there are at most RANKS_MAX distinct
     * weights: doubly linked lists headed at bucket[s*R + rank] (-1 = empty) */
    int R, *rank, *bucket, *bnext, *bprev;
    long total_load;
    double wmin; /* a lower bound on the weight of every scheduled meeting that is not fixed */
    double wmax; /* the heaviest meeting's weight */
    /* journal of moves since a mark, to roll back a failed chain */
    int *jm, *jfrom;
    size_t jn, jcap;
    bool journal;
    uint64_t rng;
    long budget;
    int *stamp, stamp_now;   /* meetings seen in the current chain */
    int *pstamp, pstamp_now; /* participants seen */
    int *chain, nchain, chain_s1, chain_s2;
    int *adj_off, *adj; /* meetings of each participant, heaviest first */
} solver;

static uint32_t rnd(solver *sv)
{
    sv->rng ^= sv->rng >> 12;
    sv->rng ^= sv->rng << 25;
    sv->rng ^= sv->rng >> 27;
    return (uint32_t)((sv->rng * 2685821657736338717ull) >> 32);
}

static inline int *row(const solver *sv, int p)
{
    return sv->busy + (size_t)p * (size_t)sv->S;
}

static inline bool unavailable(const solver *sv, int p, int s)
{
    return sv->unav[(size_t)p * (size_t)sv->S + (size_t)s];
}

static void log_move(solver *sv, int m, int from)
{
    if (!sv->journal) return;
    if (sv->jn == sv->jcap) {
        sv->jcap = sv->jcap ? 2 * sv->jcap : 1024;
        sv->jm = xrealloc(sv->jm, sv->jcap * sizeof *sv->jm);
        sv->jfrom = xrealloc(sv->jfrom, sv->jcap * sizeof *sv->jfrom);
    }
    sv->jm[sv->jn] = m;
    sv->jfrom[sv->jn++] = from;
}

static void assign(solver *sv, int m, int s)
{
    log_move(sv, m, -1);
    sv->asg[m] = s;
    row(sv, sv->ma[m])[s] = m;
    row(sv, sv->mb[m])[s] = m;
    sv->cnt[sv->ma[m]]++;
    sv->cnt[sv->mb[m]]++;
    sv->pos[m] = sv->load[s];
    sv->slot_m[(size_t)s * (size_t)sv->T + (size_t)sv->load[s]++] = m;
    sv->total_load++;
    if (sv->fixed[m] < 0) {
        if (sv->w[m] < sv->wmin) sv->wmin = sv->w[m];
        if (sv->R) {
            int *head = &sv->bucket[(size_t)s * (size_t)sv->R + (size_t)sv->rank[m]];
            sv->bprev[m] = -1;
            sv->bnext[m] = *head;
            if (*head >= 0) sv->bprev[*head] = m;
            *head = m;
        }
    }
}

static void unassign(solver *sv, int m)
{
    int s = sv->asg[m];
    log_move(sv, m, s);
    sv->asg[m] = -1;
    row(sv, sv->ma[m])[s] = -1;
    row(sv, sv->mb[m])[s] = -1;
    sv->cnt[sv->ma[m]]--;
    sv->cnt[sv->mb[m]]--;
    int *members = sv->slot_m + (size_t)s * (size_t)sv->T;
    int last = members[--sv->load[s]];
    members[sv->pos[m]] = last;
    sv->pos[last] = sv->pos[m];
    sv->total_load--;
    if (sv->R && sv->fixed[m] < 0) {
        if (sv->bprev[m] >= 0)
            sv->bnext[sv->bprev[m]] = sv->bnext[m];
        else
            sv->bucket[(size_t)s * (size_t)sv->R + (size_t)sv->rank[m]] = sv->bnext[m];
        if (sv->bnext[m] >= 0) sv->bprev[sv->bnext[m]] = sv->bprev[m];
    }
}

/* Undoes every journaled move after mark, newest first. */
static void rollback(solver *sv, size_t mark)
{
    bool j = sv->journal;
    sv->journal = false;
    while (sv->jn > mark) {
        sv->jn--;
        int m = sv->jm[sv->jn], from = sv->jfrom[sv->jn];
        if (from < 0)
            unassign(sv, m);
        else
            assign(sv, m, from);
    }
    sv->journal = j;
}

/* Idle gaps of participant p in session x, as if slot extra (-1 = none) were busy too. */
static int gaps(const solver *sv, int p, int x, int extra)
{
    const int *r = row(sv, p);
    int first = -1, last = -1, n = 0;
    for (int k = sv->sess_off[x]; k < sv->sess_off[x + 1]; k++) {
        int s = sv->sess_slots[k];
        if (r[s] >= 0 || s == extra) {
            if (first < 0) first = k;
            last = k;
            n++;
        }
    }
    return first < 0 ? 0 : last - first + 1 - n;
}

/* True when m fits in s with nothing moved. */
static bool fits(const solver *sv, int m, int s)
{
    int a = sv->ma[m], b = sv->mb[m];
    return sv->load[s] < sv->T && row(sv, a)[s] < 0 && row(sv, b)[s] < 0 &&
           !unavailable(sv, a, s) && !unavailable(sv, b, s);
}

/* The slot where m fits adding the fewest gaps (earliest among equals), or -1. */
static int best_direct(const solver *sv, int m)
{
    int a = sv->ma[m], b = sv->mb[m];
    if (sv->cnt[a] >= sv->cap[a] || sv->cnt[b] >= sv->cap[b]) return -1;
    int best = -1, best_d = 0;
    for (int s = 0; s < sv->S; s++) {
        if (!fits(sv, m, s)) continue;
        int x = sv->sess[s];
        int d = gaps(sv, a, x, s) - gaps(sv, a, x, -1) + gaps(sv, b, x, s) - gaps(sv, b, x, -1);
        if (best < 0 || d < best_d) {
            best = s;
            best_d = d;
            if (d < 0) break; /* fills a gap of both or one: as good as it gets in practice */
        }
    }
    return best;
}

/* Places the unscheduled meeting m without unscheduling anything: directly, or by relocating
 * the meetings that block it (chains up to depth). On failure the state is unchanged. */
static bool place(solver *sv, int m, int depth)
{
    if (sv->budget <= 0 || sv->total_load >= (long)sv->S * sv->T) return false;
    sv->budget--;
    int a = sv->ma[m], b = sv->mb[m];
    if (sv->cnt[a] >= sv->cap[a] || sv->cnt[b] >= sv->cap[b]) return false;
    int s = best_direct(sv, m);
    if (s >= 0) {
        assign(sv, m, s);
        return true;
    }
    if (depth == 0) return false;
    int off = (int)(rnd(sv) % (uint32_t)sv->S);
    for (int k = 0; k < sv->S && sv->budget > 0; k++) {
        s = (off + k) % sv->S;
        if (unavailable(sv, a, s) || unavailable(sv, b, s)) continue;
        int ba = row(sv, a)[s], bb = row(sv, b)[s], victim = -1;
        if ((ba >= 0 && sv->fixed[ba] >= 0) || (bb >= 0 && sv->fixed[bb] >= 0)) continue;
        if (bb == ba) bb = -1;
        if (ba < 0 && bb < 0) { /* the slot is full: make room by moving one of its meetings */
            victim = sv->slot_m[(size_t)s * (size_t)sv->T + rnd(sv) % (uint32_t)sv->load[s]];
            if (sv->fixed[victim] >= 0) continue;
        }
        size_t mark = sv->jn;
        if (ba >= 0) unassign(sv, ba);
        if (bb >= 0) unassign(sv, bb);
        if (victim >= 0) unassign(sv, victim);
        assign(sv, m, s);
        if ((ba < 0 || place(sv, ba, depth - 1)) && (bb < 0 || place(sv, bb, depth - 1)) &&
            (victim < 0 || place(sv, victim, depth - 1)))
            return true;
        rollback(sv, mark);
    }
    return false;
}

static bool in_set(const int *set, int n, int m)
{
    for (int i = 0; i < n; i++)
        if (set[i] == m) return true;
    return false;
}

/* The lightest movable meeting of participant p not in set[0..n), or -1. */
static int lightest_of(const solver *sv, int p, const int *set, int n)
{
    int best = -1;
    const int *r = row(sv, p);
    for (int s = 0; s < sv->S; s++) {
        int m = r[s];
        if (m >= 0 && sv->fixed[m] < 0 && !in_set(set, n, m) &&
            (best < 0 || sv->w[m] < sv->w[best]))
            best = m;
    }
    return best;
}

static int scan_lightest(const solver *sv, int s, const int *set, int n)
{
    int x = -1;
    const int *members = sv->slot_m + (size_t)s * (size_t)sv->T;
    for (int i = 0; i < sv->load[s]; i++) {
        int y = members[i];
        if (sv->fixed[y] < 0 && !in_set(set, n, y) && (x < 0 || sv->w[y] < sv->w[x])) x = y;
    }
    return x;
}

/* The lightest movable meeting of slot s not in set[0..n), or -1: from the weight buckets when
 * there are few distinct weights, else by a scan of the slot. */
static int lightest_in_slot(const solver *sv, int s, const int *set, int n)
{
    if (!sv->R) return scan_lightest(sv, s, set, n);
    const int *heads = sv->bucket + (size_t)s * (size_t)sv->R;
    for (int r = 0; r < sv->R; r++)
        for (int x = heads[r]; x >= 0; x = sv->bnext[x])
            if (!in_set(set, n, x)) return x;
    return -1;
}

static int involving(const solver *sv, int p, const int *set, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += sv->ma[set[i]] == p || sv->mb[set[i]] == p;
    return k;
}

/* The set of meetings to unschedule so that the unscheduled m fits in slot s: its participants'
 * meetings in s, the lightest other meeting of a participant at their cap, the lightest other
 * meeting of s when s is full. False when s is unavailable or a needed member is fixed. */
static bool eject_set(solver *sv, int m, int s, int set[4], int *nset, double *cost)
{
    int a = sv->ma[m], b = sv->mb[m], n = 0;
    if (unavailable(sv, a, s) || unavailable(sv, b, s)) return false;
    int ba = row(sv, a)[s], bb = row(sv, b)[s];
    if ((ba >= 0 && sv->fixed[ba] >= 0) || (bb >= 0 && sv->fixed[bb] >= 0)) return false;
    if (ba >= 0) set[n++] = ba;
    if (bb >= 0 && bb != ba) set[n++] = bb;
    if (sv->cnt[a] - involving(sv, a, set, n) + 1 > sv->cap[a]) {
        int x = lightest_of(sv, a, set, n);
        if (x < 0) return false;
        set[n++] = x;
    }
    if (sv->cnt[b] - involving(sv, b, set, n) + 1 > sv->cap[b]) {
        int x = lightest_of(sv, b, set, n);
        if (x < 0) return false;
        set[n++] = x;
    }
    int in_s = 0;
    double c = 0;
    for (int i = 0; i < n; i++) {
        in_s += sv->asg[set[i]] == s;
        c += sv->w[set[i]];
    }
    if (sv->load[s] - in_s + 1 > sv->T) {
        int x = lightest_in_slot(sv, s, set, n);
        if (x < 0) return false;
        set[n++] = x;
        c += sv->w[x];
    }
    *nset = n;
    *cost = c;
    return true;
}

typedef struct {
    int s, n;
    int set[4];
    double cost;
} ejection;

static int cmp_ejection(const void *x, const void *y)
{
    const ejection *a = x, *b = y;
    if (a->cost != b->cost) return a->cost < b->cost ? -1 : 1;
    return (a->s > b->s) - (a->s < b->s);
}

/* Augmenting chain: inserts the unscheduled m, unscheduling a set of meetings (each relocated if
 * possible) and, while the running gain is not yet positive, inserting unscheduled meetings of the
 * participants that set freed (recursively, up to depth). gain is the chain's weight gain so far
 * (it may be negative: two light meetings can replace one heavier). True when the whole chain
 * gains weight; otherwise the state is unchanged. */
static bool augment(solver *sv, int m, double gain, int depth)
{
    if (sv->budget <= 0) return false;
    sv->budget--;
    double eps = 1e-9 * (1 + sv->w[m]);
    ejection cand[SCHED_MAX_SLOTS];
    int nc = 0;
    for (int s = 0; s < sv->S; s++) {
        ejection *c = &cand[nc];
        if (sv->fixed[m] >= 0 && s != sv->fixed[m]) continue;
        if (!eject_set(sv, m, s, c->set, &c->n, &c->cost)) continue;
        /* the chain can still end in a gain: through relocating what it ejects (depth 0) or
         * through one more insertion, of at most wmax */
        if (gain + sv->w[m] - c->cost + (depth > 0 ? sv->wmax : c->cost) <= eps) continue;
        c->s = s;
        nc++;
    }
    qsort(cand, (size_t)nc, sizeof *cand, cmp_ejection);
    for (int k = 0; k < nc && k < AUG_SLOTS && sv->budget > 0; k++) {
        const ejection *c = &cand[k];
        size_t mark = sv->jn;
        for (int i = 0; i < c->n; i++)
            unassign(sv, c->set[i]);
        assign(sv, m, c->s);
        double g = gain + sv->w[m] - c->cost;
        for (int i = 0; i < c->n; i++)
            if (place(sv, c->set[i], 1)) g += sv->w[c->set[i]];
        if (g > eps) return true;
        for (int i = 0; depth > 0 && i < c->n && sv->budget > 0; i++) {
            int e = c->set[i];
            if (sv->asg[e] >= 0) continue;
            const int who[2] = {sv->ma[e], sv->mb[e]};
            for (int j = 0; j < 2; j++) {
                int tried = 0;
                for (int q = sv->adj_off[who[j]]; q < sv->adj_off[who[j] + 1]; q++) {
                    int m2 = sv->adj[q];
                    if (sv->asg[m2] >= 0 || m2 == m || in_set(c->set, c->n, m2)) continue;
                    if (sv->w[m2] <= eps || tried++ == AUG_FANOUT || sv->budget <= 0) break;
                    size_t mark2 = sv->jn;
                    if (place(sv, m2, 1)) {
                        if (g + sv->w[m2] > eps) return true;
                        rollback(sv, mark2);
                    }
                    if (augment(sv, m2, g, depth - 1)) return true;
                }
            }
        }
        rollback(sv, mark);
    }
    return false;
}

/* Moves the Kempe chain of m between its slot and s2 and returns the change in idle gaps, or
 * INT32_MIN (nothing moved) when the chain is too long, holds a fixed meeting, or breaks
 * availability or a slot's table count. kempe_undo moves the chain back. */
static int kempe_do(solver *sv, int m, int s2)
{
    int s1 = sv->asg[m];
    if (s1 == s2 || sv->fixed[m] >= 0) return INT32_MIN;
    sv->stamp_now++;
    sv->nchain = 0;
    sv->chain[sv->nchain++] = m;
    sv->stamp[m] = sv->stamp_now;
    int k1 = 0;
    for (int i = 0; i < sv->nchain; i++) {
        int x = sv->chain[i], other = sv->asg[x] == s1 ? s2 : s1;
        k1 += sv->asg[x] == s1;
        const int who[2] = {sv->ma[x], sv->mb[x]};
        for (int k = 0; k < 2; k++) {
            if (unavailable(sv, who[k], other)) return INT32_MIN;
            int y = row(sv, who[k])[other];
            if (y < 0 || sv->stamp[y] == sv->stamp_now) continue;
            if (sv->fixed[y] >= 0 || sv->nchain == CHAIN_MAX) return INT32_MIN;
            sv->stamp[y] = sv->stamp_now;
            sv->chain[sv->nchain++] = y;
        }
    }
    int k2 = sv->nchain - k1;
    if (sv->load[s1] - k1 + k2 > sv->T || sv->load[s2] - k2 + k1 > sv->T) return INT32_MIN;
    int x1 = sv->sess[s1], x2 = sv->sess[s2], before = 0, after = 0;
    sv->pstamp_now++;
    for (int i = 0; i < sv->nchain; i++) {
        const int who[2] = {sv->ma[sv->chain[i]], sv->mb[sv->chain[i]]};
        for (int k = 0; k < 2; k++) {
            if (sv->pstamp[who[k]] == sv->pstamp_now) continue;
            sv->pstamp[who[k]] = sv->pstamp_now;
            before += gaps(sv, who[k], x1, -1) + (x2 != x1 ? gaps(sv, who[k], x2, -1) : 0);
        }
    }
    int from[CHAIN_MAX];
    for (int i = 0; i < sv->nchain; i++) {
        from[i] = sv->asg[sv->chain[i]];
        unassign(sv, sv->chain[i]);
    }
    for (int i = 0; i < sv->nchain; i++)
        assign(sv, sv->chain[i], from[i] == s1 ? s2 : s1);
    sv->pstamp_now++;
    for (int i = 0; i < sv->nchain; i++) {
        const int who[2] = {sv->ma[sv->chain[i]], sv->mb[sv->chain[i]]};
        for (int k = 0; k < 2; k++) {
            if (sv->pstamp[who[k]] == sv->pstamp_now) continue;
            sv->pstamp[who[k]] = sv->pstamp_now;
            after += gaps(sv, who[k], x1, -1) + (x2 != x1 ? gaps(sv, who[k], x2, -1) : 0);
        }
    }
    sv->chain_s1 = s1;
    sv->chain_s2 = s2;
    return after - before;
}

static void kempe_undo(solver *sv)
{
    int from[CHAIN_MAX];
    for (int i = 0; i < sv->nchain; i++) {
        from[i] = sv->asg[sv->chain[i]];
        unassign(sv, sv->chain[i]);
    }
    for (int i = 0; i < sv->nchain; i++)
        assign(sv, sv->chain[i], from[i] == sv->chain_s1 ? sv->chain_s2 : sv->chain_s1);
}

static long total_gaps(const solver *sv)
{
    long g = 0;
    for (int i = 0; i < sv->P; i++)
        for (int x = 0; x < sv->p->nsess; x++)
            g += gaps(sv, i, x, -1);
    return g;
}

/* Simulated annealing over Kempe-chain moves of the scheduled movable meetings: iters random
 * moves (mostly within a session), a move adding d > 0 gaps kept with probability e^(-d/t) as t
 * cools geometrically from t0 to T_END; ends in the best state seen. Never changes which
 * meetings are scheduled. */
static void reduce_gaps(solver *sv, long iters, double t0)
{
    int n = 0;
    size_t M = (size_t)sv->M + 1;
    int *movable = xmalloc(M * sizeof *movable), *best_asg = xmalloc(M * sizeof *best_asg);
    for (int m = 0; m < sv->M; m++)
        if (sv->asg[m] >= 0 && sv->fixed[m] < 0) movable[n++] = m;
    long cur = total_gaps(sv), best = cur;
    memcpy(best_asg, sv->asg, M * sizeof *best_asg);
    double t = t0, cool = iters > 0 ? pow(T_END / t0, 1.0 / (double)iters) : 1;
    for (long it = 0; n && cur > 0 && it < iters; it++, t *= cool) {
        int m = movable[rnd(sv) % (uint32_t)n], s1 = sv->asg[m], x = sv->sess[s1];
        int len = sv->sess_off[x + 1] - sv->sess_off[x], s2;
        if (len > 1 && rnd(sv) % 8)
            s2 = sv->sess_slots[sv->sess_off[x] + (int)(rnd(sv) % (uint32_t)len)];
        else
            s2 = (int)(rnd(sv) % (uint32_t)sv->S);
        int d = kempe_do(sv, m, s2);
        if (d == INT32_MIN) continue;
        bool keep = d < 0 || (d == 0 && rnd(sv) % 2) ||
                    (d > 0 && (double)rnd(sv) / 4294967296.0 < exp(-(double)d / t));
        if (!keep) {
            kempe_undo(sv);
            continue;
        }
        cur += d;
        if (cur < best) {
            best = cur;
            memcpy(best_asg, sv->asg, M * sizeof *best_asg);
        }
    }
    if (cur > best) {
        for (int i = 0; i < n; i++)
            unassign(sv, movable[i]);
        for (int i = 0; i < n; i++)
            assign(sv, movable[i], best_asg[movable[i]]);
    }
    free(best_asg);
    free(movable);
}

/* Sort key of the greedy order. */
typedef struct {
    double w, hard;
    int m;
} order_key;

static int cmp_order(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->w != b->w) return a->w > b->w ? -1 : 1;
    if (a->hard != b->hard) return a->hard < b->hard ? -1 : 1;
    return (a->m > b->m) - (a->m < b->m);
}

/* Fills keys[] with the unscheduled movable meetings in greedy order; returns how many. */
static int unscheduled_order(const solver *sv, const double *ratio, order_key *keys)
{
    int n = 0;
    for (int m = 0; m < sv->M; m++) {
        if (sv->asg[m] >= 0) continue;
        double ra = ratio[sv->ma[m]], rb = ratio[sv->mb[m]];
        keys[n++] = (order_key){sv->w[m], ra > rb ? ra : rb, m};
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_order);
    return n;
}

static void number_tables(const solver *sv, sched_answer *out)
{
    const sched_problem *p = sv->p;
    unsigned char *used = xcalloc((size_t)sv->T + 2, 1);
    for (int s = 0; s < sv->S; s++) {
        memset(used, 0, (size_t)sv->T + 2);
        const int *members = sv->slot_m + (size_t)s * (size_t)sv->T;
        for (int i = 0; i < sv->load[s]; i++)
            if (p->meet_ftable[members[i]]) used[p->meet_ftable[members[i]]] = 1;
        int next = 1;
        for (int i = 0; i < sv->load[s]; i++) {
            int m = members[i];
            if (p->meet_ftable[m]) {
                out->table[m] = p->meet_ftable[m];
                continue;
            }
            while (used[next])
                next++;
            used[next] = 1;
            out->table[m] = next;
        }
    }
    free(used);
    for (int m = 0; m < sv->M; m++) {
        out->slot[m] = sv->asg[m];
        if (sv->asg[m] < 0) out->table[m] = 0;
    }
}

err_code sched_solve(const sched_problem *p, arena *a, sched_answer *out, err *e)
{
    err_code rc = sched_check(p, e);
    if (rc) return rc;
    *out = sched_answer_new(p, a);
    arena *tmp = arena_new();
    solver sv = {.p = p, .S = p->nslots, .T = p->tables, .P = p->nparts, .M = p->nmeet};
    sv.ma = p->meet_a;
    sv.mb = p->meet_b;
    sv.fixed = p->meet_fslot;
    sv.w = p->meet_w;
    sv.sess = p->slot_sess;
    sv.unav = sched_unavailable_matrix(p, tmp);
    sv.rng = 0x9e3779b97f4a7c15ull;
    sv.wmin = INFINITY;
    size_t S = (size_t)sv.S, M = (size_t)sv.M + 1, P = (size_t)sv.P + 1;
    sv.sess_off = arena_alloc(tmp, ((size_t)p->nsess + 2) * sizeof(int));
    sv.sess_slots = arena_alloc(tmp, (S + 1) * sizeof(int));
    for (int s = 0; s < sv.S; s++)
        sv.sess_off[sv.sess[s] + 1]++;
    for (int x = 0; x < p->nsess; x++)
        sv.sess_off[x + 1] += sv.sess_off[x];
    int *fill = arena_alloc(tmp, ((size_t)p->nsess + 1) * sizeof(int));
    for (int s = 0; s < sv.S; s++)
        sv.sess_slots[sv.sess_off[sv.sess[s]] + fill[sv.sess[s]]++] = s;
    sv.asg = arena_alloc(tmp, M * sizeof(int));
    sv.busy = arena_alloc(tmp, (P * S + 1) * sizeof(int));
    sv.cnt = arena_alloc(tmp, P * sizeof(int));
    sv.cap = arena_alloc(tmp, P * sizeof(int));
    sv.load = arena_alloc(tmp, (S + 1) * sizeof(int));
    sv.slot_m = arena_alloc(tmp, (S * (size_t)sv.T + 1) * sizeof(int));
    sv.pos = arena_alloc(tmp, M * sizeof(int));
    sv.rank = arena_alloc(tmp, M * sizeof(int));
    sv.bnext = arena_alloc(tmp, M * sizeof(int));
    sv.bprev = arena_alloc(tmp, M * sizeof(int));
    sv.stamp = arena_alloc(tmp, M * sizeof(int));
    sv.pstamp = arena_alloc(tmp, P * sizeof(int));
    sv.chain = arena_alloc(tmp, CHAIN_MAX * sizeof(int));
    memset(sv.asg, 0xff, M * sizeof(int));
    memset(sv.busy, 0xff, (P * S + 1) * sizeof(int));

    /* caps and how over-requested each participant is */
    double *ratio = arena_alloc(tmp, P * sizeof(double));
    for (int i = 0; i < sv.P; i++) {
        int avail = 0;
        for (int s = 0; s < sv.S; s++)
            avail += !unavailable(&sv, i, s);
        int cap = p->part_max[i] >= 0 && p->part_max[i] < avail ? p->part_max[i] : avail;
        sv.cap[i] = cap;
    }
    for (int m = 0; m < sv.M; m++) {
        ratio[sv.ma[m]] += 1;
        ratio[sv.mb[m]] += 1;
    }
    for (int i = 0; i < sv.P; i++)
        ratio[i] /= sv.cap[i] > 0 ? sv.cap[i] : 0.5;

    /* meetings of each participant, heaviest first */
    sv.adj_off = arena_alloc(tmp, (P + 1) * sizeof(int));
    sv.adj = arena_alloc(tmp, 2 * M * sizeof(int));
    order_key *keys = arena_alloc(tmp, M * sizeof *keys);
    for (int m = 0; m < sv.M; m++) {
        if (sv.w[m] > sv.wmax) sv.wmax = sv.w[m];
        sv.adj_off[sv.ma[m] + 1]++;
        sv.adj_off[sv.mb[m] + 1]++;
        keys[m] = (order_key){sv.w[m], 0, m};
    }
    for (int i = 0; i < sv.P; i++)
        sv.adj_off[i + 1] += sv.adj_off[i];
    qsort(keys, (size_t)sv.M, sizeof *keys, cmp_order);
    int *afill = arena_alloc(tmp, P * sizeof(int));
    for (int k = 0; k < sv.M; k++) {
        int m = keys[k].m;
        sv.adj[sv.adj_off[sv.ma[m]] + afill[sv.ma[m]]++] = m;
        sv.adj[sv.adj_off[sv.mb[m]] + afill[sv.mb[m]]++] = m;
    }

    /* weight ranks, lightest first (keys are heaviest first) */
    int ndistinct = 0;
    for (int k = sv.M - 1; k >= 0; k--) {
        if (k == sv.M - 1 || keys[k].w != keys[k + 1].w) ndistinct++;
        sv.rank[keys[k].m] = ndistinct - 1;
    }
    if (ndistinct <= RANKS_MAX) {
        sv.R = ndistinct;
        sv.bucket = arena_alloc(tmp, (S * (size_t)sv.R + 1) * sizeof(int));
        memset(sv.bucket, 0xff, (S * (size_t)sv.R + 1) * sizeof(int));
    }

    /* 1. fixed (sched_check guarantees they fit) */
    for (int m = 0; m < sv.M; m++)
        if (sv.fixed[m] >= 0) assign(&sv, m, sv.fixed[m]);

    /* 2. greedy */
    int n = unscheduled_order(&sv, ratio, keys);
    for (int i = 0; i < n; i++) {
        int s = best_direct(&sv, keys[i].m);
        if (s >= 0) assign(&sv, keys[i].m, s);
    }

    /* 3. augmenting rounds, within a work budget (search nodes) proportional to the instance */
    sv.journal = true;
    long work = 0, work_max = 60L * sv.M + 200000;
    for (int round = 0; round < ROUNDS; round++) {
        bool improved = false;
        n = unscheduled_order(&sv, ratio, keys);
        for (int i = 0; i < n && work < work_max; i++) {
            int m = keys[i].m;
            double tol = 1e-9 * (1 + sv.w[m]);
            if (sv.asg[m] >= 0) continue;
            sv.jn = 0;
            sv.budget = CALL_BUDGET;
            bool ok = place(&sv, m, DEPTH);
            work += CALL_BUDGET - sv.budget;
            if (ok) {
                improved = true;
                continue;
            }
            /* when every cell is taken, a chain must eject at least wmin to insert m, so one of
             * equal weights only gains through a heavier meeting, which is tried itself */
            bool full = sv.total_load >= (long)sv.S * sv.T;
            if (full && sv.w[m] <= sv.wmin + tol) continue;
            sv.budget = AUG_BUDGET;
            if (augment(&sv, m, 0, AUG_DEPTH)) improved = true;
            work += AUG_BUDGET - sv.budget;
        }
        if (!improved || work >= work_max) break;
    }
    sv.journal = false;

    /* 4. gaps, then whatever now fits directly, then gaps again if anything moved in */
    long iters = 3000L * sv.total_load + 100000;
    if (iters > ANNEAL_MAX) iters = ANNEAL_MAX;
    reduce_gaps(&sv, iters, T_START);
    n = unscheduled_order(&sv, ratio, keys);
    int added = 0;
    for (int i = 0; i < n; i++) {
        int s = best_direct(&sv, keys[i].m);
        if (s >= 0) {
            assign(&sv, keys[i].m, s);
            added++;
        }
    }
    if (added) reduce_gaps(&sv, iters / 4, T_END);

    number_tables(&sv, out);
    free(sv.jm);
    free(sv.jfrom);
    arena_free(tmp);
    return ERR_OK;
}
