/* report.c — reports of an event or of the whole platform: the summary paragraph in the style of
 * an official news release (新闻通稿), in Chinese and in English. Every number in the paragraph
 * comes from the stats_view it is given (definitions in stats.c); a clause whose figure is zero
 * is left out. */
#include <stdio.h>
#include <string.h>

#include "domain/report.h"

static bool is_zh(const char *lang)
{
    return lang && str_starts(lang, "zh");
}

/* "2026-11-29" → "2026年11月29日" (zh) or "29 November 2026" (en); other text as it is. */
static const char *date_text(arena *a, const char *d, bool zh)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, dd;
    if (!d || sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) != 3 || m < 1 || m > 12 || dd < 1 || dd > 31)
        return d ? d : "";
    if (zh) return arena_printf(a, "%d年%d月%d日", y, m, dd);
    return arena_printf(a, "%d %s %d", dd, months[m - 1], y);
}

/* 5000 hundredths of 万元 → "500,000" yuan. */
static const char *yuan_text(arena *a, int64_t centi)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)centi * 100);
    size_t n = strlen(digits);
    char out[48];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    return arena_strdup(a, out);
}

/* "1 contract" / "2 contracts" */
static const char *count_en(arena *a, int64_t n, const char *one, const char *many)
{
    return arena_printf(a, "%lld %s", (long long)n, n == 1 ? one : many);
}

static const char *const cat_zh[] = {"高校", "科研院所", "企业", "政府部门", NULL};
static const char *const cat_en[] = {"universities", "research institutes", "enterprises",
                                     "government bodies", NULL};
static const char *const cat_code[] = {"university", "institute", "enterprise", "government"};

/* The categories with people checked in, as "高校、科研院所" or "universities and enterprises";
 * "" when none of the four named categories has anyone. */
static const char *who_text(arena *a, const stats_view *s, bool zh)
{
    const char *names[4];
    int n = 0;
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < s->nattendance; i++)
            if (str_eq(s->attendance[i].category, cat_code[k]) && s->attendance[i].checked_in > 0)
                names[n++] = zh ? cat_zh[k] : cat_en[k];
    buf b = {0};
    for (int i = 0; i < n; i++) {
        if (i) buf_puts(&b, zh ? "、" : (i == n - 1 ? (n > 2 ? ", and " : " and ") : ", "));
        buf_puts(&b, names[i]);
    }
    const char *r = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return r;
}

