/* event_ics.c — an event's agenda as iCalendar (RFC 5545), built with libical. Times are sent
 * in UTC (event wall-clock time minus EVENT_TZ_OFFSET): every calendar reads them right without
 * a VTIMEZONE block, and China has no daylight saving to get wrong. */
#include <libical/ical.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/domain.h"

/* date "YYYY-MM-DD" + "HH:MM" in the events' zone → UTC time for libical. */
static struct icaltimetype utc_time(const char *date, const char *hhmm)
{
    struct tm tm = {0};
    sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    sscanf(hhmm, "%2d:%2d", &tm.tm_hour, &tm.tm_min);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) - EVENT_TZ_OFFSET;
    return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

err_code event_agenda_ics(dctx *c, int64_t event_id, const char **out, err *e)
{
    event_rec ev;
    agenda_rec *s;
    int n;
    if (event_get(c, event_id, &ev, e) || agenda_list(c, event_id, &s, &n, e)) return e->code;
    event_org_rec *orgs;
    int norgs;
    if (store_event_orgs_list(c->db, c->a, event_id, &orgs, &norgs, e)) return e->code;

    icalcomponent *cal =
        icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                            icalproperty_new_prodid("-//duijie//events " DUIJIE_VERSION "//ZH"),
                            icalproperty_new_calscale("GREGORIAN"),
                            icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
    icalproperty *name = icalproperty_new_x(ev.title);
    icalproperty_set_x_name(name, "X-WR-CALNAME");
    icalcomponent_add_property(cal, name);

    buf orgnames = {0};
    for (int i = 0; i < norgs; i++)
        buf_printf(&orgnames, "%s%s", i ? "、" : "", orgs[i].name);
    struct icaltimetype stamp =
        icaltime_from_timet_with_zone(time(NULL), 0, icaltimezone_get_utc_timezone());
    for (int i = 0; i < n; i++) {
        icalcomponent *v = icalcomponent_new_vevent();
        char uid[96];
        snprintf(uid, sizeof uid, "event-%lld-session-%lld@duijie", (long long)event_id,
                 (long long)s[i].id);
        icalcomponent_add_property(v, icalproperty_new_uid(uid));
        icalcomponent_add_property(v, icalproperty_new_dtstamp(stamp));
        icalcomponent_add_property(v, icalproperty_new_dtstart(utc_time(ev.date, s[i].start_time)));
        icalcomponent_add_property(v, icalproperty_new_dtend(utc_time(ev.date, s[i].end_time)));
        const char *summary =
            *s[i].title_en ? arena_printf(c->a, "%s / %s", s[i].title, s[i].title_en) : s[i].title;
        icalcomponent_add_property(v, icalproperty_new_summary(summary));
        const char *where =
            *s[i].place ? arena_printf(c->a, "%s, %s", ev.venue, s[i].place) : ev.venue;
        icalcomponent_add_property(v, icalproperty_new_location(where));
        buf desc = {0};
        buf_printf(&desc, "%s", ev.title);
        if (*s[i].speakers) buf_printf(&desc, "\n%s", s[i].speakers);
        if (orgnames.len) buf_printf(&desc, "\n%s", orgnames.s);
        icalcomponent_add_property(v, icalproperty_new_description(desc.s));
        buf_free(&desc);
        icalproperty *cat = icalproperty_new_categories(s[i].kind);
        icalcomponent_add_property(v, cat);
        icalcomponent_add_component(cal, v);
    }
    buf_free(&orgnames);
    char *text = icalcomponent_as_ical_string_r(cal);
    *out = arena_strdup(c->a, text ? text : "");
    icalmemory_free_buffer(text);
    icalcomponent_free(cal);
    if (!**out) return err_set(e, ERR_INTERNAL, NULL, NULL, "libical produced no calendar");
    return ERR_OK;
}
