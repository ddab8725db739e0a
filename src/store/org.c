/* org.c — organizations and the field taxonomy. */
#include <string.h>

#include "store/row.h"

err_code store_field_list(db *d, arena *a, field_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(
        d, "SELECT code, COALESCE(parent, ''), name_zh, name_en FROM fields ORDER BY sort", e);
    if (!s) return e->code;
    field_rec *arr = NULL;
    int cnt = 0, cap = 0;
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        arr = row_grow(a, arr, cnt, &cap, sizeof *arr);
        arr[cnt++] =
            (field_rec){row_text(a, s, 0), row_text(a, s, 1), row_text(a, s, 2), row_text(a, s, 3)};
    }
    db_done(s);
    *out = arr;
    *n = cnt;
    return r == DB_FAIL ? e->code : ERR_OK;
}

#define ORG_COLS "id, name, name_en, type, region, verified, created_at"

static void org_read(db_stmt *s, arena *a, org_rec *o)
{
    o->id = db_col_int(s, 0);
    o->name = row_text(a, s, 1);
    o->name_en = row_text(a, s, 2);
    o->type = row_text(a, s, 3);
    o->region = row_text(a, s, 4);
    o->verified = db_col_int(s, 5) != 0;
    o->created_at = row_text(a, s, 6);
}

err_code store_org_insert(db *d, const org_rec *o, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO orgs (name, name_en, type, region, verified, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, o->name);
    db_bind_text(s, 2, o->name_en ? o->name_en : "");
    db_bind_text(s, 3, o->type);
    db_bind_text(s, 4, o->region ? o->region : "");
    db_bind_int(s, 5, o->verified);
    db_bind_text(s, 6, now);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    if (r == DB_FAIL && e->code == ERR_CONFLICT) strcpy(e->field, "name");
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_org_get(db *d, arena *a, int64_t id, org_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " ORG_COLS " FROM orgs WHERE id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "organization");
    if (!rc) org_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_org_find_name(db *d, arena *a, const char *name, org_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " ORG_COLS " FROM orgs WHERE name = ? OR name_en = ?", e);
    if (!s) return e->code;
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, name);
    err_code rc = row_one(s, e, "organization");
    if (!rc) org_read(s, a, out);
    db_done(s);
    return rc;
}

err_code store_org_list(db *d, arena *a, const char *type, org_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(
        d, "SELECT " ORG_COLS " FROM orgs WHERE (? IS NULL OR type = ?) ORDER BY type, id", e);
    if (!s) return e->code;
    db_bind_text(s, 1, type);
    db_bind_text(s, 2, type);
    org_rec *arr = NULL;
    int cnt = 0, cap = 0;
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        arr = row_grow(a, arr, cnt, &cap, sizeof *arr);
        org_read(s, a, &arr[cnt++]);
    }
    db_done(s);
    *out = arr;
    *n = cnt;
    return r == DB_FAIL ? e->code : ERR_OK;
}