static const char *summary_zh(arena *a, const event_rec *ev, const stats_view *s)
{
    buf b = {0};
    int64_t c = s->v[STATS_COLLECTED], d = s->v[STATS_DISPLAYED], p = s->v[STATS_PROMOTED];
    int64_t in = s->v[STATS_INTENTIONS], k = s->v[STATS_CONTRACTS];
    if (ev) {
        buf_printf(&b, "%s，%s", date_text(a, ev->date, true), ev->title);
        if (ev->venue && *ev->venue) buf_printf(&b, "在%s", ev->venue);
        buf_puts(&b, "举办。");
        if (s->checked_in > 0) {
            const char *who = who_text(a, s, true);
            if (*who)
                buf_printf(&b, "来自%s等单位的%lld名代表参加活动。", who, (long long)s->checked_in);
            else
                buf_printf(&b, "共%lld名代表参加活动。", (long long)s->checked_in);
        } else if (s->registered > 0) {
            buf_printf(&b, "共%lld人报名参加活动。", (long long)s->registered);
        }
    } else {
        if (s->from && s->to)
            buf_printf(&b, "%s至%s，", date_text(a, s->from, true), date_text(a, s->to, true));
        else if (s->from)
            buf_printf(&b, "%s以来，", date_text(a, s->from, true));
        else if (s->to)
            buf_printf(&b, "截至%s，", date_text(a, s->to, true));
        if (s->checked_in > 0)
            buf_printf(&b, "各场对接活动共有%lld名代表签到参会。", (long long)s->checked_in);
    }
    const char *clauses[8];
    int n = 0;
    if (c > 0 && c == d && d == p)
        clauses[n++] = arena_printf(a, "征集、展示、推介科技成果%lld项", (long long)c);
    else {
        if (c > 0 && c == d)
            clauses[n++] = arena_printf(a, "征集、展示科技成果%lld项", (long long)c);
        else if (c > 0) {
            clauses[n++] = arena_printf(a, "征集科技成果%lld项", (long long)c);
            if (d > 0) clauses[n++] = arena_printf(a, "展示%lld项", (long long)d);
        } else if (d > 0)
            clauses[n++] = arena_printf(a, "展示科技成果%lld项", (long long)d);
        if (p > 0) {
            const char *fmt = n ? "遴选%lld项成果进行路演推介" : "路演推介科技成果%lld项";
            clauses[n++] = arena_printf(a, fmt, (long long)p);
        }
    }
    if (s->matched > 0)
        clauses[n++] = arena_printf(a, "%lld项成果与需求方实现对接匹配", (long long)s->matched);
    if (s->held > 0)
        clauses[n++] = arena_printf(a, "组织供需双方一对一洽谈%lld场", (long long)s->held);
    else if (s->accepted > 0)
        clauses[n++] = arena_printf(a, "安排一对一洽谈%lld场", (long long)s->accepted);
    else if (s->requested > 0)
        clauses[n++] = arena_printf(a, "收到一对一洽谈申请%lld项", (long long)s->requested);
    if (in > 0) {
        clauses[n++] = arena_printf(a, "达成初步合作意向%lld项", (long long)in);
        if (k > 0) clauses[n++] = arena_printf(a, "其中签约%lld项", (long long)k);
    } else if (k > 0) {
        clauses[n++] = arena_printf(a, "签订技术合同%lld项", (long long)k);
    }
    if (k > 0 && s->amount_centi > 0)
        clauses[n++] = arena_printf(a, "合同金额%s万元", intention_amount_text(a, s->amount_centi));
    if (n == 0) {
        buf_puts(&b, ev ? "本次对接活动暂无成果征集、洽谈和合作意向记录。"
                        : "平台暂无成果征集、洽谈和合作意向记录。");
    } else {
        buf_puts(&b, ev ? "本次对接活动共" : "平台累计");
        for (int i = 0; i < n; i++) {
            if (i) buf_puts(&b, "，");
            buf_puts(&b, clauses[i]);
        }
        buf_puts(&b, "。");
    }
    const char *r = arena_strdup(a, b.s);
    buf_free(&b);
    return r;
}

