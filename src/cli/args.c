/* args.c — option parsing and shared plumbing of the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

bool cli_parse(int argc, char **argv, const cli_opt *opts, cli_args *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (str_eq(a, "--help") || str_eq(a, "-h")) {
            out->help = true;
            continue;
        }
        if (!str_starts(a, "--")) {
            if (out->npos == (int)ARRAY_LEN(out->pos)) {
                fprintf(stderr, "duijie: too many arguments\n");
                return false;
            }
            out->pos[out->npos++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const cli_opt *o = NULL;
        for (const cli_opt *p = opts; p && p->name; p++)
            if (strlen(p->name) == nlen && !strncmp(p->name, name, nlen)) o = p;
        if (!o) {
            fprintf(stderr, "duijie: unknown option %.*s (see --help)\n", (int)(nlen + 2), a);
            return false;
        }
        const char *val = "1";
        if (o->takes_value) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                fprintf(stderr, "duijie: option --%s needs a value\n", o->name);
                return false;
            }
        } else if (eq) {
            fprintf(stderr, "duijie: option --%s takes no value\n", o->name);
            return false;
        }
        if (out->n == (int)ARRAY_LEN(out->names)) {
            fprintf(stderr, "duijie: too many options\n");
            return false;
        }
        out->names[out->n] = o->name;
        out->values[out->n++] = val;
    }
    return true;
}

const char *cli_get(const cli_args *a, const char *name)
{
    for (int i = a->n - 1; i >= 0; i--)
        if (str_eq(a->names[i], name)) return a->values[i];
    return NULL;
}

const char *cli_db(const cli_args *a)
{
    const char *path = cli_get(a, "db");
    if (!path) path = getenv("DUIJIE_DB");
    return path && *path ? path : "duijie.db";
}

bool cli_open(const cli_args *a, store **s, dctx *c)
{
    err e = {0};
    log_quiet = true;
    *s = store_open(cli_db(a), 1, &e);
    log_quiet = false;
    if (!*s) {
        cli_fail(&e);
        return false;
    }
    memset(c, 0, sizeof *c);
    c->db = store_acquire(*s, &e);
    if (!c->db || taxonomy_load(c->db, &e)) {
        cli_fail(&e);
        store_close(*s);
        return false;
    }
    c->a = arena_new();
    c->system = true;
    return true;
}

void cli_close(store *s, dctx *c)
{
    arena_free(c->a);
    store_release(s, c->db);
    store_close(s);
}

int cli_fail(const err *e)
{
    if (*e->field && !strstr(e->msg, e->field))
        fprintf(stderr, "duijie: %s: %s\n", e->field, e->msg);
    else
        fprintf(stderr, "duijie: %s\n", e->msg);
    return EXIT_FAIL;
}
