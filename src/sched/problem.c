/* problem.c — building a scheduling problem, checking its fixed meetings, validating answers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched_internal.h"

/* ---- id maps ---- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int idmap_get(const sched_idmap *m, const char *key)
{
    if (!m->cap || !key) return -1;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) return -1;
        if (str_eq(m->keys[i], key)) return m->vals[i];
    }
}

/* Inserts a key known to be absent. Old tables stay in the arena: at most twice the final size. */
static void idmap_put(arena *a, sched_idmap *m, const char *key, int val)
{
    if (2 * (m->n + 1) > m->cap) {
        sched_idmap g = {.cap = m->cap ? 2 * m->cap : 64};
        g.keys = arena_alloc(a, g.cap * sizeof *g.keys);
        g.vals = arena_alloc(a, g.cap * sizeof *g.vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) idmap_put(a, &g, m->keys[i], m->vals[i]);
        *m = g;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
}

/* Grows the arena array *arr of *cap elements of size sz to hold n + 1. */
static void grow(arena *a, void *arr, int *cap, int n, size_t sz)
{
    void **pp = arr;
    if (n < *cap) return;
    int nc = *cap ? 2 * *cap : 16;
    void *q = arena_alloc(a, (size_t)nc * sz);
    if (n) memcpy(q, *pp, (size_t)n * sz);
    *pp = q;
    *cap = nc;
}

sched_problem *sched_new(arena *a, int tables)
{
    sched_problem *p = arena_alloc(a, sizeof *p);
    p->a = a;
    p->tables = tables;
    return p;
}

static bool id_ok(const char *kind, const char *id, err *e)
{
    if (!id || !*id)
        return err_set(e, ERR_INVALID, kind, NULL, "a %s has an empty id", kind), false;
    return true;
}

err_code sched_add_slot(sched_problem *p, const char *id, const char *session, err *e)
{
    if (!id_ok("slot", id, e)) return ERR_INVALID;
    if (idmap_get(&p->slot_map, id) >= 0)
        return err_set(e, ERR_INVALID, id, NULL, "duplicate slot id \"%s\"", id);
    if (p->nslots >= SCHED_MAX_SLOTS)
        return err_set(e, ERR_INVALID, id, NULL, "slot \"%s\": more than %d slots", id,
                       SCHED_MAX_SLOTS);
    if (!session) session = "";
    int si = idmap_get(&p->sess_map, session);
    if (si < 0) {
        grow(p->a, &p->sess_name, &p->sess_cap, p->nsess, sizeof *p->sess_name);
        si = p->nsess++;
        p->sess_name[si] = arena_strdup(p->a, session);
        idmap_put(p->a, &p->sess_map, p->sess_name[si], si);
    }
    int cap = p->slots_cap;
    grow(p->a, &p->slot_id, &cap, p->nslots, sizeof *p->slot_id);
    cap = p->slots_cap;
    grow(p->a, &p->slot_sess, &p->slots_cap, p->nslots, sizeof *p->slot_sess);
    int i = p->nslots++;
    p->slot_id[i] = arena_strdup(p->a, id);
    p->slot_sess[i] = si;
    idmap_put(p->a, &p->slot_map, p->slot_id[i], i);
    return ERR_OK;
}

err_code sched_add_participant(sched_problem *p, const char *id, int max_meetings, err *e)
{
    if (!id_ok("participant", id, e)) return ERR_INVALID;
    if (idmap_get(&p->part_map, id) >= 0)
        return err_set(e, ERR_INVALID, id, NULL, "duplicate participant id \"%s\"", id);
    if (p->nparts >= SCHED_MAX_PARTICIPANTS ||
        (long long)(p->nparts + 1) * (p->nslots ? p->nslots : 1) > SCHED_MAX_CELLS)
        return err_set(e, ERR_INVALID, id, NULL, "participant \"%s\": too many participants", id);
    int cap = p->parts_cap;
    grow(p->a, &p->part_id, &cap, p->nparts, sizeof *p->part_id);
    grow(p->a, &p->part_max, &p->parts_cap, p->nparts, sizeof *p->part_max);
    int i = p->nparts++;
    p->part_id[i] = arena_strdup(p->a, id);
    p->part_max[i] = max_meetings < 0 ? -1 : max_meetings;
    idmap_put(p->a, &p->part_map, p->part_id[i], i);
    return ERR_OK;
}

err_code sched_add_unavailable(sched_problem *p, const char *participant, const char *slot, err *e)
{
    int pi = idmap_get(&p->part_map, participant);
    if (pi < 0)
        return err_set(e, ERR_INVALID, participant ? participant : "", NULL,
                       "unknown participant \"%s\"", participant ? participant : "");
    int si = idmap_get(&p->slot_map, slot);
    if (si < 0)
        return err_set(e, ERR_INVALID, participant, NULL,
                       "participant \"%s\": unavailable slot \"%s\" is unknown", participant,
                       slot ? slot : "");
    int cap = p->unav_cap;
    grow(p->a, &p->unav_part, &cap, p->nunav, sizeof *p->unav_part);
    grow(p->a, &p->unav_slot, &p->unav_cap, p->nunav, sizeof *p->unav_slot);
    p->unav_part[p->nunav] = pi;
    p->unav_slot[p->nunav++] = si;
    return ERR_OK;
}

err_code sched_add_meeting(sched_problem *p, const char *id, const char *a, const char *b,
                           double weight, const char *fixed_slot, int fixed_table, err *e)
{
    if (!id_ok("meeting", id, e)) return ERR_INVALID;
    if (idmap_get(&p->meet_map, id) >= 0)
        return err_set(e, ERR_INVALID, id, NULL, "duplicate meeting id \"%s\"", id);
    if (p->nmeet >= SCHED_MAX_MEETINGS)
        return err_set(e, ERR_INVALID, id, NULL, "meeting \"%s\": more than %d meetings", id,
                       SCHED_MAX_MEETINGS);
    int ia = idmap_get(&p->part_map, a), ib = idmap_get(&p->part_map, b);
    if (ia < 0 || ib < 0)
        return err_set(e, ERR_INVALID, id, NULL, "meeting \"%s\": participant \"%s\" is unknown",
                       id, ia < 0 ? (a ? a : "") : (b ? b : ""));
    if (ia == ib)
        return err_set(e, ERR_INVALID, id, NULL,
                       "meeting \"%s\": participant \"%s\" cannot meet themselves", id, a);
    if (!isfinite(weight) || weight < 0 || weight > 1e12)
        return err_set(e, ERR_INVALID, id, NULL,
                       "meeting \"%s\": weight must be a number from 0 to 1e12", id);
    int fs = -1;
    if (fixed_slot) {
        fs = idmap_get(&p->slot_map, fixed_slot);
        if (fs < 0)
            return err_set(e, ERR_INVALID, id, NULL, "meeting \"%s\": fixed slot \"%s\" is unknown",
                           id, fixed_slot);
    }
    if (fixed_table && (fs < 0 || fixed_table < 1 || fixed_table > p->tables)) {
        if (fs < 0)
            return err_set(e, ERR_INVALID, id, NULL,
                           "meeting \"%s\": a fixed table needs a fixed slot", id);
        return err_set(e, ERR_INVALID, id, NULL,
                       "meeting \"%s\": fixed table %d is out of range 1..%d", id, fixed_table,
                       p->tables);
    }
    int cap = p->meet_cap;
    grow(p->a, &p->meet_id, &cap, p->nmeet, sizeof *p->meet_id);
    cap = p->meet_cap;
    grow(p->a, &p->meet_a, &cap, p->nmeet, sizeof *p->meet_a);
    cap = p->meet_cap;
    grow(p->a, &p->meet_b, &cap, p->nmeet, sizeof *p->meet_b);
    cap = p->meet_cap;
    grow(p->a, &p->meet_w, &cap, p->nmeet, sizeof *p->meet_w);
    cap = p->meet_cap;
    grow(p->a, &p->meet_fslot, &cap, p->nmeet, sizeof *p->meet_fslot);
    grow(p->a, &p->meet_ftable, &p->meet_cap, p->nmeet, sizeof *p->meet_ftable);
    int i = p->nmeet++;
    p->meet_id[i] = arena_strdup(p->a, id);
    p->meet_a[i] = ia;
    p->meet_b[i] = ib;
    p->meet_w[i] = weight;
    p->meet_fslot[i] = fs;
    p->meet_ftable[i] = fixed_table;
    idmap_put(p->a, &p->meet_map, p->meet_id[i], i);
    return ERR_OK;
}

unsigned char *sched_unavailable_matrix(const sched_problem *p, arena *a)
{
    size_t S = (size_t)p->nslots;
    unsigned char *u = arena_alloc(a, (size_t)p->nparts * S + 1);
    for (int i = 0; i < p->nunav; i++)
        u[(size_t)p->unav_part[i] * S + (size_t)p->unav_slot[i]] = 1;
    return u;
}

int sched_gaps_of(const sched_problem *p, const int *busy_row, int session)
{
    int first = -1, last = -1, pos = 0, n = 0;
    for (int s = 0; s < p->nslots; s++) {
        if (p->slot_sess[s] != session) continue;
        if (busy_row[s] >= 0) {
            if (first < 0) first = pos;
            last = pos;
            n++;
        }
        pos++;
    }
    return first < 0 ? 0 : last - first + 1 - n;
}

static int cmp_ll(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;
    return (a > b) - (a < b);
}

err_code sched_check(const sched_problem *p, err *e)
{
    size_t S = (size_t)p->nslots;
    arena *tmp = arena_new();
    err_code rc = ERR_OK;
    unsigned char *unav = sched_unavailable_matrix(p, tmp);
    int *busy = arena_alloc(tmp, ((size_t)p->nparts * S + 1) * sizeof *busy);
    int *nfixed = arena_alloc(tmp, (S + 1) * sizeof *nfixed);
    int *count = arena_alloc(tmp, ((size_t)p->nparts + 1) * sizeof *count);
    memset(busy, 0xff, (size_t)p->nparts * S * sizeof *busy);
    /* tables fixed in a slot: (slot, table, meeting) triples, sorted to find repeats */
    int nt = 0;
    long long *tab = arena_alloc(tmp, ((size_t)p->nmeet + 1) * sizeof *tab);
    for (int m = 0; m < p->nmeet && !rc; m++) {
        int s = p->meet_fslot[m];
        if (s < 0) continue;
        const int who[2] = {p->meet_a[m], p->meet_b[m]};
        for (int k = 0; k < 2 && !rc; k++) {
            size_t cell = (size_t)who[k] * S + (size_t)s;
            const char *pid = p->part_id[who[k]];
            if (unav[cell])
                rc = err_set(e, ERR_INVALID, p->meet_id[m], NULL,
                             "meeting \"%s\" is fixed in slot \"%s\" where participant \"%s\" is "
                             "unavailable",
                             p->meet_id[m], p->slot_id[s], pid);
            else if (busy[cell] >= 0)
                rc = err_set(e, ERR_INVALID, p->meet_id[m], NULL,
                             "meetings \"%s\" and \"%s\" are both fixed in slot \"%s\" for "
                             "participant \"%s\"",
                             p->meet_id[busy[cell]], p->meet_id[m], p->slot_id[s], pid);
            else if (p->part_max[who[k]] >= 0 && ++count[who[k]] > p->part_max[who[k]])
                rc = err_set(e, ERR_INVALID, p->meet_id[m], NULL,
                             "meeting \"%s\": participant \"%s\" has more fixed meetings than "
                             "max_meetings %d",
                             p->meet_id[m], pid, p->part_max[who[k]]);
            else
                busy[cell] = m;
        }
        if (!rc && ++nfixed[s] > p->tables)
            rc = err_set(e, ERR_INVALID, p->meet_id[m], NULL,
                         "meeting \"%s\": slot \"%s\" has more fixed meetings than its %d tables",
                         p->meet_id[m], p->slot_id[s], p->tables);
        if (p->meet_ftable[m])
            tab[nt++] =
                ((long long)s * (p->tables + 1) + p->meet_ftable[m]) * SCHED_MAX_MEETINGS + m;
    }
    if (!rc && nt > 1) {
        qsort(tab, (size_t)nt, sizeof *tab, cmp_ll);
        for (int i = 1; i < nt && !rc; i++) {
            long long c0 = tab[i - 1] / SCHED_MAX_MEETINGS, c1 = tab[i] / SCHED_MAX_MEETINGS;
            if (c0 != c1) continue;
            int m0 = (int)(tab[i - 1] % SCHED_MAX_MEETINGS),
                m1 = (int)(tab[i] % SCHED_MAX_MEETINGS);
            rc = err_set(e, ERR_INVALID, p->meet_id[m1], NULL,
                         "meetings \"%s\" and \"%s\" are both fixed at table %d in slot \"%s\"",
                         p->meet_id[m0], p->meet_id[m1], p->meet_ftable[m1],
                         p->slot_id[p->meet_fslot[m1]]);
        }
    }
    arena_free(tmp);
    return rc;
}

int sched_slot_count(const sched_problem *p)
{
    return p->nslots;
}

int sched_meeting_count(const sched_problem *p)
{
    return p->nmeet;
}

int sched_tables(const sched_problem *p)
{
    return p->tables;
}

const char *sched_slot_id(const sched_problem *p, int slot)
{
    return p->slot_id[slot];
}

const char *sched_meeting_id(const sched_problem *p, int meeting)
{
    return p->meet_id[meeting];
}

int sched_slot_find(const sched_problem *p, const char *id)
{
    return idmap_get(&p->slot_map, id);
}

int sched_meeting_find(const sched_problem *p, const char *id)
{
    return idmap_get(&p->meet_map, id);
}

sched_answer sched_answer_new(const sched_problem *p, arena *a)
{
    sched_answer ans = {arena_alloc(a, ((size_t)p->nmeet + 1) * sizeof(int)),
                        arena_alloc(a, ((size_t)p->nmeet + 1) * sizeof(int))};
    for (int m = 0; m < p->nmeet; m++)
        ans.slot[m] = -1;
    return ans;
}

const char *sched_validate(const sched_problem *p, const sched_answer *ans, arena *a)
{
    size_t S = (size_t)p->nslots;
    arena *tmp = arena_new();
    const char *bad = NULL;
    unsigned char *unav = sched_unavailable_matrix(p, tmp);
    int *busy = arena_alloc(tmp, ((size_t)p->nparts * S + 1) * sizeof *busy);
    int *count = arena_alloc(tmp, ((size_t)p->nparts + 1) * sizeof *count);
    int *load = arena_alloc(tmp, (S + 1) * sizeof *load);
    long long *tab = arena_alloc(tmp, ((size_t)p->nmeet + 1) * sizeof *tab);
    int nt = 0;
    memset(busy, 0xff, (size_t)p->nparts * S * sizeof *busy);
    for (int m = 0; m < p->nmeet && !bad; m++) {
        int s = ans->slot[m], t = ans->table[m];
        const char *mid = p->meet_id[m];
        if (s < 0) {
            if (p->meet_fslot[m] >= 0)
                bad = arena_printf(a, "fixed meeting \"%s\" is unscheduled", mid);
            else if (t != 0)
                bad = arena_printf(a, "unscheduled meeting \"%s\" has table %d", mid, t);
            continue;
        }
        if (s >= p->nslots) {
            bad = arena_printf(a, "meeting \"%s\" is in slot %d, which does not exist", mid, s);
            break;
        }
        if (t < 1 || t > p->tables) {
            bad =
                arena_printf(a, "meeting \"%s\" is at table %d, outside 1..%d", mid, t, p->tables);
            break;
        }
        if (p->meet_fslot[m] >= 0 && p->meet_fslot[m] != s) {
            bad = arena_printf(a, "fixed meeting \"%s\" moved from slot \"%s\" to \"%s\"", mid,
                               p->slot_id[p->meet_fslot[m]], p->slot_id[s]);
            break;
        }
        if (p->meet_ftable[m] && p->meet_ftable[m] != t) {
            bad = arena_printf(a, "fixed meeting \"%s\" moved from table %d to %d", mid,
                               p->meet_ftable[m], t);
            break;
        }
        if (++load[s] > p->tables) {
            bad = arena_printf(a, "slot \"%s\" holds more than %d meetings", p->slot_id[s],
                               p->tables);
            break;
        }
        const int who[2] = {p->meet_a[m], p->meet_b[m]};
        for (int k = 0; k < 2 && !bad; k++) {
            size_t cell = (size_t)who[k] * S + (size_t)s;
            const char *pid = p->part_id[who[k]];
            if (unav[cell])
                bad = arena_printf(a,
                                   "meeting \"%s\" is in slot \"%s\" where participant \"%s\" "
                                   "is unavailable",
                                   mid, p->slot_id[s], pid);
            else if (busy[cell] >= 0)
                bad = arena_printf(a,
                                   "participant \"%s\" has meetings \"%s\" and \"%s\" in slot "
                                   "\"%s\"",
                                   pid, p->meet_id[busy[cell]], mid, p->slot_id[s]);
            else if (p->part_max[who[k]] >= 0 && ++count[who[k]] > p->part_max[who[k]])
                bad = arena_printf(a,
                                   "participant \"%s\" has more than max_meetings %d meetings "
                                   "(at \"%s\")",
                                   pid, p->part_max[who[k]], mid);
            else
                busy[cell] = m;
        }
        tab[nt++] = ((long long)s * (p->tables + 1) + t) * SCHED_MAX_MEETINGS + m;
    }
    if (!bad && nt > 1) {
        qsort(tab, (size_t)nt, sizeof *tab, cmp_ll);
        for (int i = 1; i < nt && !bad; i++) {
            if (tab[i - 1] / SCHED_MAX_MEETINGS != tab[i] / SCHED_MAX_MEETINGS) continue;
            int m0 = (int)(tab[i - 1] % SCHED_MAX_MEETINGS),
                m1 = (int)(tab[i] % SCHED_MAX_MEETINGS);
            bad = arena_printf(a, "meetings \"%s\" and \"%s\" share table %d in slot \"%s\"",
                               p->meet_id[m0], p->meet_id[m1], ans->table[m1],
                               p->slot_id[ans->slot[m1]]);
        }
    }
    arena_free(tmp);
    return bad;
}

sched_stats sched_stats_of(const sched_problem *p, const sched_answer *ans)
{
    size_t S = (size_t)p->nslots;
    sched_stats st = {0};
    int *busy = xmalloc(((size_t)p->nparts * S + 1) * sizeof *busy);
    memset(busy, 0xff, (size_t)p->nparts * S * sizeof *busy);
    for (int m = 0; m < p->nmeet; m++) {
        int s = ans->slot[m];
        if (s < 0) continue;
        st.scheduled++;
        st.weight += p->meet_w[m];
        busy[(size_t)p->meet_a[m] * S + (size_t)s] = m;
        busy[(size_t)p->meet_b[m] * S + (size_t)s] = m;
    }
    for (int i = 0; i < p->nparts; i++)
        for (int ss = 0; ss < p->nsess; ss++)
            st.idle_gaps += sched_gaps_of(p, busy + (size_t)i * S, ss);
    free(busy);
    return st;
}
