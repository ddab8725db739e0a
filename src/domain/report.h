/* report.h — event and overall reports (domain/report.c): the news-release summary paragraph
 * and the report data the faces hand to the layout layer (src/report/). Free of SQL and HTTP. */
#ifndef DUIJIE_DOMAIN_REPORT_H
#define DUIJIE_DOMAIN_REPORT_H

#include "domain/domain.h"
#include "report/report.h"

/* A paragraph in the style of an official news release (新闻通稿) summing up the statistics s of
 * the event ev (NULL = overall, then the period of s, if any, opens the paragraph), in lang
 * ("zh-CN", anything else = English). Every number comes from s; clauses whose figure is zero
 * are left out; with no figure at all the paragraph says that nothing is recorded yet. Returns
 * an arena-owned string (never NULL). */
const char *report_summary(arena *a, const event_rec *ev, const stats_view *s, const char *lang);

/* Looks up a message of the catalogs (web/i18n) by language and key; the faces pass i18n_get. */
typedef const char *(*report_tr)(const char *lang, const char *key);

/* Fills d with everything a report of event_id (0 = overall) in the period from..to (either NULL
 * or "" = open) shows, in lang, labels through tr: cover facts, the summary paragraph, charts and
 * the tables (funnel with definitions, by field, by organization type, by region, attendance, by
 * month, and for an event the roadshow ranking and the participants; the intentions). With a
 * period, the intentions are those recorded or signed in it, and the ranking and participants
 * appear only when the event's date is in it, as the statistics count them. Staff only
 * (ERR_UNAUTH, ERR_FORBIDDEN), like stats_compute; ERR_NOT_FOUND for an unknown event,
 * ERR_INVALID for a bad period. Everything lives in c->a. */
err_code report_build(dctx *c, int64_t event_id, const char *from, const char *to, const char *lang,
                      report_tr tr, report_data *d, err *e);

/* A file name for the report: "duijie-report-event-7-20261129.pdf" or
 * "duijie-report-overall-20261129.xlsx" (ext without the dot; arena-owned, ASCII). */
const char *report_filename(arena *a, int64_t event_id, const char *ext);

#endif
