/* pool.c — a fixed pool of connections shared by the server's worker threads. */
#include "store/store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct store {
    char *url;
    int n;          /* pool capacity */
    int opened;     /* connections created so far */
    db **free_list; /* idle connections */
    int nfree;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

store *store_open(const char *url, int nconn, err *e)
{
    db *first = db_open(url, e);
    if (!first) return NULL;
    int version;
    if (store_migrate(first, &version, e)) {
        db_close(first);
        return NULL;
    }
    store *s = xcalloc(1, sizeof *s);
    s->url = xstrdup(url);
    s->n = nconn < 1 ? 1 : nconn;
    s->free_list = xcalloc((size_t)s->n, sizeof(db *));
    s->free_list[s->nfree++] = first;
    s->opened = 1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    return s;
}

void store_close(store *s)
{
    if (!s) return;
    for (int i = 0; i < s->nfree; i++)
        db_close(s->free_list[i]);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s->free_list);
    free(s->url);
    free(s);
}

db *store_acquire(store *s, err *e)
{
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (s->nfree > 0) {
            db *d = s->free_list[--s->nfree];
            pthread_mutex_unlock(&s->lock);
            return d;
        }
        if (s->opened < s->n) {
            s->opened++;
            pthread_mutex_unlock(&s->lock);
            db *d = db_open(s->url, e);
            if (!d) {
                pthread_mutex_lock(&s->lock);
                s->opened--;
                pthread_mutex_unlock(&s->lock);
            }
            return d;
        }
        pthread_cond_wait(&s->cond, &s->lock);
    }
}

void store_release(store *s, db *d)
{
    if (!d) return;
    db_rollback_all(d); /* a handler that bailed out mid-transaction leaves nothing behind */
    pthread_mutex_lock(&s->lock);
    s->free_list[s->nfree++] = d;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}
