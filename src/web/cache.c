/* cache.c — a response cache for anonymous reads of the public catalog. Pages and API answers
 * that depend only on the URL, the language and the catalog (listings, organizations) are kept
 * with the catalog generation they were made at (store_catalog_generation); any committed change
 * to the catalog, by any process, changes the generation and so retires them. Bounded in entries
 * and bytes; evicts with a clock hand. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web/cache.h"

enum { CACHE_SLOTS = 4096, CACHE_MAX_BYTES = 64 * 1024 * 1024, CACHE_MAX_BODY = 512 * 1024 };

typedef struct {
    uint64_t hash;
    char *key;
    int64_t gen;
    char *body;
    size_t len;
    const char *ctype; /* static strings only */
    bool used;         /* clock bit */
} entry;

static entry table[CACHE_SLOTS];
static size_t total_bytes;
static unsigned hand;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t hits, misses;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void entry_clear(entry *e)
{
    total_bytes -= e->len + (e->key ? strlen(e->key) : 0);
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

bool cache_get(const char *key, int64_t gen, buf *out, const char **ctype)
{
    uint64_t h = hash_str(key);
    bool found = false;
    pthread_mutex_lock(&lock);
    entry *e = &table[h % CACHE_SLOTS];
    if (e->key && e->hash == h && e->gen == gen && !strcmp(e->key, key)) {
        buf_reset(out);
        buf_putn(out, e->body, e->len);
        *ctype = e->ctype;
        e->used = true;
        found = true;
        hits++;
    } else {
        misses++;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void cache_put(const char *key, int64_t gen, const char *body, size_t len, const char *ctype)
{
    if (len > CACHE_MAX_BODY) return;
    uint64_t h = hash_str(key);
    pthread_mutex_lock(&lock);
    entry *e = &table[h % CACHE_SLOTS];
    if (e->key) entry_clear(e); /* the slot's previous tenant leaves */
    while (total_bytes + len + strlen(key) > CACHE_MAX_BYTES) { /* clock eviction */
        entry *v = &table[hand++ % CACHE_SLOTS];
        if (!v->key) continue;
        if (v->used)
            v->used = false;
        else
            entry_clear(v);
    }
    e->hash = h;
    e->key = xstrdup(key);
    e->gen = gen;
    e->body = xmalloc(len ? len : 1);
    memcpy(e->body, body, len);
    e->len = len;
    e->ctype = ctype;
    e->used = false;
    total_bytes += len + strlen(key);
    pthread_mutex_unlock(&lock);
}

void cache_stats(uint64_t *h, uint64_t *m, size_t *bytes)
{
    pthread_mutex_lock(&lock);
    *h = hits;
    *m = misses;
    *bytes = total_bytes;
    pthread_mutex_unlock(&lock);
}

void cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (table[i].key) entry_clear(&table[i]);
    pthread_mutex_unlock(&lock);
}
