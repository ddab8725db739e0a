/* sched.h — the meeting scheduler: places requested 1:1 meetings of an event into (slot, table)
 * cells. Pure: no I/O, no clock, no global state; the same problem always gives the same answer.
 *
 * A problem has slots (in time order, each in a named session), a number of tables (meetings at
 * once in every slot), participants (optionally unavailable in some slots, optionally capped at
 * max_meetings) and meetings (two distinct participants, a weight, optionally fixed to a slot and
 * a table). Rules of an answer: a participant has at most one meeting per slot, none in a slot
 * where they are unavailable and at most max_meetings in all; a slot holds at most `tables`
 * meetings at distinct tables 1..tables; fixed meetings stay where fixed; every meeting is either
 * assigned once or unscheduled. Objective, in order: maximize the total weight scheduled, then
 * minimize idle gaps (for each participant and session, the empty slots between their first and
 * last meeting of that session).
 *
 * Build a problem in this order: sched_new, every slot, every participant (and their unavailable
 * slots), every meeting; then sched_solve. All memory comes from the arena given to sched_new
 * (ids are copied into it); nothing needs freeing besides that arena. */
#ifndef DUIJIE_SCHED_H
#define DUIJIE_SCHED_H

#include "base/base.h"

/* Limits of one problem (defensive: the JSON face accepts any input). */
enum {
    SCHED_MAX_SLOTS = 1024,
    SCHED_MAX_TABLES = 100000,
    SCHED_MAX_PARTICIPANTS = 1000000,
    SCHED_MAX_MEETINGS = 4000000,
    SCHED_MAX_CELLS = 64 * 1024 * 1024, /* participants × slots */
};

typedef struct sched_problem sched_problem;

/* A new, empty problem with `tables` tables per slot (1..SCHED_MAX_TABLES; the caller checks),
 * allocated in a. */
sched_problem *sched_new(arena *a, int tables);

/* Each adder copies its strings, returns ERR_OK, or ERR_INVALID with e naming the item at fault
 * (e->field = its id) and leaves the problem unchanged. */
/* A slot, after the earlier ones in time; session is any label (slots sharing it form a session).
 */
err_code sched_add_slot(sched_problem *p, const char *id, const char *session, err *e);
/* A participant; max_meetings < 0 means no cap. */
err_code sched_add_participant(sched_problem *p, const char *id, int max_meetings, err *e);
/* Marks an added participant unavailable in an added slot (repeats are harmless). */
err_code sched_add_unavailable(sched_problem *p, const char *participant, const char *slot, err *e);
/* A meeting of two added participants; weight is finite and >= 0. fixed_slot (NULL = free) pins
 * it to that slot, fixed_table (0 = any; 1..tables otherwise, needs fixed_slot) to that table. */
err_code sched_add_meeting(sched_problem *p, const char *id, const char *a, const char *b,
                           double weight, const char *fixed_slot, int fixed_table, err *e);

/* Checks that the fixed meetings can all be kept: none in a slot where one of its participants is
 * unavailable, no participant in two fixed meetings of one slot or in more fixed meetings than
 * their max_meetings, no slot with more fixed meetings than tables, no table fixed twice in a
 * slot. ERR_OK, or ERR_INVALID naming the first conflict. */
err_code sched_check(const sched_problem *p, err *e);

int sched_slot_count(const sched_problem *p);
int sched_meeting_count(const sched_problem *p);
int sched_tables(const sched_problem *p);
const char *sched_slot_id(const sched_problem *p, int slot);
const char *sched_meeting_id(const sched_problem *p, int meeting);
/* Index of the slot / meeting with that id, or -1. */
int sched_slot_find(const sched_problem *p, const char *id);
int sched_meeting_find(const sched_problem *p, const char *id);

/* An answer: for meeting i, slot[i] is its slot index (-1 = unscheduled) and table[i] its table
 * 1..tables (0 when unscheduled). Both arrays have sched_meeting_count entries. */
typedef struct {
    int *slot;
    int *table;
} sched_answer;

typedef struct {
    int scheduled;  /* meetings assigned */
    double weight;  /* their total weight */
    long idle_gaps; /* Σ over participants and sessions of empty slots between first and last */
} sched_stats;

/* Solves p: runs sched_check, then a greedy placement by weight, an augmenting phase (ejection
 * chains that relocate or eject lighter meetings to place heavier ones) and a gap-reducing local
 * search (Kempe-chain swaps between slots that keep every meeting). Deterministic. The answer's
 * arrays are allocated in a. Returns ERR_OK, or sched_check's error. */
err_code sched_solve(const sched_problem *p, arena *a, sched_answer *out, err *e);

/* An answer with every meeting unscheduled, allocated in a (for callers that fill one in). */
sched_answer sched_answer_new(const sched_problem *p, arena *a);

/* Checks every rule on ans. Returns NULL when valid, else a message (in a) naming the first
 * violation, e.g. `participant "p1" has meetings "m1" and "m4" in slot "s2"`. */
const char *sched_validate(const sched_problem *p, const sched_answer *ans, arena *a);

/* Scheduled count, weight and idle gaps of ans (which must be valid). */
sched_stats sched_stats_of(const sched_problem *p, const sched_answer *ans);

#endif
