/* row.h — private helpers of the store for copying row values into an arena. */
#ifndef DUIJIE_STORE_ROW_H
#define DUIJIE_STORE_ROW_H

#include "store/store.h"

static inline const char *row_text(arena *a, db_stmt *s, int i)
{
    return arena_strdup(a, db_col_text(s, i));
}

/* Grows an arena array of `size`-byte items to hold at least n+1 items. */
static inline void *row_grow(arena *a, void *arr, int n, int *cap, size_t size)
{
    if (n < *cap) return arr;
    int ncap = *cap ? *cap * 2 : 16;
    void *na = arena_alloc(a, (size_t)ncap * size);
    if (arr) memcpy(na, arr, (size_t)n * size);
    *cap = ncap;
    return na;
}

/* Steps a single-row query: ERR_OK with the row current, ERR_NOT_FOUND, or the error. */
static inline err_code row_one(db_stmt *s, err *e, const char *what)
{
    db_step_result r = db_step(s, e);
    if (r == DB_ROW) return ERR_OK;
    if (r == DB_DONE) return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "%s not found", what);
    return e->code;
}

/* NULL for NULL or "", else s: binds an empty optional text as SQL NULL. */
static inline const char *row_nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* After an UPDATE or DELETE: ERR_NOT_FOUND naming `what` when no row changed. */
static inline err_code row_changed(db *d, const char *what, int64_t id, err *e)
{
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "%s %lld not found", what,
                       (long long)id);
    return ERR_OK;
}

/* Runs s (an UPDATE or DELETE), then row_changed. */
static inline err_code row_run_changed(db *d, db_stmt *s, const char *what, int64_t id, err *e)
{
    if (db_run(s, e)) return e->code;
    return row_changed(d, what, id, e);
}

/* In a function with `err *e` that returns err_code: collects every row of s with read(s, a,
 * &item) into an arena array of T, sets *out and *n, and returns. */
#define ROW_COLLECT(s, a, T, read, out, n)                                                         \
    do {                                                                                           \
        T *arr_ = NULL;                                                                            \
        int cnt_ = 0, cap_ = 0;                                                                    \
        db_step_result r_;                                                                         \
        while ((r_ = db_step((s), e)) == DB_ROW) {                                                 \
            arr_ = row_grow((a), arr_, cnt_, &cap_, sizeof *arr_);                                 \
            read((s), (a), &arr_[cnt_++]);                                                         \
        }                                                                                          \
        db_done(s);                                                                                \
        *(out) = arr_;                                                                             \
        *(n) = cnt_;                                                                               \
        return r_ == DB_FAIL ? e->code : ERR_OK;                                                   \
    } while (0)

#endif
