/* backup.c — online backup and restore of the SQLite file through SQLite's backup API: a
 * backup is consistent while the server keeps writing (the copy restarts from scratch only if
 * a write lands in the middle of a step, which the API handles), and a restore checks the file
 * before it replaces anything. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

/* Copies every page of src into dst (both open); pages are copied in batches so that writers
 * on src are blocked only briefly. */
static err_code copy_db(sqlite3 *src, sqlite3 *dst, err *e)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) return err_set(e, ERR_INTERNAL, NULL, NULL, "backup: %s", sqlite3_errmsg(dst));
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "backup: %s", sqlite3_errstr(rc));
    return ERR_OK;
}

static err_code open_file(const char *path, int flags, sqlite3 **h, err *e)
{
    if (sqlite3_open_v2(path, h, flags, NULL) != SQLITE_OK) {
        err_set(e, ERR_INVALID, NULL, NULL, "cannot open %s: %s", path,
                *h ? sqlite3_errmsg(*h) : "out of memory");
        sqlite3_close(*h);
        *h = NULL;
        return e->code;
    }
    sqlite3_busy_timeout(*h, 5000);
    return ERR_OK;
}

/* Checks that h is an intact duijie database: integrity_check ok and a schema version. */
static err_code check_db(sqlite3 *h, const char *path, int *version, err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_INVALID, NULL, NULL, "%s is not a SQLite database", path);
    int rc = sqlite3_step(st);
    bool ok = rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    if (!ok) return err_set(e, ERR_INVALID, NULL, NULL, "%s fails its integrity check", path);
    if (sqlite3_prepare_v2(h, "SELECT MAX(version) FROM schema_version", -1, &st, NULL) !=
        SQLITE_OK)
        return err_set(e, ERR_INVALID, NULL, NULL, "%s is not a duijie database", path);
    *version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (*version <= 0) return err_set(e, ERR_INVALID, NULL, NULL, "%s has no schema", path);
    return ERR_OK;
}

err_code store_backup(const char *db_path, const char *out_path, int *version, err *e)
{
    if (access(out_path, F_OK) == 0)
        return err_set(e, ERR_CONFLICT, NULL, NULL, "%s exists; choose a new file", out_path);
    sqlite3 *src = NULL, *dst = NULL;
    err_code rc = open_file(db_path, SQLITE_OPEN_READONLY, &src, e);
    if (!rc) rc = check_db(src, db_path, version, e);
    if (!rc) rc = open_file(out_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, e);
    if (!rc) rc = copy_db(src, dst, e);
    if (!rc) rc = check_db(dst, out_path, version, e);
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc && dst) unlink(out_path); /* never leave a half copy behind */
    return rc;
}

err_code store_restore(const char *backup_path, const char *db_path, int *version, err *e)
{
    sqlite3 *src = NULL, *dst = NULL;
    err_code rc = open_file(backup_path, SQLITE_OPEN_READONLY, &src, e);
    if (!rc) rc = check_db(src, backup_path, version, e); /* before touching the target */
    if (!rc) rc = open_file(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, e);
    if (!rc) rc = copy_db(src, dst, e);
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}