static const char *summary_en(arena *a, const event_rec *ev, const stats_view *s)
{
    buf b = {0};
    int64_t c = s->v[STATS_COLLECTED], d = s->v[STATS_DISPLAYED], p = s->v[STATS_PROMOTED];
    int64_t in = s->v[STATS_INTENTIONS], k = s->v[STATS_CONTRACTS];
    const char *subject;
    if (ev) {
        const char *title = ev->title_en && *ev->title_en ? ev->title_en : ev->title;
        bool the = ev->title_en && *ev->title_en && !str_starts(title, "The ") &&
                   !str_starts(title, "the ");
        buf_printf(&b, "On %s, %s%s was held", date_text(a, ev->date, false), the ? "the " : "",
                   title);
        if (ev->venue && *ev->venue) buf_printf(&b, " at %s", ev->venue);
        buf_puts(&b, ".");
        if (s->checked_in > 0) {
            const char *who = who_text(a, s, false);
            buf_printf(&b, " %s", count_en(a, s->checked_in, "participant", "participants"));
            if (*who) buf_printf(&b, " from %s", who);
            buf_puts(&b, " attended.");
        } else if (s->registered > 0) {
            buf_printf(&b, " %s registered.", count_en(a, s->registered, "person", "people"));
        }
        subject = "The event";
    } else {
        if (s->from && s->to)
            buf_printf(&b, "From %s to %s, ", date_text(a, s->from, false),
                       date_text(a, s->to, false));
        else if (s->from)
            buf_printf(&b, "Since %s, ", date_text(a, s->from, false));
        else if (s->to)
            buf_printf(&b, "As of %s, ", date_text(a, s->to, false));
        subject = b.len ? "the platform" : "The platform";
        if (s->checked_in > 0) {
            buf_printf(&b, "%s checked in at the platform's events. ",
                       count_en(a, s->checked_in, "participant", "participants"));
            subject = "The platform";
        }
    }
    bool any = false;
    const char *sep = ev ? " " : "";
    if (c > 0 || d > 0 || p > 0) {
        any = true;
        if (c > 0 && c == d && d == p)
            buf_printf(&b, "%s%s collected, displayed and promoted %s", sep, subject,
                       count_en(a, c, "technology achievement", "technology achievements"));
        else if (c > 0 && c == d)
            buf_printf(&b, "%s%s collected and displayed %s", sep, subject,
                       count_en(a, c, "technology achievement", "technology achievements"));
        else if (c > 0) {
            buf_printf(&b, "%s%s collected %s", sep, subject,
                       count_en(a, c, "technology achievement", "technology achievements"));
            if (d > 0) buf_printf(&b, " and displayed %lld", (long long)d);
        } else if (d > 0)
            buf_printf(&b, "%s%s displayed %s", sep, subject,
                       count_en(a, d, "technology achievement", "technology achievements"));
        if (p > 0 && !(c > 0 && c == d && d == p)) {
            if (c > 0 || d > 0)
                buf_printf(&b, ", %lld of which %s presented in roadshows", (long long)p,
                           p == 1 ? "was" : "were");
            else
                buf_printf(&b, "%s%s presented %s in roadshows", sep, subject,
                           count_en(a, p, "technology achievement", "technology achievements"));
        }
        buf_puts(&b, ".");
        sep = " ";
    }
    if (s->matched > 0) {
        any = true;
        buf_printf(&b, "%s%s %s matched with a demand.", sep,
                   count_en(a, s->matched, "achievement", "achievements"),
                   s->matched == 1 ? "was" : "were");
        sep = " ";
    }
    int64_t m = s->held > 0 ? s->held : s->accepted > 0 ? s->accepted : s->requested;
    if (m > 0) {
        any = true;
        const char *verb = s->held > 0 ? "held" : s->accepted > 0 ? "arranged" : "requested";
        buf_printf(&b, "%s%s %s %s between the supply and the demand side.", sep,
                   count_en(a, m, "one-to-one meeting", "one-to-one meetings"),
                   m == 1 ? "was" : "were", verb);
        sep = " ";
    }
    if (in > 0) {
        any = true;
        buf_printf(&b, "%s%s %s reached", sep,
                   count_en(a, in, "preliminary cooperation intention",
                            "preliminary cooperation intentions"),
                   in == 1 ? "was" : "were");
        if (k > 0) {
            buf_printf(&b, ", %lld of which %s been signed as %s", (long long)k,
                       k == 1 ? "has" : "have", k == 1 ? "a contract" : "contracts");
            if (s->amount_centi > 0)
                buf_printf(&b, " worth RMB %s%s", yuan_text(a, s->amount_centi),
                           k == 1 ? "" : " in total");
        }
        buf_puts(&b, ".");
    } else if (k > 0) {
        any = true;
        buf_printf(&b, "%s%s %s signed", sep,
                   count_en(a, k, "technology contract", "technology contracts"),
                   k == 1 ? "was" : "were");
        if (s->amount_centi > 0)
            buf_printf(&b, ", worth RMB %s%s", yuan_text(a, s->amount_centi),
                       k == 1 ? "" : " in total");
        buf_puts(&b, ".");
    }
    if (!any) {
        bool mid = b.len >= 2 && b.s[b.len - 2] == ',';
        buf_printf(&b,
                   "%s%co achievements, meetings or cooperation intentions have been recorded "
                   "yet.",
                   ev ? " " : "", mid ? 'n' : 'N');
    }
    const char *r = arena_strdup(a, b.s);
    buf_free(&b);
    return r;
}

const char *report_summary(arena *a, const event_rec *ev, const stats_view *s, const char *lang)
{
    return is_zh(lang) ? summary_zh(a, ev, s) : summary_en(a, ev, s);
}
