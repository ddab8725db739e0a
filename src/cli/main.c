/* main.c — `duijie COMMAND …`: dispatch to the commands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"init", cmd_init, "create a database and apply migrations"},
    {"migrate", cmd_migrate, "apply pending migrations"},
    {"serve", cmd_serve, "serve the web site and JSON API"},
    {"demo", cmd_demo, "fill a new database with the demo catalog and accounts"},
    {"user", cmd_user, "add|passwd|list|disable user accounts"},
    {"org", cmd_org, "add|list organizations"},
    {"import", cmd_import,
     "import achievements, needs, orgs, events, participants (XLSX, CSV, JSON)"},
    {"export", cmd_export,
     "export listings, orgs, events, participants, intentions (XLSX, CSV, JSON)"},
    {"backup", cmd_backup, "write a consistent copy of the database, also while serving"},
    {"restore", cmd_restore, "check a backup, then copy it over the database"},
    {"search", cmd_search, "rank published achievements or needs for a query"},
    {"match", cmd_match, "the best matches of a need or an achievement, with reasons"},
    {"bench", cmd_bench, "measure matching quality and speed on a BEIR data set (bench ir)"},
    {"analyze", cmd_analyze, "show how a text is normalized and split into search terms"},
    {"event", cmd_event, "list events, or show one with its agenda and registration counts"},
    {"schedule", cmd_schedule, "place 1:1 meetings into slots and tables (JSON in, JSON out)"},
    {"report", cmd_report, "an event or overall report with statistics, as PDF or XLSX"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "duijie %s — technology-transfer matchmaking (科技成果对接)\n\n"
            "usage: duijie COMMAND [OPTIONS]   (duijie COMMAND --help for details)\n\n"
            "commands:\n",
            DUIJIE_VERSION);
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nThe database is --db PATH, else $DUIJIE_DB, else ./duijie.db.\n"
               "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (str_eq(argv[1], "--help") || str_eq(argv[1], "-h") || str_eq(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (str_eq(argv[1], "--version") || str_eq(argv[1], "version")) {
        printf("duijie %s\n", DUIJIE_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (str_eq(argv[1], commands[i].name)) return commands[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "duijie: unknown command '%s' (see duijie --help)\n", argv[1]);
    return EXIT_USAGE;
}
