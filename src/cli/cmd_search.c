/* cmd_search.c — `duijie search QUERY` and `duijie match --need ID | --achievement ID`: the
 * matching engine from the command line, over the published listings of a database. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void print_results(const match_result *res, int n)
{
    for (int i = 0; i < n; i++) {
        const match_result *m = &res[i];
        printf("%2d  %5.1f  %-11s %-6lld %s\n", i + 1, m->score, m->l.kind, (long long)m->l.id,
               m->l.title);
        if (m->nterms) {
            printf("                 matched:");
            for (int k = 0; k < m->nterms; k++)
                printf(" %s%s", m->terms[k], k + 1 < m->nterms ? "," : "");
            printf("\n");
        }
        static const char *names[] = {"same field", "related field", "maturity fits",
                                      "cooperation mode fits", "same city"};
        if (m->factors) {
            printf("                 factors:");
            for (int k = 0, first = 1; k < 5; k++)
                if (m->factors & (1u << k)) {
                    printf("%s %s", first ? "" : ",", names[k]);
                    first = 0;
                }
            printf("\n");
        }
    }
}

int cmd_search(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true}, {"kind", true}, {"top", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help || a.npos != 1) {
        fprintf(a.help ? stdout : stderr,
                "usage: duijie search QUERY [--kind achievement|need] [--top N] [--db PATH]\n\n"
                "Ranks the published achievements (or needs) for QUERY, in Simplified or "
                "Traditional Chinese or English, and shows the matched terms.\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    const char *kind = cli_get(&a, "kind") ? cli_get(&a, "kind") : "achievement";
    int64_t top = 10;
    if (!listing_kind_valid(kind) ||
        (cli_get(&a, "top") && !str_to_i64(cli_get(&a, "top"), 1, 100, &top)))
        return fprintf(stderr, "duijie: --kind achievement|need, --top 1..100\n"), EXIT_USAGE;
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    int rc = EXIT_OK;
    listing_filter f = {.kind = kind};
    match_result *res;
    int n;
    int64_t total;
    log_quiet = true;
    if (matching_start(c.db, &e) ||
        matching_search(&c, a.pos[0], &f, 0, (int)top, &res, &n, &total, NULL, &e)) {
        rc = cli_fail(&e);
    } else {
        printf("%lld matches\n", (long long)total);
        print_results(res, n);
    }
    matching_stop();
    cli_close(s, &c);
    return rc;
}

int cmd_match(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"db", true}, {"need", true}, {"achievement", true}, {"top", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    const char *need = cli_get(&a, "need"), *ach = cli_get(&a, "achievement");
    if (a.help || a.npos || (!need == !ach)) {
        fprintf(a.help ? stdout : stderr,
                "usage: duijie match --need ID | --achievement ID [--top N] [--db PATH]\n\n"
                "The best achievements for a need, or the best needs for an achievement, with "
                "the matched terms and factors (field, maturity, cooperation mode, city).\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    int64_t id, top = 10;
    if (!str_to_i64(need ? need : ach, 1, INT64_MAX, &id) ||
        (cli_get(&a, "top") && !str_to_i64(cli_get(&a, "top"), 1, 50, &top)))
        return fprintf(stderr, "duijie: ID must be a number, --top 1..50\n"), EXIT_USAGE;
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    int rc = EXIT_OK;
    listing_rec l;
    match_result *res;
    int n;
    log_quiet = true;
    if (listing_get(&c, id, &l, &e) == ERR_OK && !str_eq(l.kind, need ? "need" : "achievement"))
        err_set(&e, ERR_NOT_FOUND, NULL, NULL, "%s %lld not found", need ? "need" : "achievement",
                (long long)id);
    if (e.code || matching_start(c.db, &e) ||
        matching_for_listing(&c, id, (int)top, &res, &n, &e)) {
        rc = cli_fail(&e);
    } else {
        printf("%s %lld: %s\n", l.kind, (long long)l.id, l.title);
        print_results(res, n);
    }
    matching_stop();
    cli_close(s, &c);
    return rc;
}
