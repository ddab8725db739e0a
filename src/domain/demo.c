/* demo.c — the demo catalog: fictional organizations, achievements and needs embedded from
 * data/demo/, and one account for every role. */
#include <stdio.h>
#include <string.h>

#include "domain/domain.h"

static const struct {
    const char *email, *name, *role, *org_key, *password;
} demo_users[] = {
    {"admin@demo.duijie.cn", "系统管理员", "admin", NULL, "admin-demo-2026"},
    {"organizer@demo.duijie.cn", "陈科长", "organizer", "gov01", "organizer-demo-2026"},
    {"inst@demo.duijie.cn", "李老师", "inst_member", "inst01", "inst-demo-2026"},
    {"ent@demo.duijie.cn", "王经理", "ent_member", "ent01", "ent-demo-2026"},
    {"expert@demo.duijie.cn", "张教授", "expert", NULL, "expert-demo-2026"},
};

typedef struct {
    json_t *key_to_name; /* {"gov01": "…"} */
} demo_state;

static json_t *demo_rows(const char *path, err *e)
{
    const asset *a = asset_get(path);
    if (!a) return err_set(e, ERR_INTERNAL, NULL, NULL, "demo file %s missing", path), NULL;
    json_t *arr = json_array();
    const char *p = (const char *)a->data, *end = p + a->len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (n > 1) {
            json_error_t je;
            json_t *row = json_loadb(p, n, 0, &je);
            if (!row) {
                json_decref(arr);
                err_set(e, ERR_INTERNAL, NULL, NULL, "%s line %d: %s", path, line, je.text);
                return NULL;
            }
            json_array_append_new(arr, row);
        }
        p += n + 1;
    }
    return arr;
}

static err_code demo_orgs(dctx *c, demo_state *st, err *e)
{
    json_t *rows = demo_rows("data/demo/orgs.jsonl", e);
    if (!rows) return e->code;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        org_input in = {json_string_value(json_object_get(row, "name")),
                        json_string_value(json_object_get(row, "name_en")),
                        json_string_value(json_object_get(row, "type")),
                        json_string_value(json_object_get(row, "region")),
                        json_is_true(json_object_get(row, "verified")) ? "1" : "0"};
        err re = {0};
        if (org_create(c, &in, NULL, &re)) {
            json_decref(rows);
            return err_set(e, re.code, re.field, re.key, "orgs.jsonl row %zu: %s", i + 1, re.msg);
        }
        json_object_set_new(st->key_to_name, json_string_value(json_object_get(row, "key")),
                            json_string(in.name));
    }
    json_decref(rows);
    return ERR_OK;
}

static err_code demo_listings(dctx *c, demo_state *st, const char *path, const char *kind,
                              int *count, err *e)
{
    json_t *rows = demo_rows(path, e);
    if (!rows) return e->code;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *name =
            json_object_get(st->key_to_name, json_string_value(json_object_get(row, "org")));
        if (name) json_object_set(row, "org", name);
        listing_input in;
        err re = {0};
        if (listing_input_from_json(c->a, kind, row, &in, &re) ||
            listing_create(c, kind, &in, NULL, &re)) {
            json_decref(rows);
            return err_set(e, re.code, re.field, re.key, "%s row %zu: %s", path, i + 1, re.msg);
        }
        (*count)++;
    }
    json_decref(rows);
    return ERR_OK;
}

err_code demo_load(dctx *c, err *e)
{
    catalog_counts counts;
    if (store_counts(c->db, &counts, e)) return e->code;
    if (counts.orgs > 0)
        return err_set(e, ERR_CONFLICT, NULL, NULL,
                       "the database is not empty; demo needs a new one");
    demo_state st = {json_object()};
    int na = 0, nn = 0;
    if (db_begin(c->db, e)) goto out;
    if (demo_orgs(c, &st, e) ||
        demo_listings(c, &st, "data/demo/achievements.jsonl", "achievement", &na, e) ||
        demo_listings(c, &st, "data/demo/achievements2.jsonl", "achievement", &na, e) ||
        demo_listings(c, &st, "data/demo/needs.jsonl", "need", &nn, e))
        goto fail;
    for (size_t i = 0; i < ARRAY_LEN(demo_users); i++) {
        json_t *org =
            demo_users[i].org_key ? json_object_get(st.key_to_name, demo_users[i].org_key) : NULL;
        user_input u = {demo_users[i].email, demo_users[i].name, demo_users[i].role,
                        org ? json_string_value(org) : NULL, demo_users[i].password};
        if (user_create(c, &u, NULL, e)) goto fail;
    }
    if (db_commit(c->db, e)) goto fail;
    printf("demo catalog: %zu organizations, %d achievements, %d needs\n",
           json_object_size(st.key_to_name), na, nn);
    printf("demo accounts (email / password / role):\n");
    for (size_t i = 0; i < ARRAY_LEN(demo_users); i++)
        printf("  %-28s %-22s %s\n", demo_users[i].email, demo_users[i].password,
               demo_users[i].role);
    if (event_demo_load(c, e)) goto out;
    if (meeting_demo_load(c, e)) goto out;
    if (intention_demo_load(c, e)) goto out;
    json_decref(st.key_to_name);
    return ERR_OK;
fail:
    db_rollback(c->db);
out:
    json_decref(st.key_to_name);
    return e->code;
}
