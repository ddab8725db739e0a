/* cmd_account.c — `duijie user …` and `duijie org …`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"

/* --password, else $DUIJIE_PASSWORD, else one line from stdin (echo off on a terminal). */
static const char *read_password(const cli_args *a, arena *ar)
{
    const char *p = cli_get(a, "password");
    if (p) return p;
    p = getenv("DUIJIE_PASSWORD");
    if (p && *p) return p;
    bool tty = isatty(STDIN_FILENO);
    struct termios old, noecho;
    if (tty) {
        fprintf(stderr, "password: ");
        tcgetattr(STDIN_FILENO, &old);
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &noecho);
    }
    char line[512];
    char *got = fgets(line, sizeof line, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!got) return "";
    line[strcspn(line, "\r\n")] = 0;
    return arena_strdup(ar, line);
}

static int user_usage(FILE *f)
{
    fprintf(f, "usage: duijie user add --email E --name N --role ROLE [--org ORG] [--password P]\n"
               "       duijie user passwd --email E [--password P]\n"
               "       duijie user disable --email E [--enable]\n"
               "       duijie user list\n\n"
               "ROLE: admin, organizer, inst_member, ent_member, expert. ORG: id or name.\n"
               "Without --password the password is read from $DUIJIE_PASSWORD or stdin.\n"
               "All take --db PATH.\n");
    return f == stdout ? EXIT_OK : EXIT_USAGE;
}

int cmd_user(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"db", true},  {"email", true},    {"name", true},    {"role", true},
        {"org", true}, {"password", true}, {"enable", false}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) return user_usage(stdout);
    if (a.npos != 1) return user_usage(stderr);
    const char *sub = a.pos[0];
    if (!str_eq(sub, "add") && !str_eq(sub, "passwd") && !str_eq(sub, "list") &&
        !str_eq(sub, "disable")) {
        fprintf(stderr, "duijie: unknown user command '%s'\n", sub);
        return EXIT_USAGE;
    }
    if (!str_eq(sub, "list") && !cli_get(&a, "email")) {
        fprintf(stderr, "duijie: user %s needs --email\n", sub);
        return EXIT_USAGE;
    }
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    int rc = EXIT_OK;
    if (str_eq(sub, "add")) {
        user_input in = {cli_get(&a, "email"), cli_get(&a, "name"), cli_get(&a, "role"),
                         cli_get(&a, "org"), read_password(&a, c.a)};
        int64_t id;
        if (user_create(&c, &in, &id, &e))
            rc = cli_fail(&e);
        else
            printf("user %lld added: %s\n", (long long)id, in.email);
    } else if (str_eq(sub, "passwd")) {
        if (user_set_password(&c, cli_get(&a, "email"), read_password(&a, c.a), &e))
            rc = cli_fail(&e);
        else
            printf("password changed; sessions of %s ended\n", cli_get(&a, "email"));
    } else if (str_eq(sub, "disable")) {
        bool enable = cli_get(&a, "enable") != NULL;
        if (user_set_disabled(&c, cli_get(&a, "email"), !enable, &e))
            rc = cli_fail(&e);
        else
            printf("%s %s\n", cli_get(&a, "email"), enable ? "enabled" : "disabled");
    } else {
        user_rec *users;
        int n;
        if (store_user_list(c.db, c.a, &users, &n, &e)) rc = cli_fail(&e);
        for (int i = 0; !rc && i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s%s\n", (long long)users[i].id, users[i].email,
                   users[i].name, users[i].role, users[i].org_name,
                   users[i].disabled ? "\tdisabled" : "");
    }
    cli_close(s, &c);
    return rc;
}

int cmd_org(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true},
                                   {"name", true},
                                   {"name-en", true},
                                   {"type", true},
                                   {"region", true},
                                   {"verified", false},
                                   {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help || a.npos != 1 || (!str_eq(a.pos[0], "add") && !str_eq(a.pos[0], "list"))) {
        FILE *f = a.help ? stdout : stderr;
        fprintf(f, "usage: duijie org add --name NAME --type TYPE [--name-en NAME] [--region R] "
                   "[--verified]\n       duijie org list [--type TYPE]\n\n"
                   "TYPE: university, institute, enterprise, government, service. Both take "
                   "--db PATH.\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    int rc = EXIT_OK;
    if (str_eq(a.pos[0], "add")) {
        org_input in = {cli_get(&a, "name"), cli_get(&a, "name-en"), cli_get(&a, "type"),
                        cli_get(&a, "region"), cli_get(&a, "verified") ? "1" : "0"};
        int64_t id;
        if (org_create(&c, &in, &id, &e))
            rc = cli_fail(&e);
        else
            printf("organization %lld added: %s\n", (long long)id, in.name);
    } else {
        org_rec *orgs;
        int n;
        if (store_org_list(c.db, c.a, cli_get(&a, "type"), &orgs, &n, &e)) rc = cli_fail(&e);
        for (int i = 0; !rc && i < n; i++)
            printf("%lld\t%s\t%s\t%s%s\n", (long long)orgs[i].id, orgs[i].type, orgs[i].name,
                   orgs[i].region, orgs[i].verified ? "\tverified" : "");
    }
    cli_close(s, &c);
    return rc;
}
