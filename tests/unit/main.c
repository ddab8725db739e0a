/* main.c — runs every registered unit test and prints one line per test, then the totals.
 *
 * usage: unit [SUBSTRING]   runs only the tests whose name contains SUBSTRING.
 * Output: "ok NAME" or "not ok NAME: file:line: expr"; the last line is exactly
 * "N passed, N failed". Exit status 1 when any test failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

enum { MAX_TESTS = 1024 };

static struct {
    const char *name;
    test_fn fn;
} tests[MAX_TESTS];
static int ntests;

/* The running test's first failure; failed stays false while every check passes. */
static bool failed;
static char failure[512];

void test_register(const char *name, test_fn fn)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "unit: more than %d tests\n", MAX_TESTS);
        abort();
    }
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    ntests++;
}

static bool record(bool ok, const char *file, int line, const char *expr, const char *detail)
{
    if (ok || failed) return ok;
    failed = true;
    const char *base = strrchr(file, '/');
    snprintf(failure, sizeof failure, "%s:%d: %s%s", base ? base + 1 : file, line, expr,
             detail ? detail : "");
    return ok;
}

bool test_check(bool ok, const char *file, int line, const char *expr)
{
    return record(ok, file, line, expr, NULL);
}

bool test_check_str(const char *got, const char *want, const char *file, int line, const char *expr)
{
    bool ok = (!got && !want) || (got && want && strcmp(got, want) == 0);
    char detail[300];
    snprintf(detail, sizeof detail, " (got \"%.120s\", want \"%.120s\")", got ? got : "(null)",
             want ? want : "(null)");
    return record(ok, file, line, expr, detail);
}

bool test_check_int(long long got, long long want, const char *file, int line, const char *expr)
{
    char detail[80];
    snprintf(detail, sizeof detail, " (got %lld, want %lld)", got, want);
    return record(got == want, file, line, expr, detail);
}

int main(int argc, char **argv)
{
    log_quiet = true; /* migrations log each step; the test output is the report */
    const char *only = argc > 1 ? argv[1] : NULL;
    int passed = 0, nfailed = 0;
    for (int i = 0; i < ntests; i++) {
        if (only && !strstr(tests[i].name, only)) continue;
        failed = false;
        failure[0] = 0;
        tests[i].fn();
        if (failed) {
            printf("not ok %s: %s\n", tests[i].name, failure);
            nfailed++;
        } else {
            printf("ok %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, nfailed);
    return nfailed ? 1 : 0;
}
