/* cmd_transfer.c — `duijie import` and `duijie export`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Writes out to path (stdout when NULL); false with a message on failure. */
static bool write_out(const char *path, const buf *out)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f || fwrite(out->s ? out->s : "", 1, out->len, f) != out->len || (path && fclose(f))) {
        fprintf(stderr, "duijie: cannot write %s\n", path ? path : "stdout");
        return false;
    }
    if (!path) fflush(stdout);
    return true;
}

static void print_report(const import_report *r, const char *kind)
{
    if (r->ncols) {
        printf("columns:");
        for (int j = 0; j < r->ncols; j++)
            printf(" %s%s%s", r->columns[j], r->mapped[j] ? "→" : " (ignored)",
                   r->mapped[j] ? r->mapped[j] : "");
        printf("\n");
    }
    for (int i = 0; i < r->nissues; i++) {
        const import_issue *is = &r->issues[i];
        printf("row %d%s%s%s: %s\n", is->row, *is->column ? ", column \"" : "", is->column,
               *is->column ? "\"" : "", is->msg);
    }
    for (int i = 0; r->rows && i < r->npreview; i++) {
        const import_row *ir = &r->rows[i];
        if (!*ir->dup_key) continue;
        const char *why =
            str_eq(ir->dup_key, "import.dup.similar")       ? "near-identical text"
            : str_eq(ir->dup_key, "import.dup.same_person") ? "same name and organization"
            : str_eq(ir->dup_key, "import.dup.same_org")    ? "same name"
                                                            : "same title and organization";
        if (ir->dup_row)
            printf("row %d: likely duplicate of row %d (%s)%s\n", ir->row, ir->dup_row, why,
                   ir->skipped ? ", skipped" : "");
        else
            printf("row %d: likely duplicate of #%lld %s (%s)%s\n", ir->row, (long long)ir->dup_id,
                   ir->dup_title, why, ir->skipped ? ", skipped" : "");
    }
    if (r->dry_run)
        printf("dry run: %d rows, %d good, %d bad, %d likely duplicates, %d would be skipped; "
               "nothing written\n",
               r->nrows, r->nok, r->nbad, r->ndup, r->nskipped);
    else if (!r->nbad)
        printf("imported %d %s (%d likely duplicates, %d skipped)\n", r->written, kind, r->ndup,
               r->nskipped);
}

