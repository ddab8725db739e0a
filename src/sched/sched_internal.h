/* sched_internal.h — the problem's representation, shared by problem.c and solve.c only. */
#ifndef DUIJIE_SCHED_INTERNAL_H
#define DUIJIE_SCHED_INTERNAL_H

#include "sched/sched.h"

/* Open-addressing map from an arena-owned string to an index. */
typedef struct {
    const char **keys;
    int *vals;
    size_t cap, n;
} sched_idmap;

struct sched_problem {
    arena *a;
    int tables;
    /* slots, in time order */
    int nslots, slots_cap;
    const char **slot_id;
    int *slot_sess; /* session index */
    sched_idmap slot_map;
    /* sessions, in order of first appearance */
    int nsess, sess_cap;
    const char **sess_name;
    sched_idmap sess_map;
    /* participants */
    int nparts, parts_cap;
    const char **part_id;
    int *part_max; /* -1 = no cap */
    sched_idmap part_map;
    /* unavailable (participant, slot) pairs, as added */
    int nunav, unav_cap;
    int *unav_part, *unav_slot;
    /* meetings */
    int nmeet, meet_cap;
    const char **meet_id;
    int *meet_a, *meet_b;
    double *meet_w;
    int *meet_fslot;  /* -1 = free */
    int *meet_ftable; /* 0 = any */
    sched_idmap meet_map;
};

/* A participants × slots byte matrix (row per participant): 1 where unavailable. In a. */
unsigned char *sched_unavailable_matrix(const sched_problem *p, arena *a);
/* Idle gaps of one participant in one session, given busy[slot] >= 0 where they meet. */
int sched_gaps_of(const sched_problem *p, const int *busy_row, int session);

#endif
