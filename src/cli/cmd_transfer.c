/* cmd_transfer.c — `duijie import` and `duijie export`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum { MAX_IMPORT = 512 * 1024 * 1024 };

/* Reads a whole file (or stdin for "-") into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len, err *e)
{
    FILE *f = str_eq(path, "-") ? stdin : fopen(path, "rb");
    if (!f) return err_set(e, ERR_INVALID, NULL, NULL, "cannot open %s", path), NULL;
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_putn(&b, chunk, n);
        if (b.len > MAX_IMPORT) {
            buf_free(&b);
            if (f != stdin) fclose(f);
            return err_set(e, ERR_TOO_LARGE, NULL, NULL, "%s is larger than 512 MiB", path), NULL;
        }
    }
    bool bad = ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        buf_free(&b);
        return err_set(e, ERR_INVALID, NULL, NULL, "cannot read %s", path), NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

int cmd_import(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true}, {"kind", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf("usage: duijie import --kind achievements|needs|orgs FILE.json|FILE.jsonl [--db "
               "PATH]\n\n"
               "Imports a JSON array or JSON Lines file (\"-\" reads stdin) in one transaction:\n"
               "one bad row writes nothing and the error names the row and field. Listings name\n"
               "their owner with \"org\" (id or name) and default to status \"published\".\n");
        return EXIT_OK;
    }
    if (!cli_get(&a, "kind") || a.npos != 1) {
        fprintf(stderr, "duijie: import needs --kind and one FILE (see --help)\n");
        return EXIT_USAGE;
    }
    err e = {0};
    size_t len;
    char *text = slurp(a.pos[0], &len, &e);
    if (!text) return cli_fail(&e);
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) {
        free(text);
        return EXIT_FAIL;
    }
    int count = 0, rc = EXIT_OK;
    if (transfer_import(&c, cli_get(&a, "kind"), text, len, &count, &e))
        rc = cli_fail(&e);
    else
        printf("imported %d %s\n", count, cli_get(&a, "kind"));
    free(text);
    cli_close(s, &c);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"db", true}, {"kind", true}, {"format", true}, {"out", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf(
            "usage: duijie export --kind achievements|needs|orgs [--format json|jsonl] "
            "[--out FILE] [--db PATH]\n\nWrites every row, in every state, to stdout or FILE.\n");
        return EXIT_OK;
    }
    const char *fmt = cli_get(&a, "format") ? cli_get(&a, "format") : "json";
    if (!cli_get(&a, "kind") || a.npos || (!str_eq(fmt, "json") && !str_eq(fmt, "jsonl"))) {
        fprintf(stderr, "duijie: export needs --kind, and --format json or jsonl (see --help)\n");
        return EXIT_USAGE;
    }
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    buf out = {0};
    int rc = EXIT_OK;
    if (transfer_export(&c, cli_get(&a, "kind"), str_eq(fmt, "jsonl"), &out, &e)) {
        rc = cli_fail(&e);
    } else {
        const char *path = cli_get(&a, "out");
        FILE *f = path ? fopen(path, "wb") : stdout;
        if (!f || fwrite(out.s, 1, out.len, f) != out.len || (path && fclose(f))) {
            fprintf(stderr, "duijie: cannot write %s\n", path ? path : "stdout");
            rc = EXIT_FAIL;
        }
    }
    buf_free(&out);
    cli_close(s, &c);
    return rc;
}
