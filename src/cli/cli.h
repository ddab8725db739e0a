/* cli.h — the command line: option parsing shared by every command. */
#ifndef DUIJIE_CLI_H
#define DUIJIE_CLI_H

#include "base/base.h"
#include "domain/domain.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *name; /* without "--" */
    bool takes_value;
} cli_opt;

typedef struct {
    const char *names[24];
    const char *values[24]; /* "1" for flags */
    int n;
    const char *pos[8]; /* positional arguments */
    int npos;
    bool help;
} cli_args;

/* Parses argv against opts; on a usage error prints one line to stderr and returns false. */
bool cli_parse(int argc, char **argv, const cli_opt *opts, cli_args *out);
const char *cli_get(const cli_args *a, const char *name);
/* --db, else $DUIJIE_DB, else "duijie.db". */
const char *cli_db(const cli_args *a);
/* Opens the store and acquires a connection as the system actor; prints errors. */
bool cli_open(const cli_args *a, store **s, dctx *c);
void cli_close(store *s, dctx *c);
/* Prints "duijie: MSG" (with the field when set) and returns EXIT_FAIL. */
int cli_fail(const err *e);

int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_event(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
