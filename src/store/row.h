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

#endif
