/* db_sqlite.c — the SQLite backend of db.h: WAL, foreign keys, busy timeout, statement cache. */
#include "store/db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STMT_CACHE = 64 };

struct db_stmt {
    sqlite3_stmt *st;
    char *sql; /* cache key: a copy of the SQL text; NULL for a one-off statement */
    uint64_t hash;
    bool busy;
};

struct db {
    sqlite3 *h;
    db_stmt cache[STMT_CACHE];
    int ncache, evict;
    int depth; /* transaction nesting: 1 = BEGIN, deeper = SAVEPOINTs */
};

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

db *db_open(const char *url, err *e)
{
    if (str_starts(url, "postgres://") || str_starts(url, "postgresql://")) {
        err_set(e, ERR_INVALID, NULL, NULL,
                "PostgreSQL is not supported yet: use a SQLite file path for --db");
        return NULL;
    }
    const char *path = str_starts(url, "sqlite:") ? url + 7 : url;
    db *d = xcalloc(1, sizeof *d);
    int rc = sqlite3_open_v2(
        path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "cannot open database %s: %s", path,
                d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
        sqlite3_close(d->h);
        free(d);
        return NULL;
    }
    sqlite3_busy_timeout(d->h, 5000);
    if (db_exec(d,
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                "PRAGMA temp_store=MEMORY;",
                e)) {
        db_close(d);
        return NULL;
    }
    return d;
}

void db_close(db *d)
{
    if (!d) return;
    for (int i = 0; i < d->ncache; i++) {
        sqlite3_finalize(d->cache[i].st);
        free(d->cache[i].sql);
    }
    sqlite3_close(d->h);
    free(d);
}

err_code db_exec(db *d, const char *sql, err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(d->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "sql: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return ERR_INTERNAL;
    }
    return ERR_OK;
}

db_stmt *db_prepare(db *d, const char *sql, err *e)
{
    uint64_t h = sql_hash(sql);
    for (int i = 0; i < d->ncache; i++)
        if (d->cache[i].hash == h && !d->cache[i].busy && strcmp(d->cache[i].sql, sql) == 0) {
            d->cache[i].busy = true;
            return &d->cache[i];
        }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        err_set(e, ERR_INTERNAL, NULL, NULL, "sql prepare: %s", sqlite3_errmsg(d->h));
        return NULL;
    }
    db_stmt *slot = NULL;
    if (d->ncache < STMT_CACHE) {
        slot = &d->cache[d->ncache++];
    } else {
        for (int k = 0; k < STMT_CACHE && !slot; k++) { /* evict an idle entry, round robin */
            db_stmt *c = &d->cache[(d->evict + k) % STMT_CACHE];
            if (!c->busy) slot = c;
        }
        d->evict = (d->evict + 1) % STMT_CACHE;
        if (slot) {
            sqlite3_finalize(slot->st);
            free(slot->sql);
        }
    }
    if (!slot)
        slot = xcalloc(1, sizeof *slot); /* every entry busy: a one-off statement */
    else
        slot->sql = xstrdup(sql);
    slot->st = st;
    slot->hash = h;
    slot->busy = true;
    return slot;
}

void db_bind_text(db_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->st, i);
}

void db_bind_int(db_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(s->st, i, v);
}

void db_bind_null(db_stmt *s, int i)
{
    sqlite3_bind_null(s->st, i);
}

db_step_result db_step(db_stmt *s, err *e)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    sqlite3 *h = sqlite3_db_handle(s->st);
    int ext = sqlite3_extended_errcode(h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        err_set(e, ERR_CONFLICT, NULL, "err.duplicate", "duplicate: %s", sqlite3_errmsg(h));
    else if (rc == SQLITE_CONSTRAINT)
        err_set(e, ERR_INVALID, NULL, "err.constraint", "constraint: %s", sqlite3_errmsg(h));
    else
        err_set(e, ERR_INTERNAL, NULL, NULL, "sql: %s", sqlite3_errmsg(h));
    return DB_FAIL;
}

const char *db_col_text(db_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s->st, i);
    return t ? (const char *)t : "";
}

int64_t db_col_int(db_stmt *s, int i)
{
    return sqlite3_column_int64(s->st, i);
}

bool db_col_null(db_stmt *s, int i)
{
    return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

void db_done(db_stmt *s)
{
    if (!s) return;
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    if (s->sql) {
        s->busy = false;
    } else {
        sqlite3_finalize(s->st);
        free(s);
    }
}

err_code db_run(db_stmt *s, err *e)
{
    db_step_result r = db_step(s, e);
    db_done(s);
    return r == DB_FAIL ? (e ? e->code : ERR_INTERNAL) : ERR_OK;
}

int64_t db_changes(db *d)
{
    return sqlite3_changes64(d->h);
}

err_code db_begin(db *d, err *e)
{
    char sql[32];
    if (d->depth == 0)
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof sql, "SAVEPOINT sp%d", d->depth);
    if (db_exec(d, sql, e)) return e->code;
    d->depth++;
    return ERR_OK;
}

err_code db_commit(db *d, err *e)
{
    if (d->depth <= 0) return err_set(e, ERR_INTERNAL, NULL, NULL, "commit without begin");
    char sql[32];
    if (d->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE sp%d", d->depth - 1);
    if (db_exec(d, sql, e)) return e->code;
    d->depth--;
    return ERR_OK;
}

void db_rollback(db *d)
{
    if (d->depth > 1) {
        char sql[64];
        snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", d->depth - 1, d->depth - 1);
        sqlite3_exec(d->h, sql, NULL, NULL, NULL);
        d->depth--;
        return;
    }
    if (!sqlite3_get_autocommit(d->h)) sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    d->depth = 0;
}

void db_rollback_all(db *d)
{
    while (d->depth > 1)
        db_rollback(d);
    db_rollback(d);
}

const char *db_dialect(db *d)
{
    (void)d;
    return "sqlite";
}
