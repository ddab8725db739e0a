/* err.c — error values and the log. */
#include "base/base.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

bool log_quiet;

err_code err_set(err *e, err_code code, const char *field, const char *key, const char *fmt, ...)
{
    if (!e) return code;
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    snprintf(e->key, sizeof e->key, "%s", key ? key : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *err_code_name(err_code c)
{
    static const char *names[] = {"ok",        "invalid",  "unauthorized",      "forbidden",
                                  "not_found", "conflict", "payload_too_large", "rate_limited",
                                  "internal"};
    return c < ARRAY_LEN(names) ? names[c] : "internal";
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_line(const char *level, const char *fmt, va_list ap)
{
    char ts[21];
    time_now_iso(ts);
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "%s %s ", ts, level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&log_lock);
}

void log_info(const char *fmt, ...)
{
    if (log_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    log_line("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("error", fmt, ap);
    va_end(ap);
}
