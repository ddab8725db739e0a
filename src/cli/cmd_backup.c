/* cmd_backup.c — `duijie backup` and `duijie restore`. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_backup(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true}, {"out", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help || !cli_get(&a, "out") || a.npos) {
        fprintf(a.help ? stdout : stderr,
                "usage: duijie backup --db PATH --out FILE\n\n"
                "Writes a consistent copy of the database to a new FILE, also while the server is\n"
                "running and writing (SQLite's online backup), then checks the copy.\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    err e = {0};
    int version = 0;
    if (store_backup(cli_db(&a), cli_get(&a, "out"), &version, &e)) return cli_fail(&e);
    printf("backup written: %s (schema version %d)\n", cli_get(&a, "out"), version);
    return EXIT_OK;
}

int cmd_restore(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true}, {"in", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help || !cli_get(&a, "in") || a.npos) {
        fprintf(
            a.help ? stdout : stderr,
            "usage: duijie restore --in FILE --db PATH\n\n"
            "Checks the backup FILE (integrity, duijie schema) and only then copies it over the\n"
            "database at PATH. Stop the servers that use PATH first; start them again after.\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    err e = {0};
    int version = 0;
    if (store_restore(cli_get(&a, "in"), cli_db(&a), &version, &e)) return cli_fail(&e);
    printf("restored %s from %s (schema version %d)\n", cli_db(&a), cli_get(&a, "in"), version);
    return EXIT_OK;
}