int cmd_import(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true},
                                   {"kind", true},
                                   {"event", true},
                                   {"dry-run", false},
                                   {"skip-duplicates", false},
                                   {"template", true},
                                   {"format", true},
                                   {"out", true},
                                   {"json", false},
                                   {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf(
            "usage: duijie import --kind achievements|needs|orgs|events|participants|intentions "
            "FILE\n"
            "                     [--event ID] [--dry-run] [--skip-duplicates] [--json] [--db "
            "PATH]\n"
            "       duijie import --template KIND [--format xlsx|csv] [--out FILE]\n\n"
            "FILE is .xlsx (first sheet), .csv (UTF-8 with or without BOM, or GB18030: detected),\n"
            ".json or .jsonl (the API's field names; \"-\" reads JSON from stdin). Spreadsheet\n"
            "headers may be Chinese or English (成果名称, 标题 or title …; see the template), "
            "values\n"
            "codes or labels (转让, 已发布, 生物医药/药物研发, TRL 5, 面议, 是/否). Participants "
            "go into\n"
            "the event --event ID; import organizations before listings and events, and those\n"
            "before intentions. Intentions (CSV or XLSX only) name their organizations, "
            "achievement,\n"
            "need and event by name or title; the recorded stage is written as it stands once its\n"
            "contract (signed and later) or termination reason checks out; source stays, the 1:1\n"
            "meeting link does not (it is another installation's); an intention for an event gets\n"
            "its six-month follow-up, due six months after the event. One\n"
            "transaction: any bad row writes nothing; every bad row is listed with its row number\n"
            "(as Excel shows it), column and reason (every bad cell of the row).\n"
            "Rows are read and written one at a time. --dry-run checks and writes nothing. Likely\n"
            "duplicates (same title and organization in the database or earlier in the file;\n"
            "near-identical text to a published listing, by the search engine, for files up to\n"
            "20,000 rows) are flagged, and left out with --skip-duplicates. Listings default to\n"
            "status published. --json prints the report as JSON. Exit 1 when any row is bad.\n"
            "--template writes the empty template of KIND (XLSX with a notes sheet, or CSV).\n");
        return EXIT_OK;
    }
    const char *tpl = cli_get(&a, "template");
    if (tpl) {
        const char *fmt = cli_get(&a, "format") ? cli_get(&a, "format") : "xlsx";
        if (a.npos || !import_kind_valid(tpl) || (!str_eq(fmt, "xlsx") && !str_eq(fmt, "csv"))) {
            fprintf(stderr, "duijie: import --template "
                            "achievements|needs|orgs|events|participants|intentions "
                            "[--format xlsx|csv] [--out FILE]\n");
            return EXIT_USAGE;
        }
        store *s;
        dctx c;
        if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
        err e = {0};
        buf out = {0};
        int rc = EXIT_OK;
        if (import_template(&c, tpl, fmt, &out, &e))
            rc = cli_fail(&e);
        else if (!write_out(cli_get(&a, "out"), &out))
            rc = EXIT_FAIL;
        buf_free(&out);
        cli_close(s, &c);
        return rc;
    }
    const char *kind = cli_get(&a, "kind");
    if (!kind || a.npos != 1) {
        fprintf(stderr, "duijie: import needs --kind and one FILE (see --help)\n");
        return EXIT_USAGE;
    }
    if (!import_kind_valid(kind)) {
        fprintf(stderr, "duijie: --kind must be achievements, needs, orgs, events, participants or "
                        "intentions\n");
        return EXIT_USAGE;
    }
    int64_t event_id = 0;
    if (cli_get(&a, "event") && !str_to_i64(cli_get(&a, "event"), 1, INT64_MAX, &event_id)) {
        fprintf(stderr, "duijie: --event must be an event id\n");
        return EXIT_USAGE;
    }
    if (str_eq(kind, "participants") && !event_id) {
        fprintf(stderr, "duijie: participants are imported into an event: give --event ID\n");
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
    import_options o = {.kind = kind,
                        .event_id = event_id,
                        .dry_run = cli_get(&a, "dry-run") != NULL,
                        .skip_duplicates = cli_get(&a, "skip-duplicates") != NULL};
    const char *name = str_eq(a.pos[0], "-") ? "stdin.json" : a.pos[0];
    /* listings: the import starts the search index for the near-duplicate check when the file
     * is small enough (IMPORT_SIMILAR_MAX_ROWS), and it is stopped at the end */
    bool listings = str_eq(kind, "achievements") || str_eq(kind, "needs");
    o.similar = listings;
    import_report r = {0};
    err_code rc = import_file(&c, &o, name, text, len, &r, &e);
    int exit_code = EXIT_OK;
    if (cli_get(&a, "json") && (!rc || r.nrows)) {
        json_t *j = import_report_to_json(&r, -1);
        char *str = json_dumps(j, JSON_INDENT(1));
        printf("%s\n", str);
        free(str);
        json_decref(j);
    } else if (!rc || r.nrows) {
        print_report(&r, kind);
    }
    if (rc)
        exit_code = cli_fail(&e);
    else if (r.nbad)
        exit_code = EXIT_FAIL;
    if (listings) matching_stop();
    free(text);
    cli_close(s, &c);
    return exit_code;
}

int cmd_export(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true},  {"kind", true},  {"format", true},
                                   {"out", true}, {"event", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf(
            "usage: duijie export --kind achievements|needs|orgs|participants|events|intentions\n"
            "                     [--format xlsx|csv|json|jsonl] [--event ID] [--out FILE]\n"
            "                     [--db PATH]\n\n"
            "Writes every row, in every state, to stdout or FILE (JSON by default). XLSX and CSV\n"
            "(UTF-8 with BOM) use the import's Chinese headers and labels, so `duijie import`\n"
            "reads an export back as the same data; participants are those of --event ID.\n");
        return EXIT_OK;
    }
    const char *fmt = cli_get(&a, "format") ? cli_get(&a, "format") : "json";
    const char *kind = cli_get(&a, "kind");
    if (!kind || a.npos || !export_kind_valid(kind) ||
        (!str_eq(fmt, "json") && !str_eq(fmt, "jsonl") && !str_eq(fmt, "csv") &&
         !str_eq(fmt, "xlsx"))) {
        fprintf(stderr, "duijie: export needs --kind KIND, and --format xlsx, csv, json or jsonl "
                        "(see --help)\n");
        return EXIT_USAGE;
    }
    int64_t event_id = 0;
    if (cli_get(&a, "event") && !str_to_i64(cli_get(&a, "event"), 1, INT64_MAX, &event_id)) {
        fprintf(stderr, "duijie: --event must be an event id\n");
        return EXIT_USAGE;
    }
    if (str_eq(kind, "participants") && !event_id) {
        fprintf(stderr, "duijie: participants belong to an event: give --event ID\n");
        return EXIT_USAGE;
    }
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    err e = {0};
    buf out = {0};
    int rc = EXIT_OK;
    if (export_kind(&c, kind, event_id, fmt, &out, &e))
        rc = cli_fail(&e);
    else if (!write_out(cli_get(&a, "out"), &out))
        rc = EXIT_FAIL;
    buf_free(&out);
    cli_close(s, &c);
    return rc;
}
