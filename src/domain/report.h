/* report.h — event and overall reports (domain/report.c): the news-release summary paragraph
 * and the report data the faces hand to the layout layer (src/report/). Free of SQL and HTTP. */
#ifndef DUIJIE_DOMAIN_REPORT_H
#define DUIJIE_DOMAIN_REPORT_H

#include "domain/domain.h"

/* A paragraph in the style of an official news release (新闻通稿) summing up the statistics s of
 * the event ev (NULL = overall, then the period of s, if any, opens the paragraph), in lang
 * ("zh-CN", anything else = English). Every number comes from s; clauses whose figure is zero
 * are left out; with no figure at all the paragraph says that nothing is recorded yet. Returns
 * an arena-owned string (never NULL). */
const char *report_summary(arena *a, const event_rec *ev, const stats_view *s, const char *lang);

#endif
