/* db.h — the SQL driver interface the store is written against.
 *
 * Store code writes portable SQL with `?` placeholders; each backend (SQLite now, PostgreSQL
 * later) implements this interface, translating placeholders and dialect where needed.
 * A db handle is used by one thread at a time; the pool hands them out. */
#ifndef DUIJIE_DB_H
#define DUIJIE_DB_H

#include "base/base.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum { DB_ROW = 1, DB_DONE = 2, DB_FAIL = -1 } db_step_result;

/* Opens a connection to url ("path/to/file.db" or "sqlite:PATH"). NULL with e set on failure. */
db *db_open(const char *url, err *e);
void db_close(db *d);
/* Runs one or more statements without parameters. */
err_code db_exec(db *d, const char *sql, err *e);
/* Prepares sql. Statements are cached per connection keyed by the sql text, so callers may
 * prepare the same static SQL on every call cheaply; db_done() returns it to the cache. */
db_stmt *db_prepare(db *d, const char *sql, err *e);
void db_bind_text(db_stmt *s, int i, const char *v); /* NULL binds SQL NULL; i is 1-based */
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_null(db_stmt *s, int i);
db_step_result db_step(db_stmt *s, err *e);
const char *db_col_text(db_stmt *s, int i); /* "" for NULL; valid until the next step */
int64_t db_col_int(db_stmt *s, int i);
bool db_col_null(db_stmt *s, int i);
/* Resets and releases the statement (back to the cache). NULL is allowed. */
void db_done(db_stmt *s);
/* Runs a prepared statement expected to return no rows, then releases it. */
err_code db_run(db_stmt *s, err *e);
/* Number of rows the last INSERT/UPDATE/DELETE changed. */
int64_t db_changes(db *d);
/* Transactions nest: the outermost db_begin starts one (BEGIN IMMEDIATE), inner ones are
 * savepoints, so a domain function can be transactional alone and inside a larger change.
 * Every db_begin is paired with db_commit or db_rollback. */
err_code db_begin(db *d, err *e);
err_code db_commit(db *d, err *e);
void db_rollback(db *d);
/* Abandons every open level (used when a connection goes back to the pool). */
void db_rollback_all(db *d);
/* "sqlite" or "postgres": for the few places migrations differ. */
const char *db_dialect(db *d);

#endif
