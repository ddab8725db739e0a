/* listing_attrs.c — the few columns that search filters and facets need, for a set of ids. */
#include <string.h>

#include "store/row.h"

err_code store_listing_attrs(db *d, arena *a, const int64_t *ids, int n, listing_attr **out,
                             int *nout, err *e)
{
    listing_attr *arr = arena_alloc(a, sizeof *arr * (size_t)(n ? n : 1));
    int cnt = 0;
    for (int start = 0; start < n; start += 500) { /* bounded statement size */
        int m = n - start < 500 ? n - start : 500;
        buf sql = {0};
        buf_puts(&sql, "SELECT l.id, l.kind, l.status, l.field, COALESCE(l.trl, 0), l.modes, "
                       "COALESCE(l.need_type, ''), o.type, o.region FROM listings l JOIN orgs o "
                       "ON o.id = l.org_id WHERE l.id IN (");
        for (int i = 0; i < m; i++)
            buf_puts(&sql, i ? ", ?" : "?");
        buf_putc(&sql, ')');
        db_stmt *s = db_prepare(d, sql.s, e);
        buf_free(&sql);
        if (!s) return e->code;
        for (int i = 0; i < m; i++)
            db_bind_int(s, i + 1, ids[start + i]);
        db_step_result r;
        while ((r = db_step(s, e)) == DB_ROW && cnt < n) {
            arr[cnt++] =
                (listing_attr){db_col_int(s, 0),  row_text(a, s, 1),     row_text(a, s, 2),
                               row_text(a, s, 3), (int)db_col_int(s, 4), row_text(a, s, 5),
                               row_text(a, s, 6), row_text(a, s, 7),     row_text(a, s, 8)};
        }
        db_done(s);
        if (r == DB_FAIL) return e->code;
    }
    *out = arr;
    *nout = cnt;
    return ERR_OK;
}

err_code store_catalog_generation(db *d, int64_t *gen, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT gen FROM listing_generation WHERE id = 1", e);
    if (!s) return e->code;
    err_code rc = row_one(s, e, "generation");
    if (!rc) *gen = db_col_int(s, 0);
    db_done(s);
    return rc;
}
