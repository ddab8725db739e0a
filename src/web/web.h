/* web.h — the HTTP face: pages, JSON API, sessions. Entry point for `duijie serve`. */
#ifndef DUIJIE_WEB_H
#define DUIJIE_WEB_H

#include "base/base.h"

typedef struct {
    const char *db_url;
    const char *listen;    /* "ADDR:PORT" */
    int threads;           /* worker threads (and DB connections) */
    bool secure_cookies;   /* set Secure on cookies (behind TLS) */
    bool trust_proxy;      /* client IP from the last X-Forwarded-For hop (behind a proxy) */
    unsigned per_ip_limit; /* concurrent connections per client IP */
    unsigned conn_timeout; /* seconds of inactivity before a connection is closed */
    size_t max_body;       /* bytes */
} web_config;

/* Serves until SIGINT/SIGTERM. Returns 0 on clean shutdown, 1 with a message on stderr. */
int web_serve(const web_config *cfg);

/* ---- reports (issue 5): the message catalogs for `duijie report` (defined in i18n.c) ---- */
/* The message of key in lang ("en", else Chinese), falling back to Chinese, then to key. */
const char *i18n_get(const char *lang, const char *key);

#endif
