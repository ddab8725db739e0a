/* cache.h — the anonymous catalog response cache (see cache.c). Thread-safe. */
#ifndef DUIJIE_CACHE_H
#define DUIJIE_CACHE_H

#include "base/base.h"

/* Copies the cached body for key made at generation gen into out; false when absent or stale.
 * ctype gets the entry's (static) content type. */
bool cache_get(const char *key, int64_t gen, buf *out, const char **ctype);
/* Stores a copy of body for key at generation gen (ctype must be a static string). */
void cache_put(const char *key, int64_t gen, const char *body, size_t len, const char *ctype);
void cache_stats(uint64_t *hits, uint64_t *misses, size_t *bytes);
/* Drops every entry (frees the memory: tests, shutdown). */
void cache_clear(void);

#endif
