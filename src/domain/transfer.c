/* transfer.c — import and export of organizations, achievements and needs as JSON / JSON Lines.
 * An import is one transaction: it writes every row or none. */
#include <string.h>

#include "domain/domain.h"

/* Parses text as a JSON array, or else as JSON Lines; returns a new array or NULL with e set
 * naming the line. */
static json_t *parse_rows(const char *text, size_t len, err *e)
{
    if (!utf8_valid(text, len))
        return err_set(e, ERR_INVALID, NULL, "err.utf8", "file is not valid UTF-8"), NULL;
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    if (i < len && text[i] == '[') {
        json_error_t je;
        json_t *arr = json_loadb(text, len, 0, &je);
        if (!arr || !json_is_array(arr)) {
            json_decref(arr);
            err_set(e, ERR_INVALID, NULL, "err.json", "line %d: %s", je.line, je.text);
            return NULL;
        }
        return arr;
    }
    json_t *arr = json_array();
    int line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        size_t k = 0;
        while (k < n && strchr(" \t\r", p[k]))
            k++;
        if (k < n) {
            json_error_t je;
            json_t *row = json_loadb(p, n, 0, &je);
            if (!row) {
                json_decref(arr);
                err_set(e, ERR_INVALID, NULL, "err.json", "line %d: %s", line, je.text);
                return NULL;
            }
            json_array_append_new(arr, row);
        }
        p += n + 1;
    }
    return arr;
}

static err_code import_org(dctx *c, json_t *row, err *e)
{
    if (!json_is_object(row))
        return err_set(e, ERR_INVALID, NULL, "err.json_object", "expected a JSON object");
    const char *keys[] = {"name", "name_en", "type", "region"};
    const char *vals[4] = {0};
    for (int i = 0; i < 4; i++) {
        json_t *v = json_object_get(row, keys[i]);
        if (v && !json_is_string(v))
            return err_set(e, ERR_INVALID, keys[i], "err.type", "%s must be a string", keys[i]);
        vals[i] = json_string_value(v);
    }
    json_t *ver = json_object_get(row, "verified");
    org_input in = {vals[0], vals[1], vals[2], vals[3], json_is_true(ver) ? "1" : "0"};
    return org_create(c, &in, NULL, e);
}

err_code transfer_import(dctx *c, const char *kind, const char *text, size_t len, int *count,
                         err *e)
{
    const char *lkind = str_eq(kind, "achievements") ? "achievement"
                        : str_eq(kind, "needs")      ? "need"
                        : str_eq(kind, "orgs")       ? "orgs"
                                                     : NULL;
    if (!lkind)
        return err_set(e, ERR_INVALID, "kind", "err.choice",
                       "kind must be achievements, needs or orgs");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers import");
    json_t *rows = parse_rows(text, len, e);
    if (!rows) return e->code;
    if (db_begin(c->db, e)) {
        json_decref(rows);
        return e->code;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        err re = {0};
        err_code rc;
        if (str_eq(lkind, "orgs")) {
            rc = import_org(c, row, &re);
        } else {
            listing_input in;
            rc = listing_input_from_json(c->a, lkind, row, &in, &re);
            if (!rc) {
                if (!in.status) in.status = "published";
                rc = listing_create(c, lkind, &in, NULL, &re);
            }
        }
        if (rc) {
            db_rollback(c->db);
            json_decref(rows);
            err_set(e, rc, re.field, re.key, "row %zu: %s%s%s", i + 1, re.field,
                    *re.field ? ": " : "", re.msg);
            return rc;
        }
    }
    json_decref(rows);
    if (db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (count) *count = (int)i;
    return ERR_OK;
}

static void emit(buf *out, json_t *o, bool jsonl, bool *first)
{
    char *s = json_dumps(o, JSON_COMPACT);
    if (!jsonl) buf_puts(out, *first ? "[\n" : ",\n");
    buf_puts(out, s);
    if (jsonl) buf_putc(out, '\n');
    *first = false;
    free(s);
    json_decref(o);
}

err_code transfer_export(dctx *c, const char *kind, bool jsonl, buf *out, err *e)
{
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers export");
    bool first = true;
    if (str_eq(kind, "orgs")) {
        org_rec *orgs;
        int n;
        if (store_org_list(c->db, c->a, NULL, &orgs, &n, e)) return e->code;
        for (int i = 0; i < n; i++)
            emit(out, org_to_json(&orgs[i]), jsonl, &first);
    } else if (str_eq(kind, "achievements") || str_eq(kind, "needs")) {
        listing_filter f = {
            .kind = str_eq(kind, "needs") ? "need" : "achievement", .sort = "old", .limit = 500};
        for (;;) {
            listing_rec *rows;
            int n;
            int64_t total;
            if (store_listing_list(c->db, c->a, &f, &rows, &n, &total, e)) return e->code;
            for (int i = 0; i < n; i++)
                emit(out, listing_to_json(c, &rows[i]), jsonl, &first);
            if (n < f.limit) break;
            f.offset += n;
        }
    } else {
        return err_set(e, ERR_INVALID, "kind", "err.choice",
                       "kind must be achievements, needs or orgs");
    }
    if (!jsonl) buf_puts(out, first ? "[]\n" : "\n]\n");
    return ERR_OK;
}
