/* cmd_report.c — `duijie report`: the statistics report of an event or of the whole platform,
 * written as PDF or XLSX (by the --out file's extension). The command line acts as the system
 * (organizer rights), like every command. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/report.h"
#include "web/web.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: duijie report --event ID|--overall [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
               "                     --out FILE.pdf|FILE.xlsx [--lang zh-CN|en] [--db PATH]\n\n"
               "Writes the statistics report: cover, news-release summary, funnel, breakdowns by\n"
               "field, organization type and region, attendance, months, roadshow ranking,\n"
               "intentions (and participants in XLSX). --from/--to limit it to a period.\n");
    return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int cmd_report(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true},   {"event", true}, {"overall", false},
                                   {"from", true}, {"to", true},    {"out", true},
                                   {"lang", true}, {NULL, false}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return usage(stderr, EXIT_USAGE);
    if (a.help) return usage(stdout, EXIT_OK);
    const char *ev = cli_get(&a, "event"), *out = cli_get(&a, "out");
    const char *lang = cli_get(&a, "lang");
    bool overall = cli_get(&a, "overall") != NULL;
    int64_t id = 0;
    if ((!ev) == (!overall) || !out || a.npos) return usage(stderr, EXIT_USAGE);
    if (ev && !str_to_i64(ev, 1, INT64_MAX, &id)) {
        fprintf(stderr, "duijie: --event must be an event id\n");
        return EXIT_USAGE;
    }
    bool pdf = ends_with(out, ".pdf");
    if (!pdf && !ends_with(out, ".xlsx")) {
        fprintf(stderr, "duijie: --out must end in .pdf or .xlsx\n");
        return EXIT_USAGE;
    }
    if (lang && !str_eq(lang, "zh-CN") && !str_eq(lang, "en")) {
        fprintf(stderr, "duijie: --lang must be zh-CN or en\n");
        return EXIT_USAGE;
    }
    store *st;
    dctx c;
    if (!cli_open(&a, &st, &c)) return EXIT_FAIL;
    err e = {0};
    report_data d;
    int rc = EXIT_OK;
    if (report_build(&c, id, cli_get(&a, "from"), cli_get(&a, "to"), lang ? lang : "zh-CN",
                     i18n_get, &d, &e)) {
        rc = cli_fail(&e);
        goto close;
    }
    if (pdf) {
        buf b = {0};
        if (report_pdf(&d, &b, &e)) {
            buf_free(&b);
            rc = cli_fail(&e);
            goto close;
        }
        FILE *f = fopen(out, "wb");
        if (!f || fwrite(b.s, 1, b.len, f) != b.len || fclose(f) != 0) {
            fprintf(stderr, "duijie: cannot write %s\n", out);
            rc = EXIT_FAIL;
        }
        buf_free(&b);
    } else if (report_xlsx(&d, out, &e)) {
        rc = cli_fail(&e);
    }
    if (!rc) printf("report written to %s\n", out);
close:
    cli_close(st, &c);
    report_release();
    return rc;
}
