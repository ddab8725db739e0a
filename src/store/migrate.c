/* migrate.c — versioned schema migrations, embedded from store/sql/<dialect>/NNN_name.sql. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const asset *list[128];
    int n;
} migration_list;

static void collect(const asset *a, void *ctx)
{
    migration_list *m = ctx;
    if (m->n < (int)ARRAY_LEN(m->list)) m->list[m->n++] = a;
}

/* Version number is the file name's leading digits. */
static int migration_version(const asset *a)
{
    const char *base = strrchr(a->path, '/');
    return base ? atoi(base + 1) : 0;
}

err_code store_migrate(db *d, int *version, err *e)
{
    if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", e))
        return e->code;
    int current = 0;
    db_stmt *st = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_version", e);
    if (!st) return e->code;
    if (db_step(st, e) == DB_ROW) current = (int)db_col_int(st, 0);
    db_done(st);

    char prefix[64];
    snprintf(prefix, sizeof prefix, "src/store/sql/%s/", db_dialect(d));
    migration_list m = {0};
    asset_each(prefix, collect, &m); /* assets come sorted by path, hence by version */
    for (int i = 0; i < m.n; i++) {
        int v = migration_version(m.list[i]);
        /* every version is applied once, also one numbered below a version already applied */
        db_stmt *q = db_prepare(d, "SELECT COUNT(*) FROM schema_version WHERE version = ?", e);
        if (!q) return e->code;
        db_bind_int(q, 1, v);
        int64_t applied = db_step(q, e) == DB_ROW ? db_col_int(q, 0) : 0;
        db_done(q);
        if (applied) continue;
        if (db_begin(d, e)) return e->code;
        if (db_exec(d, (const char *)m.list[i]->data, e)) {
            db_rollback(d);
            char why[sizeof e->msg]; /* e->msg cannot be both source and target of err_set */
            snprintf(why, sizeof why, "%s", e->msg);
            return err_set(e, ERR_INTERNAL, NULL, NULL, "migration %s failed: %s", m.list[i]->path,
                           why);
        }
        db_stmt *ins = db_prepare(d, "INSERT INTO schema_version (version) VALUES (?)", e);
        if (!ins) {
            db_rollback(d);
            return e->code;
        }
        db_bind_int(ins, 1, v);
        if (db_run(ins, e) || db_commit(d, e)) {
            db_rollback(d);
            return e->code;
        }
        if (v > current) current = v;
        log_info("migrated database to version %d (%s)", v, m.list[i]->path);
    }
    if (version) *version = current;
    return ERR_OK;
}
