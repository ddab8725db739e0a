/* cmd_event.c — `duijie event list` and `duijie event show ID`: events from the command line. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: duijie event list [--db PATH]\n"
               "       duijie event show ID [--db PATH]\n\n"
               "list: every event (drafts too) with date, status and registration counts.\n"
               "show: one event with its co-organizers, agenda and counts per participant "
               "category.\n");
    return rc;
}

static int event_show(dctx *c, int64_t id)
{
    err e = {0};
    event_rec ev;
    event_org_rec *orgs;
    agenda_rec *s;
    event_count_rec *cs;
    int norgs, ns, nc;
    if (event_get(c, id, &ev, &e) || store_event_orgs_list(c->db, c->a, id, &orgs, &norgs, &e) ||
        agenda_list(c, id, &s, &ns, &e) || event_counts(c, id, &cs, &nc, &e))
        return cli_fail(&e);
    printf("event %lld: %s\n", (long long)ev.id, ev.title);
    if (*ev.title_en) printf("  title (en):   %s\n", ev.title_en);
    printf("  status:       %s\n", ev.status);
    printf("  when:         %s %s–%s (Asia/Shanghai)\n", ev.date, ev.start_time, ev.end_time);
    printf("  venue:        %s\n", ev.venue);
    size_t fl = strlen(ev.fields);
    printf("  fields:       %.*s\n", fl > 2 ? (int)fl - 2 : 0, ev.fields + 1);
    if (ev.capacity)
        printf("  capacity:     %lld\n", (long long)ev.capacity);
    else
        printf("  capacity:     unlimited\n");
    printf("  deadline:     %s\n", *ev.reg_deadline ? ev.reg_deadline : "until the event ends");
    printf("  approval:     %s\n", ev.needs_approval ? "required" : "not required");
    printf("  co-organizers:\n");
    for (int i = 0; i < norgs; i++)
        printf("    %-6lld %s\n", (long long)orgs[i].org_id, orgs[i].name);
    printf("  agenda:\n");
    for (int i = 0; i < ns; i++)
        printf("    %s–%s  %-11s %s\n", s[i].start_time, s[i].end_time, s[i].kind, s[i].title);
    printf("  registrations:  %-11s %10s %8s %8s %8s %10s\n", "category", "registered", "pending",
           "approved", "rejected", "checked in");
    event_count_rec tot = {.category = "total"};
    for (int i = 0; i < nc; i++) {
        printf("                  %-11s %10lld %8lld %8lld %8lld %10lld\n", cs[i].category,
               (long long)cs[i].registered, (long long)cs[i].pending, (long long)cs[i].approved,
               (long long)cs[i].rejected, (long long)cs[i].checked_in);
        tot.registered += cs[i].registered;
        tot.pending += cs[i].pending;
        tot.approved += cs[i].approved;
        tot.rejected += cs[i].rejected;
        tot.checked_in += cs[i].checked_in;
    }
    printf("                  %-11s %10lld %8lld %8lld %8lld %10lld\n", tot.category,
           (long long)tot.registered, (long long)tot.pending, (long long)tot.approved,
           (long long)tot.rejected, (long long)tot.checked_in);
    return EXIT_OK;
}

static int event_list_all(dctx *c)
{
    err e = {0};
    event_rec *evs;
    int n;
    if (event_list(c, &evs, &n, &e)) return cli_fail(&e);
    printf("%-6s %-10s %-11s %-9s %8s  %s\n", "id", "date", "time", "status", "regs", "title");
    for (int i = 0; i < n; i++) {
        event_count_rec *cs;
        int nc;
        if (event_counts(c, evs[i].id, &cs, &nc, &e)) return cli_fail(&e);
        int64_t regs = 0;
        for (int k = 0; k < nc; k++)
            regs += cs[k].registered;
        printf("%-6lld %-10s %s–%s %-9s %8lld  %s\n", (long long)evs[i].id, evs[i].date,
               evs[i].start_time, evs[i].end_time, evs[i].status, (long long)regs, evs[i].title);
    }
    return EXIT_OK;
}

int cmd_event(int argc, char **argv)
{
    static const cli_opt opts[] = {{"db", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) return usage(stdout, EXIT_OK);
    bool list = a.npos == 1 && str_eq(a.pos[0], "list");
    bool show = a.npos == 2 && str_eq(a.pos[0], "show");
    int64_t id = 0;
    if (!list && !show) return usage(stderr, EXIT_USAGE);
    if (show && !str_to_i64(a.pos[1], 1, INT64_MAX, &id))
        return fprintf(stderr, "duijie: ID must be a positive number\n"), EXIT_USAGE;
    store *s;
    dctx c;
    if (!cli_open(&a, &s, &c)) return EXIT_FAIL;
    int rc = show ? event_show(&c, id) : event_list_all(&c);
    cli_close(s, &c);
    return rc;
}
