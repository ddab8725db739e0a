/* test.h — the unit-test framework: a registry of test functions and checks that record the
 * first failure of the running test as "file:line: expr".
 *
 *   TEST(utf8_overlong) { CHECK(!utf8_valid("\xc0\x80", 2)); }
 *
 * Checks are expressions returning true when they pass, so a test can stop early:
 *   if (!CHECK(p != NULL)) return;
 * tests/unit/main.c runs every registered test in link order (files sorted by name). */
#ifndef DUIJIE_TEST_H
#define DUIJIE_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"
#include "domain/domain.h"
#include "store/store.h"

typedef void (*test_fn)(void);

/* Adds a test to the registry (called from constructors made by TEST). */
void test_register(const char *name, test_fn fn);

/* Record a failure of the running test unless ok; return ok. Only the first failure of a test
 * is reported, with any detail (such as got/want values) that came with it. */
bool test_check(bool ok, const char *file, int line, const char *expr);
bool test_check_str(const char *got, const char *want, const char *file, int line,
                    const char *expr);
bool test_check_int(long long got, long long want, const char *file, int line, const char *expr);

#define TEST(name)                                                                                 \
    static void test_##name(void);                                                                 \
    __attribute__((constructor)) static void test_register_##name(void)                            \
    {                                                                                              \
        test_register(#name, test_##name);                                                         \
    }                                                                                              \
    static void test_##name(void)

#define CHECK(cond) test_check((cond) ? true : false, __FILE__, __LINE__, #cond)
/* NULL strings compare equal only to NULL. */
#define CHECK_EQ_STR(got, want) test_check_str((got), (want), __FILE__, __LINE__, #got " == " #want)
#define CHECK_EQ_INT(got, want)                                                                    \
    test_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got " == " #want)

/* ---- fixtures (fixture.c) ---- */

/* A fresh SQLite database in its own temporary directory, migrated, with one connection
 * acquired, the taxonomy loaded and a system context (c.system) over an arena. */
typedef struct {
    char dir[200];
    char path[220];
    store *st;
    db *db;
    arena *a;
    dctx sys;
} test_db;

/* Returns false (with the reason recorded as a failure of the running test) when any step
 * fails; test_db_close is safe either way. */
bool test_db_open(test_db *t);
/* Releases the connection, closes the store, frees the arena and deletes the files. */
void test_db_close(test_db *t);

/* Creates an organization of type through the domain as the system; returns its id or 0
 * (recording a failure). */
int64_t test_org(test_db *t, const char *name, const char *type);
/* Creates a user through the domain as the system and loads it into *u (arena-owned);
 * returns false (recording a failure) if either step fails. org_name may be NULL. */
bool test_user(test_db *t, const char *email, const char *role, const char *org_name, user_rec *u);
/* A context acting as u (NULL = anonymous visitor) on t's connection and arena. */
dctx test_ctx(test_db *t, const user_rec *u);

/* Counts rows of a listing kind in any state (-1 on error). */
int64_t test_count_listings(test_db *t, const char *kind);

#endif
