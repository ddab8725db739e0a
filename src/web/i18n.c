/* i18n.c — message catalogs web/i18n/zh-CN.txt and en.txt: "key = text" lines, # comments.
 * Loaded once into sorted arrays; lookups are binary searches. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

typedef struct {
    kv *items;
    int n;
} catalog;

static catalog cat_zh, cat_en;
static pthread_once_t i18n_once = PTHREAD_ONCE_INIT;

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

static void load(catalog *c, const char *path)
{
    const asset *a = asset_get(path);
    if (!a) return;
    char *text = xstrdup((const char *)a->data); /* lives for the process */
    int cap = 512;
    c->items = xcalloc((size_t)cap, sizeof(kv));
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *eq = strstr(line, " = ");
        if (!eq) continue;
        *eq = 0;
        if (c->n == cap) {
            cap *= 2;
            c->items = xrealloc(c->items, sizeof(kv) * (size_t)cap);
        }
        c->items[c->n++] = (kv){str_trim(line), str_trim(eq + 3)};
    }
    qsort(c->items, (size_t)c->n, sizeof(kv), kv_cmp);
}

static void load_all(void)
{
    load(&cat_zh, "web/i18n/zh-CN.txt");
    load(&cat_en, "web/i18n/en.txt");
}

void i18n_init(void)
{
    pthread_once(&i18n_once, load_all);
}

static const char *find(const catalog *c, const char *key)
{
    kv probe = {key, NULL};
    const kv *hit = c->n ? bsearch(&probe, c->items, (size_t)c->n, sizeof(kv), kv_cmp) : NULL;
    return hit ? hit->val : NULL;
}

const char *i18n_get(const char *lang, const char *key)
{
    i18n_init();
    const char *v = str_eq(lang, "en") ? find(&cat_en, key) : NULL;
    if (!v) v = find(&cat_zh, key);
    return v ? v : key;
}

const char *i18n_error(arena *a, const char *lang, const err *e)
{
    if (!*e->key) return e->msg;
    const char *text = i18n_get(lang, e->key);
    if (text == e->key) return e->msg; /* no catalog entry: the English detail */
    if (!*e->field) return text;
    char fk[80];
    snprintf(fk, sizeof fk, "field.%s", e->field);
    const char *label = i18n_get(lang, fk);
    if (label == fk) label = e->field;
    return arena_printf(a, "%s%s%s", label, str_eq(lang, "en") ? ": " : "：", text);
}
