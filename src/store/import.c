/* import.c — the store side of spreadsheet imports: pending uploads (008_imports.sql) and the
 * lookups of the duplicate check. */
#include <sodium.h>
#include <string.h>

#include "store/row.h"

err_code store_listing_find_title(db *d, const char *kind, int64_t org_id, const char *title,
                                  int64_t *id, err *e)
{
    *id = 0;
    db_stmt *s = db_prepare(
        d, "SELECT id FROM listings WHERE org_id = ? AND title = ? AND kind = ? LIMIT 1", e);
    if (!s) return e->code;
    db_bind_int(s, 1, org_id);
    db_bind_text(s, 2, title);
    db_bind_text(s, 3, kind);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_import_put(db *d, const import_upload_rec *u, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d, "DELETE FROM import_uploads WHERE expires_at <= ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, now);
    if (db_run(s, e)) return e->code;
    size_t blen = sodium_base64_encoded_len(u->len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xmalloc(blen);
    sodium_bin2base64(b64, blen, (const unsigned char *)u->data, u->len,
                      sodium_base64_VARIANT_ORIGINAL);
    s = db_prepare(d,
                   "INSERT INTO import_uploads (user_id, kind, event_id, filename, data, "
                   "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                   e);
    if (!s) {
        free(b64);
        return e->code;
    }
    db_bind_int(s, 1, u->user_id);
    db_bind_text(s, 2, u->kind);
    if (u->event_id)
        db_bind_int(s, 3, u->event_id);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, u->filename);
    db_bind_text(s, 5, b64);
    db_bind_text(s, 6, now);
    db_bind_text(s, 7, u->expires_at);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    free(b64);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_import_get(db *d, arena *a, int64_t id, int64_t user_id, import_upload_rec *out,
                          err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "SELECT user_id, kind, COALESCE(event_id, 0), filename, data, "
                            "expires_at FROM import_uploads "
                            "WHERE id = ? AND user_id = ? AND expires_at > ?",
                            e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, now);
    err_code rc = row_one(s, e, "upload");
    if (!rc) {
        memset(out, 0, sizeof *out);
        out->id = id;
        out->user_id = db_col_int(s, 0);
        out->kind = row_text(a, s, 1);
        out->event_id = db_col_int(s, 2);
        out->filename = row_text(a, s, 3);
        const char *b64 = db_col_text(s, 4);
        size_t n = strlen(b64), len = 0;
        unsigned char *bin = arena_alloc(a, n + 1);
        if (sodium_base642bin(bin, n + 1, b64, n, NULL, &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            rc = err_set(e, ERR_INTERNAL, NULL, NULL, "stored upload is damaged");
        bin[len] = 0;
        out->data = (const char *)bin;
        out->len = len;
        out->expires_at = row_text(a, s, 5);
    }
    db_done(s);
    return rc;
}

err_code store_import_claim(db *d, int64_t id, int64_t user_id, err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM import_uploads WHERE id = ? AND user_id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, user_id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) != 1)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "no such upload");
    return ERR_OK;
}
