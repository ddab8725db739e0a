/* cmd_schedule.c — `duijie schedule`: the meeting scheduler on its own, JSON in and out (the
 * format is in the events issue and in --help). Also checks a given answer (--check). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "sched/sched.h"

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Reads an optional integer member into *out (unchanged when absent); false when present but
 * not an integer in [lo, hi]. */
static bool jint(json_t *o, const char *k, long long lo, long long hi, long long *out)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v)) return true;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return false;
    *out = json_integer_value(v);
    return true;
}

static json_t *load(const char *path, err *e)
{
    json_error_t je;
    json_t *root = str_eq(path, "-") ? json_loadf(stdin, 0, &je) : json_load_file(path, 0, &je);
    if (!root) {
        err_set(e, ERR_INVALID, NULL, NULL, "%s:%d: %s", path, je.line, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        err_set(e, ERR_INVALID, NULL, NULL, "%s: expected a JSON object", path);
        return NULL;
    }
    return root;
}

/* Builds the problem from the instance object; errors name the item at fault. */
static sched_problem *build(arena *a, json_t *root, err *e)
{
    long long tables = 0;
    if (!json_object_get(root, "tables") || !jint(root, "tables", 1, SCHED_MAX_TABLES, &tables))
        return err_set(e, ERR_INVALID, "tables", NULL, "\"tables\" must be an integer from 1 to %d",
                       SCHED_MAX_TABLES),
               NULL;
    static const char *lists[] = {"slots", "participants", "meetings"};
    for (size_t i = 0; i < ARRAY_LEN(lists); i++)
        if (!json_is_array(json_object_get(root, lists[i])))
            return err_set(e, ERR_INVALID, lists[i], NULL, "\"%s\" must be an array", lists[i]),
                   NULL;
    sched_problem *p = sched_new(a, (int)tables);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(root, "slots"), i, o)
    {
        json_t *sess = json_object_get(o, "session");
        if (!json_is_object(o) || !jstr(o, "id") || (sess && !json_is_string(sess)))
            return err_set(e, ERR_INVALID, "slots", NULL,
                           "slots[%zu]: needs a string \"id\" and an optional string \"session\"",
                           i),
                   NULL;
        if (sched_add_slot(p, jstr(o, "id"), jstr(o, "session"), e)) return NULL;
    }
    json_array_foreach(json_object_get(root, "participants"), i, o)
    {
        long long max = -1;
        json_t *un = json_object_get(o, "unavailable");
        if (!json_is_object(o) || !jstr(o, "id"))
            return err_set(e, ERR_INVALID, "participants", NULL,
                           "participants[%zu]: needs a string \"id\"", i),
                   NULL;
        const char *id = jstr(o, "id");
        if (!jint(o, "max_meetings", 0, 1000000, &max))
            return err_set(e, ERR_INVALID, id, NULL,
                           "participant \"%s\": max_meetings must be a non-negative integer", id),
                   NULL;
        if (un && !json_is_array(un))
            return err_set(e, ERR_INVALID, id, NULL,
                           "participant \"%s\": unavailable must be an array of slot ids", id),
                   NULL;
        if (sched_add_participant(p, id, (int)max, e)) return NULL;
        size_t k;
        json_t *sl;
        json_array_foreach(un, k, sl)
        {
            if (!json_is_string(sl))
                return err_set(e, ERR_INVALID, id, NULL,
                               "participant \"%s\": unavailable must be an array of slot ids", id),
                       NULL;
            if (sched_add_unavailable(p, id, json_string_value(sl), e)) return NULL;
        }
    }
    json_array_foreach(json_object_get(root, "meetings"), i, o)
    {
        if (!json_is_object(o) || !jstr(o, "id"))
            return err_set(e, ERR_INVALID, "meetings", NULL, "meetings[%zu]: needs a string \"id\"",
                           i),
                   NULL;
        const char *id = jstr(o, "id");
        if (!jstr(o, "a") || !jstr(o, "b"))
            return err_set(e, ERR_INVALID, id, NULL,
                           "meeting \"%s\": needs participant ids \"a\" and \"b\"", id),
                   NULL;
        json_t *w = json_object_get(o, "weight"), *fx = json_object_get(o, "fixed");
        if (w && !json_is_null(w) && !json_is_number(w))
            return err_set(e, ERR_INVALID, id, NULL, "meeting \"%s\": weight must be a number", id),
                   NULL;
        const char *fslot = NULL;
        long long ftable = 0;
        if (fx && !json_is_null(fx)) {
            if (!json_is_object(fx) || !jstr(fx, "slot"))
                return err_set(e, ERR_INVALID, id, NULL,
                               "meeting \"%s\": fixed must be {\"slot\": ID, \"table\": N}", id),
                       NULL;
            fslot = jstr(fx, "slot");
            if (!jint(fx, "table", 1, tables, &ftable))
                return err_set(e, ERR_INVALID, id, NULL,
                               "meeting \"%s\": fixed table is out of range 1..%lld", id, tables),
                       NULL;
        }
        double wt = w && !json_is_null(w) ? json_number_value(w) : 1.0;
        if (sched_add_meeting(p, id, jstr(o, "a"), jstr(o, "b"), wt, fslot, (int)ftable, e))
            return NULL;
    }
    return p;
}

