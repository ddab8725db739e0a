/* cmd_db.c — init, migrate, demo and serve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "web/web.h"

static const cli_opt db_opts[] = {{"db", true}, {0}};

int cmd_init(int argc, char **argv)
{
    cli_args a;
    if (!cli_parse(argc, argv, db_opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf("usage: duijie init --db PATH\n\nCreates the database (SQLite file) if needed and "
               "applies every migration.\n");
        return EXIT_OK;
    }
    if (a.npos) return fprintf(stderr, "duijie: init takes no arguments\n"), EXIT_USAGE;
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    cli_close(s, &c);
    printf("database ready: %s\n", cli_db(&a));
    return EXIT_OK;
}

int cmd_migrate(int argc, char **argv)
{
    cli_args a;
    if (!cli_parse(argc, argv, db_opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf("usage: duijie migrate --db PATH\n\nApplies pending migrations and prints the "
               "schema version. Safe to run at any time; serve also migrates at start.\n");
        return EXIT_OK;
    }
    if (a.npos) return fprintf(stderr, "duijie: migrate takes no arguments\n"), EXIT_USAGE;
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    int version = 0;
    int rc = store_migrate(c.db, &version, &e) ? cli_fail(&e) : EXIT_OK;
    if (!rc) printf("schema version %d\n", version);
    cli_close(s, &c);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    cli_args a;
    if (!cli_parse(argc, argv, db_opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf("usage: duijie demo --db PATH\n\nFills a new, empty database with the demo "
               "catalog (fictional organizations, achievements and needs) and one account per "
               "role, and prints the accounts.\n");
        return EXIT_OK;
    }
    if (a.npos) return fprintf(stderr, "duijie: demo takes no arguments\n"), EXIT_USAGE;
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    int rc = demo_load(&c, &e) ? cli_fail(&e) : EXIT_OK;
    cli_close(s, &c);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true},
                                   {"listen", true},
                                   {"threads", true},
                                   {"secure-cookies", false},
                                   {"per-ip-limit", true},
                                   {"timeout", true},
                                   {"quiet", false},
                                   {"trust-proxy", false},
                                   {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf("usage: duijie serve --db PATH --listen ADDR:PORT [options]\n\n"
               "  --db PATH            SQLite database file (created and migrated if needed)\n"
               "  --listen ADDR:PORT   address to listen on (default 127.0.0.1:8080)\n"
               "  --threads N          worker threads (default 2 x cores, at most 64)\n"
               "  --secure-cookies     mark cookies Secure (set when served over HTTPS)\n"
               "  --per-ip-limit N     concurrent connections per client IP (default 64)\n"
               "  --timeout SECONDS    idle connection timeout (default 30)\n"
               "  --quiet              no request log\n"
               "  --trust-proxy        behind a reverse proxy: take the client address from the\n"
               "                       last X-Forwarded-For hop (sign-in rate limit, logs)\n"
               "Environment: DUIJIE_DB, DUIJIE_SECURE_COOKIES=1, DUIJIE_TRUST_PROXY=1.\n");
        return EXIT_OK;
    }
    if (a.npos) return fprintf(stderr, "duijie: serve takes no arguments\n"), EXIT_USAGE;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    web_config cfg = {
        .db_url = cli_db(&a),
        .listen = cli_get(&a, "listen") ? cli_get(&a, "listen") : "127.0.0.1:8080",
        .threads = (int)(cores > 0 ? cores * 2 : 4),
        .secure_cookies =
            cli_get(&a, "secure-cookies") ||
            (getenv("DUIJIE_SECURE_COOKIES") && str_eq(getenv("DUIJIE_SECURE_COOKIES"), "1")),
        .trust_proxy = cli_get(&a, "trust-proxy") ||
                       (getenv("DUIJIE_TRUST_PROXY") && str_eq(getenv("DUIJIE_TRUST_PROXY"), "1")),
        .per_ip_limit = 64,
        .conn_timeout = 30,
        .max_body = 1024 * 1024,
    };
    int64_t v;
    if (cli_get(&a, "threads")) {
        if (!str_to_i64(cli_get(&a, "threads"), 1, 64, &v))
            return fprintf(stderr, "duijie: --threads must be 1..64\n"), EXIT_USAGE;
        cfg.threads = (int)v;
    }
    if (cfg.threads > 64) cfg.threads = 64;
    if (cli_get(&a, "per-ip-limit")) {
        if (!str_to_i64(cli_get(&a, "per-ip-limit"), 1, 100000, &v))
            return fprintf(stderr, "duijie: --per-ip-limit must be 1..100000\n"), EXIT_USAGE;
        cfg.per_ip_limit = (unsigned)v;
    }
    if (cli_get(&a, "timeout")) {
        if (!str_to_i64(cli_get(&a, "timeout"), 1, 3600, &v))
            return fprintf(stderr, "duijie: --timeout must be 1..3600\n"), EXIT_USAGE;
        cfg.conn_timeout = (unsigned)v;
    }
    log_quiet = cli_get(&a, "quiet") != NULL;
    return web_serve(&cfg);
}
