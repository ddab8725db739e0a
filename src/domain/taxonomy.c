/* taxonomy.c — the field taxonomy, cached for the life of the process (it changes only with a
 * migration), and TRL stages. */
#include <pthread.h>
#include <string.h>

#include "domain/domain.h"

static arena *tax_arena;
static field_rec *tax_fields;
static int tax_n;
static pthread_mutex_t tax_lock = PTHREAD_MUTEX_INITIALIZER;

err_code taxonomy_load(db *d, err *e)
{
    pthread_mutex_lock(&tax_lock);
    err_code rc = ERR_OK;
    if (!tax_arena) {
        arena *a = arena_new();
        rc = store_field_list(d, a, &tax_fields, &tax_n, e);
        if (rc)
            arena_free(a);
        else
            tax_arena = a;
    }
    pthread_mutex_unlock(&tax_lock);
    return rc;
}

const field_rec *taxonomy_field(const char *code)
{
    if (!code) return NULL;
    for (int i = 0; i < tax_n; i++)
        if (strcmp(tax_fields[i].code, code) == 0) return &tax_fields[i];
    return NULL;
}

const field_rec *taxonomy_fields(int *n)
{
    *n = tax_n;
    return tax_fields;
}

int trl_stage(int trl)
{
    if (trl <= 0) return 0;
    if (trl <= 3) return 1;
    if (trl <= 5) return 2;
    if (trl <= 7) return 3;
    return 4;
}
