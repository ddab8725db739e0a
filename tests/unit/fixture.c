/* fixture.c — temporary databases, organizations and users for the unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

bool test_db_open(test_db *t)
{
    memset(t, 0, sizeof *t);
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/duijie-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!CHECK(mkdtemp(t->dir) != NULL)) {
        t->dir[0] = 0;
        return false;
    }
    snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
    err e = {0};
    t->st = store_open(t->path, 1, &e);
    if (!CHECK_EQ_STR(t->st ? "" : e.msg, "")) return false;
    t->db = store_acquire(t->st, &e);
    if (!CHECK_EQ_STR(t->db ? "" : e.msg, "")) return false;
    if (!CHECK_EQ_STR(taxonomy_load(t->db, &e) ? e.msg : "", "")) return false;
    t->a = arena_new();
    t->sys = (dctx){.db = t->db, .a = t->a, .system = true};
    return true;
}

void test_db_close(test_db *t)
{
    if (t->db) store_release(t->st, t->db);
    store_close(t->st);
    arena_free(t->a);
    if (t->dir[0]) {
        const char *suffix[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < ARRAY_LEN(suffix); i++) {
            char p[240];
            snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
            unlink(p);
        }
        rmdir(t->dir);
    }
    memset(t, 0, sizeof *t);
}

int64_t test_org(test_db *t, const char *name, const char *type)
{
    err e = {0};
    org_input in = {.name = name, .name_en = "", .type = type, .region = "广东省江门市"};
    int64_t id = 0;
    if (!CHECK_EQ_STR(org_create(&t->sys, &in, &id, &e) ? e.msg : "", "")) return 0;
    return id;
}

bool test_user(test_db *t, const char *email, const char *role, const char *org_name, user_rec *u)
{
    err e = {0};
    user_input in = {.email = email,
                     .name = email,
                     .role = role,
                     .org = org_name,
                     .password = "correct horse battery"};
    int64_t id = 0;
    if (!CHECK_EQ_STR(user_create(&t->sys, &in, &id, &e) ? e.msg : "", "")) return false;
    return CHECK_EQ_STR(store_user_get(t->db, t->a, id, u, &e) ? e.msg : "", "");
}

dctx test_ctx(test_db *t, const user_rec *u)
{
    return (dctx){.db = t->db, .a = t->a, .user = u};
}

int64_t test_count_listings(test_db *t, const char *kind)
{
    listing_filter f = {.kind = kind, .limit = 1};
    listing_rec *rows;
    int n;
    int64_t total = -1;
    err e = {0};
    if (store_listing_list(t->db, t->a, &f, &rows, &n, &total, &e)) return -1;
    return total;
}