/* Appends s as a JSON string literal. */
static void put_jstr(buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

static void put_answer(buf *b, const sched_problem *p, const sched_answer *ans,
                       const sched_stats *st, double secs)
{
    int n = sched_meeting_count(p);
    buf_puts(b, "{\"assignments\": [");
    bool first = true;
    for (int m = 0; m < n; m++) {
        if (ans->slot[m] < 0) continue;
        buf_puts(b, first ? "\n  {\"meeting\": " : ",\n  {\"meeting\": ");
        put_jstr(b, sched_meeting_id(p, m));
        buf_puts(b, ", \"slot\": ");
        put_jstr(b, sched_slot_id(p, ans->slot[m]));
        buf_printf(b, ", \"table\": %d}", ans->table[m]);
        first = false;
    }
    buf_puts(b, "],\n \"unscheduled\": [");
    first = true;
    for (int m = 0; m < n; m++) {
        if (ans->slot[m] >= 0) continue;
        if (!first) buf_puts(b, ", ");
        put_jstr(b, sched_meeting_id(p, m));
        first = false;
    }
    buf_printf(b,
               "],\n \"stats\": {\"scheduled\": %d, \"weight\": %.15g, \"idle_gaps\": %ld, "
               "\"seconds\": %.3f}}\n",
               st->scheduled, st->weight, st->idle_gaps, secs);
}

/* Reads an answer file into ans: every meeting exactly once, assigned or unscheduled. */
static err_code read_answer(const sched_problem *p, const char *path, sched_answer *ans, err *e)
{
    json_t *root = load(path, e);
    if (!root) return ERR_INVALID;
    int n = sched_meeting_count(p);
    err_code rc = ERR_OK;
    char *seen = xcalloc((size_t)n + 1, 1);
    json_t *as = json_object_get(root, "assignments"), *un = json_object_get(root, "unscheduled");
    if (!json_is_array(as) || !json_is_array(un)) {
        rc = err_set(e, ERR_INVALID, NULL, NULL,
                     "%s: needs arrays \"assignments\" and \"unscheduled\"", path);
        goto free_root;
    }
    size_t i;
    json_t *o;
    json_array_foreach(as, i, o)
    {
        const char *mid = jstr(o, "meeting"), *sid = jstr(o, "slot");
        int m = mid ? sched_meeting_find(p, mid) : -1, s = sid ? sched_slot_find(p, sid) : -1;
        long long t = 0;
        if (m < 0 || s < 0 || !json_is_integer(json_object_get(o, "table")) ||
            !jint(o, "table", -(1LL << 40), 1LL << 40, &t)) {
            rc = err_set(e, ERR_INVALID, NULL, NULL,
                         "assignments[%zu]: unknown meeting or slot, or no integer table", i);
            goto free_root;
        }
        if (seen[m]++) {
            rc = err_set(e, ERR_INVALID, mid, NULL, "meeting \"%s\" is listed twice", mid);
            goto free_root;
        }
        ans->slot[m] = s;
        ans->table[m] = t < -1000000 || t > 1000000000 ? -1 : (int)t;
    }
    json_array_foreach(un, i, o)
    {
        const char *mid = json_string_value(o);
        int m = mid ? sched_meeting_find(p, mid) : -1;
        if (m < 0) {
            rc = err_set(e, ERR_INVALID, NULL, NULL, "unscheduled[%zu]: unknown meeting", i);
            goto free_root;
        }
        if (seen[m]++) {
            rc = err_set(e, ERR_INVALID, mid, NULL, "meeting \"%s\" is listed twice", mid);
            goto free_root;
        }
    }
    for (int m = 0; m < n; m++)
        if (!seen[m]) {
            rc = err_set(e, ERR_INVALID, NULL, NULL,
                         "meeting \"%s\" is neither assigned nor unscheduled",
                         sched_meeting_id(p, m));
            goto free_root;
        }
free_root:
    free(seen);
    json_decref(root);
    return rc;
}

int cmd_schedule(int argc, char **argv)
{
    static const cli_opt opts[] = {{"in", true}, {"out", true}, {"check", true}, {0}};
    cli_args a;
    if (!cli_parse(argc, argv, opts, &a)) return EXIT_USAGE;
    if (a.help) {
        printf(
            "usage: duijie schedule --in INSTANCE.json [--out ANSWER.json]\n"
            "       duijie schedule --in INSTANCE.json --check ANSWER.json\n\n"
            "Places 1:1 meetings into time slots and tables: the most total weight first, then\n"
            "the fewest idle gaps (empty slots between a participant's first and last meeting\n"
            "of a session). \"-\" reads stdin; without --out the answer goes to stdout.\n\n"
            "instance: {\"slots\": [{\"id\": \"s1\", \"session\": \"am\"}, ...],  (in time order)\n"
            "           \"tables\": 30,\n"
            "           \"participants\": [{\"id\": \"p1\", \"unavailable\": [\"s4\"], "
            "\"max_meetings\": 8}, ...],\n"
            "           \"meetings\": [{\"id\": \"m1\", \"a\": \"p1\", \"b\": \"p2\", "
            "\"weight\": 2, \"fixed\": {\"slot\": \"s3\", \"table\": 4}}, ...]}\n"
            "           (unavailable, max_meetings, weight (default 1), fixed and its table "
            "are optional)\n"
            "answer:   {\"assignments\": [{\"meeting\": \"m1\", \"slot\": \"s3\", \"table\": 4}, "
            "...],\n"
            "           \"unscheduled\": [\"m9\", ...],\n"
            "           \"stats\": {\"scheduled\", \"weight\", \"idle_gaps\", \"seconds\"}}\n\n"
            "--check validates a given answer against the instance instead of solving.\n"
            "Exit status: 0 success, 1 bad instance or answer, 2 usage error.\n");
        return EXIT_OK;
    }
    const char *in = cli_get(&a, "in"), *out = cli_get(&a, "out"), *check = cli_get(&a, "check");
    if (!in || a.npos || (check && out)) {
        fprintf(stderr, "duijie: schedule needs --in, and --out or --check (see --help)\n");
        return EXIT_USAGE;
    }
    err e = {0};
    int rc = EXIT_OK;
    arena *ar = arena_new();
    json_t *root = load(in, &e);
    sched_problem *p = root ? build(ar, root, &e) : NULL;
    if (!p) {
        rc = cli_fail(&e);
        goto free_all;
    }
    sched_answer ans;
    if (check) {
        ans = sched_answer_new(p, ar);
        if (sched_check(p, &e) || read_answer(p, check, &ans, &e)) {
            rc = cli_fail(&e);
            goto free_all;
        }
        const char *bad = sched_validate(p, &ans, ar);
        if (bad) {
            fprintf(stderr, "duijie: invalid answer: %s\n", bad);
            rc = EXIT_FAIL;
            goto free_all;
        }
        sched_stats st = sched_stats_of(p, &ans);
        printf("valid: scheduled %d of %d, weight %.15g, idle_gaps %ld\n", st.scheduled,
               sched_meeting_count(p), st.weight, st.idle_gaps);
        goto free_all;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sched_solve(p, ar, &ans, &e)) {
        rc = cli_fail(&e);
        goto free_all;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    const char *bad = sched_validate(p, &ans, ar); /* defensive: never write an invalid answer */
    if (bad) {
        fprintf(stderr, "duijie: internal error, invalid schedule: %s\n", bad);
        rc = EXIT_FAIL;
        goto free_all;
    }
    sched_stats st = sched_stats_of(p, &ans);
    buf b = {0};
    put_answer(&b, p, &ans, &st, secs);
    FILE *f = out && !str_eq(out, "-") ? fopen(out, "wb") : stdout;
    if (!f || fwrite(b.s, 1, b.len, f) != b.len || (f != stdout && fclose(f))) {
        fprintf(stderr, "duijie: cannot write %s\n", out ? out : "stdout");
        rc = EXIT_FAIL;
    } else if (f != stdout) {
        printf("scheduled %d of %d meetings, weight %.15g, %ld idle gaps, %.3f s\n", st.scheduled,
               sched_meeting_count(p), st.weight, st.idle_gaps, secs);
    }
    buf_free(&b);
free_all:
    json_decref(root);
    arena_free(ar);
    return rc;
}
