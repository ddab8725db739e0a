/* user.c — users, sessions and API tokens. Secrets are never stored, only their hashes. */
#include <string.h>

#include "store/row.h"

#define USER_COLS                                                                                  \
    "u.id, u.email, u.name, u.role, COALESCE(u.org_id, 0), u.pw_hash, u.disabled, u.created_at, "  \
    "COALESCE(o.name, ''), COALESCE(o.type, '')"
#define USER_FROM " FROM users u LEFT JOIN orgs o ON o.id = u.org_id "

static void user_read(db_stmt *s, arena *a, user_rec *u)
{
    u->id = db_col_int(s, 0);
    u->email = row_text(a, s, 1);
    u->name = row_text(a, s, 2);
    u->role = row_text(a, s, 3);
    u->org_id = db_col_int(s, 4);
    u->pw_hash = row_text(a, s, 5);
    u->disabled = db_col_int(s, 6) != 0;
    u->created_at = row_text(a, s, 7);
    u->org_name = row_text(a, s, 8);
    u->org_type = row_text(a, s, 9);
}

err_code store_user_insert(db *d, const user_rec *u, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO users (email, name, role, org_id, pw_hash, disabled, "
                            "created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, u->email);
    db_bind_text(s, 2, u->name);
    db_bind_text(s, 3, u->role);
    if (u->org_id)
        db_bind_int(s, 4, u->org_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, u->pw_hash);
    db_bind_text(s, 6, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    if (r == DB_FAIL && e->code == ERR_CONFLICT) strcpy(e->field, "email");
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_user_get(db *d, arena *a, int64_t id, user_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS USER_FROM "WHERE u.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "user");
    if (!rc) user_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_user_by_email(db *d, arena *a, const char *email, user_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS USER_FROM "WHERE u.email = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, email);
    err_code rc = row_one(s, e, "user");
    if (!rc) user_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_user_list(db *d, arena *a, user_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS USER_FROM "ORDER BY u.id", e);
    if (!s) return e->code;
    user_rec *arr = NULL;
    int cnt = 0, cap = 0;
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        arr = row_grow(a, arr, cnt, &cap, sizeof *arr);
        user_read(s, a, &arr[cnt++]);
    }
    db_done(s);
    *out = arr;
    *n = cnt;
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_user_set_password(db *d, int64_t id, const char *pw_hash, err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE users SET pw_hash = ? WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, pw_hash);
    db_bind_int(s, 2, id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0) return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "no such user");
    return ERR_OK;
}

err_code store_user_set_disabled(db *d, int64_t id, bool disabled, err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE users SET disabled = ? WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, disabled);
    db_bind_int(s, 2, id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0) return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "no such user");
    return ERR_OK;
}

err_code store_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf,
                              const char *expires_at, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, "
                            "expires_at) VALUES (?, ?, ?, ?, ?)",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, token_hash);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, csrf);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, expires_at);
    return db_run(s, e);
}

err_code store_session_get(db *d, arena *a, const char *token_hash, user_rec *user,
                           const char **csrf, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "SELECT " USER_COLS ", ss.csrf FROM sessions ss JOIN users u ON "
                            "u.id = ss.user_id LEFT JOIN orgs o ON o.id = u.org_id "
                            "WHERE ss.token_hash = ? AND ss.expires_at > ? AND u.disabled = 0",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, token_hash);
    db_bind_text(s, 2, now);
    err_code rc = row_one(s, e, "session");
    if (!rc) {
        user_read(s, a, user);
        *csrf = row_text(a, s, 10);
    }
    db_done(s);
    return rc;
}

err_code store_session_delete(db *d, const char *token_hash, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE token_hash = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, token_hash);
    return db_run(s, e);
}

err_code store_sessions_delete_user(db *d, int64_t user_id, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE user_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, user_id);
    return db_run(s, e);
}

err_code store_token_insert(db *d, int64_t user_id, const char *name, const char *token_hash,
                            const char *prefix, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s =
        db_prepare(d,
                   "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
                   "VALUES (?, ?, ?, ?, ?) RETURNING id",
                   e);
    if (!s) return e->code;
    db_bind_int(s, 1, user_id);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, token_hash);
    db_bind_text(s, 4, prefix);
    db_bind_text(s, 5, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_token_user(db *d, arena *a, const char *token_hash, user_rec *user, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " USER_COLS ", t.id FROM api_tokens t JOIN users u ON "
                            "u.id = t.user_id LEFT JOIN orgs o ON o.id = u.org_id "
                            "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, token_hash);
    err_code rc = row_one(s, e, "token");
    int64_t tid = 0;
    if (!rc) {
        user_read(s, a, user);
        tid = db_col_int(s, 10);
    }
    db_done(s);
    if (rc) return rc;
    char now[21];
    time_now_iso(now);
    db_stmt *u = db_prepare(d, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", e);
    if (!u) return e->code;
    db_bind_text(u, 1, now);
    db_bind_int(u, 2, tid);
    return db_run(u, e);
}

err_code store_token_list(db *d, arena *a, int64_t user_id, token_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT id, name, prefix, created_at, COALESCE(last_used_at, ''), "
                            "COALESCE(revoked_at, '') FROM api_tokens WHERE user_id = ? "
                            "ORDER BY id DESC",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, user_id);
    token_rec *arr = NULL;
    int cnt = 0, cap = 0;
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        arr = row_grow(a, arr, cnt, &cap, sizeof *arr);
        arr[cnt++] = (token_rec){db_col_int(s, 0),  row_text(a, s, 1), row_text(a, s, 2),
                                 row_text(a, s, 3), row_text(a, s, 4), row_text(a, s, 5)};
    }
    db_done(s);
    *out = arr;
    *n = cnt;
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_token_revoke(db *d, int64_t user_id, int64_t id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? "
                            "AND revoked_at IS NULL",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, id);
    db_bind_int(s, 3, user_id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "no such token");
    return ERR_OK;
}
