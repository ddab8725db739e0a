/* report.c — reports of an event or of the whole platform: the summary paragraph in the style of
 * an official news release (新闻通稿), in Chinese and in English. Every number in the paragraph
 * comes from the stats_view it is given (definitions in stats.c); a clause whose figure is zero
 * is left out. */
#include <stdio.h>
#include <stdlib.h>
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

/* An amount as a news release writes it: "50万元"; from 1 亿 on "1.25亿元", "约1.25亿元" when
 * rounded to two decimals. */
static const char *amount_zh(arena *a, int64_t centi)
{
    if (centi < 1000000) return arena_printf(a, "%s万元", intention_amount_text(a, centi));
    int64_t hundredths = (centi + 5000) / 10000; /* 0.01 亿 = 100 万 = 10000 centi */
    char num[32];
    snprintf(num, sizeof num, "%lld.%02lld", (long long)(hundredths / 100),
             (long long)(hundredths % 100));
    size_t len = strlen(num);
    while (num[len - 1] == '0')
        num[--len] = 0;
    if (num[len - 1] == '.') num[--len] = 0;
    return arena_printf(a, "%s%s亿元", centi % 10000 ? "约" : "", num);
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
        clauses[n++] = arena_printf(a, "合同金额%s", amount_zh(a, s->amount_centi));
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

/* ---- the report data ---- */

typedef struct {
    arena *a;
    const char *lang;
    report_tr tr;
} rb;

static const char *T(const rb *b, const char *key)
{
    return b->tr(b->lang, key);
}

static const char *TK(const rb *b, const char *prefix, const char *code)
{
    return b->tr(b->lang, arena_printf(b->a, "%s%s", prefix, code));
}

static report_cell txt(const char *s)
{
    return (report_cell){.text = s ? s : ""};
}

static report_cell num(arena *a, int64_t v)
{
    return (report_cell){
        .text = arena_printf(a, "%lld", (long long)v), .num = (double)v, .is_num = true};
}

static report_cell amount(arena *a, int64_t centi)
{
    return (report_cell){
        .text = intention_amount_text(a, centi), .num = (double)centi / 100.0, .is_num = true};
}

static report_table *table_new(rb *b, report_data *d, int *cap, const char *sheet_key, int ncols,
                               int nrows)
{
    if (d->ntables == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        report_table *nt = arena_alloc(b->a, sizeof *nt * (size_t)nc);
        if (d->ntables) memcpy(nt, d->tables, sizeof *nt * (size_t)d->ntables);
        d->tables = nt;
        *cap = nc;
    }
    report_table *t = &d->tables[d->ntables++];
    memset(t, 0, sizeof *t);
    t->sheet = T(b, arena_printf(b->a, "report.sheet.%s", sheet_key));
    t->title = T(b, arena_printf(b->a, "report.table.%s", sheet_key));
    t->note = "";
    t->ncols = ncols;
    t->nrows = nrows;
    t->cols = arena_alloc(b->a, sizeof *t->cols * (size_t)ncols);
    t->cells = arena_alloc(b->a, sizeof *t->cells * (size_t)(ncols * (nrows ? nrows : 1)));
    t->in_pdf = true;
    return t;
}

static const char *field_label(const rb *b, const char *code)
{
    if (!*code) return T(b, "stats.unknown");
    const field_rec *f = taxonomy_field(code);
    if (!f) return code;
    return is_zh(b->lang) ? f->name_zh : f->name_en;
}

/* The by-field, by-type or by-region table of rows. kind: 0 field, 1 org type, 2 region. */
static void breakdown_table(rb *b, report_data *d, int *cap, const char *key, const char *col0,
                            const stats_row *rows, int n, int kind)
{
    static const double w[] = {3, 1, 1, 1, 1, 1, 1.4};
    report_table *t = table_new(b, d, cap, key, 7, n);
    t->widths = w;
    t->cols[0] = col0;
    static const char *const figs[] = {"collected",  "displayed", "promoted",
                                       "intentions", "contracts", "amount"};
    for (int i = 0; i < 6; i++)
        t->cols[i + 1] = TK(b, "stats.fig.", figs[i]);
    for (int r = 0; r < n; r++) {
        report_cell *c = &t->cells[r * 7];
        const char *k = rows[r].key;
        c[0] = txt(kind == 0   ? field_label(b, k)
                   : !*k       ? T(b, "stats.unknown")
                   : kind == 1 ? TK(b, "orgtype.", k)
                               : k);
        c[1] = num(b->a, rows[r].v[STATS_COLLECTED]);
        c[2] = num(b->a, rows[r].v[STATS_DISPLAYED]);
        c[3] = num(b->a, rows[r].v[STATS_PROMOTED]);
        c[4] = num(b->a, rows[r].v[STATS_INTENTIONS]);
        c[5] = num(b->a, rows[r].v[STATS_CONTRACTS]);
        c[6] = amount(b->a, rows[r].amount_centi);
    }
}

/* Rows sorted by collected, then intentions, descending (a copy). */
static int row_cmp(const void *x, const void *y)
{
    const stats_row *p = x, *q = y;
    if (p->v[STATS_COLLECTED] != q->v[STATS_COLLECTED])
        return p->v[STATS_COLLECTED] < q->v[STATS_COLLECTED] ? 1 : -1;
    if (p->v[STATS_INTENTIONS] != q->v[STATS_INTENTIONS])
        return p->v[STATS_INTENTIONS] < q->v[STATS_INTENTIONS] ? 1 : -1;
    return strcmp(p->key, q->key);
}

static stats_row *sorted_rows(arena *a, const stats_row *rows, int n)
{
    stats_row *r = arena_alloc(a, sizeof *r * (size_t)(n ? n : 1));
    if (n) memcpy(r, rows, sizeof *r * (size_t)n);
    if (n > 1) qsort(r, (size_t)n, sizeof *r, row_cmp);
    return r;
}

static report_chart chart(rb *b, const char *title_key, int n)
{
    report_chart ch = {.title = T(b, title_key), .n = n};
    ch.labels = arena_alloc(b->a, sizeof *ch.labels * (size_t)(n ? n : 1));
    ch.values = arena_alloc(b->a, sizeof *ch.values * (size_t)(n ? n : 1));
    ch.value_text = arena_alloc(b->a, sizeof *ch.value_text * (size_t)(n ? n : 1));
    return ch;
}

static void chart_set(report_chart *ch, int i, const char *label, double v, const char *text)
{
    ((const char **)ch->labels)[i] = label;
    ((double *)ch->values)[i] = v;
    ((const char **)ch->value_text)[i] = text;
}

/* Whether the local day (YYYY-MM-DD…, only the first 10 characters count) is in the period of
 * s (open ends allowed); "" is in no period but the open one. */
static bool in_period(const stats_view *s, const char *day)
{
    if (!s->from && !s->to) return true;
    if (!day || strlen(day) < 10) return false;
    if (s->from && strncmp(day, s->from, 10) < 0) return false;
    if (s->to && strncmp(day, s->to, 10) > 0) return false;
    return true;
}

const char *report_filename(arena *a, int64_t event_id, const char *ext)
{
    char now[17];
    event_now_local(now);
    char day[9] = {now[0], now[1], now[2], now[3], now[5], now[6], now[8], now[9], 0};
    if (event_id)
        return arena_printf(a, "duijie-report-event-%lld-%s.%s", (long long)event_id, day, ext);
    return arena_printf(a, "duijie-report-overall-%s.%s", day, ext);
}

err_code report_build(dctx *c, int64_t event_id, const char *from, const char *to, const char *lang,
                      report_tr tr, report_data *d, err *e)
{
    memset(d, 0, sizeof *d);
    rb b = {c->a, is_zh(lang) ? "zh-CN" : "en", tr};
    arena *a = c->a;
    stats_view s;
    if (stats_compute_period(c, event_id, from, to, &s, e)) return e->code; /* staff only */
    event_rec ev;
    const event_rec *evp = NULL;
    event_org_rec *orgs = NULL;
    int norgs = 0;
    if (event_id) {
        if (store_event_get(c->db, a, event_id, &ev, e) ||
            store_event_orgs_list(c->db, a, event_id, &orgs, &norgs, e))
            return e->code;
        evp = &ev;
    }
    bool zh = is_zh(b.lang);
    d->lang = b.lang;
    d->doc_title = T(&b, "report.doc_title");
    if (evp) {
        d->title = zh || !*ev.title_en ? ev.title : ev.title_en;
        d->subtitle = zh ? ev.title_en : ev.title;
    } else {
        d->title = T(&b, "report.overall_title");
        d->subtitle = "";
    }
    d->footer = d->title;
    d->page_label = T(&b, "report.page");

    /* cover facts */
    d->facts = arena_alloc(a, sizeof *d->facts * 8);
    char now[17];
    event_now_local(now);
    if (evp) {
        d->facts[d->nfacts++] = (report_fact){
            T(&b, "event.field.date"),
            arena_printf(a, "%s %s–%s", date_text(a, ev.date, zh), ev.start_time, ev.end_time)};
        d->facts[d->nfacts++] = (report_fact){T(&b, "event.field.venue"), ev.venue};
        if (norgs) {
            buf o = {0};
            for (int i = 0; i < norgs; i++) {
                if (i) buf_puts(&o, zh ? "、" : "; ");
                buf_puts(&o, !zh && *orgs[i].name_en ? orgs[i].name_en : orgs[i].name);
            }
            d->facts[d->nfacts++] = (report_fact){T(&b, "event.field.orgs"), arena_strdup(a, o.s)};
            buf_free(&o);
        }
    }
    d->facts[d->nfacts++] = (report_fact){
        T(&b, "report.period"),
        s.from || s.to ? arena_printf(a, "%s – %s", s.from ? date_text(a, s.from, zh) : "…",
                                      s.to ? date_text(a, s.to, zh) : "…")
                       : T(&b, "report.period_all")};
    d->facts[d->nfacts++] =
        (report_fact){T(&b, "report.generated"), arena_printf(a, "%.10s %.5s", now, now + 11)};
    d->summary_heading = T(&b, "report.summary");
    d->summary = report_summary(a, evp, &s, b.lang);
    d->charts_heading = T(&b, "report.charts");

    /* the funnel */
    static const char *const fkeys[] = {"collected", "displayed", "promoted", "matched",
                                        "requested", "accepted",  "held",     "intentions",
                                        "contracts", "amount"};
    int64_t fv[10] = {s.v[STATS_COLLECTED],
                      s.v[STATS_DISPLAYED],
                      s.v[STATS_PROMOTED],
                      s.matched,
                      s.requested,
                      s.accepted,
                      s.held,
                      s.v[STATS_INTENTIONS],
                      s.v[STATS_CONTRACTS],
                      s.amount_centi};
    int cap = 0;
    report_table *t = table_new(&b, d, &cap, "summary", 3, 10);
    static const double fw[] = {1.6, 1, 5};
    t->widths = fw;
    t->cols[0] = T(&b, "stats.figure");
    t->cols[1] = T(&b, "stats.value");
    t->cols[2] = T(&b, "stats.definition");
    for (int i = 0; i < 10; i++) {
        bool m = str_eq(fkeys[i], "matched");
        t->cells[i * 3] = txt(m ? T(&b, "report.fig.matched") : TK(&b, "stats.fig.", fkeys[i]));
        t->cells[i * 3 + 1] = i == 9 ? amount(a, fv[i]) : num(a, fv[i]);
        t->cells[i * 3 + 2] = txt(m ? T(&b, "report.def.matched") : TK(&b, "stats.def.", fkeys[i]));
    }

    /* charts: the funnel, collected by field, attendance, intentions by month */
    d->charts = arena_alloc(a, sizeof *d->charts * 4);
    report_chart ch = chart(&b, "report.chart.funnel", 9);
    for (int i = 0; i < 9; i++)
        chart_set(&ch, i,
                  str_eq(fkeys[i], "matched") ? T(&b, "report.fig.matched")
                                              : TK(&b, "stats.fig.", fkeys[i]),
                  (double)fv[i], arena_printf(a, "%lld", (long long)fv[i]));
    d->charts[d->ncharts++] = ch;
    stats_row *byf = sorted_rows(a, s.by_field, s.nfield);
    int nf = 0;
    for (int i = 0; i < s.nfield && nf < 12; i++)
        if (byf[i].v[STATS_COLLECTED] > 0) nf++;
    if (nf) {
        ch = chart(&b, "report.chart.field", nf);
        for (int i = 0; i < nf; i++)
            chart_set(&ch, i, field_label(&b, byf[i].key), (double)byf[i].v[STATS_COLLECTED],
                      arena_printf(a, "%lld", (long long)byf[i].v[STATS_COLLECTED]));
        d->charts[d->ncharts++] = ch;
    }
    if (s.registered > 0) {
        ch = chart(&b, "report.chart.attendance", s.nattendance);
        for (int i = 0; i < s.nattendance; i++) {
            const stats_attendance_rec *r = &s.attendance[i];
            chart_set(
                &ch, i, TK(&b, "event.category.", r->category), (double)r->checked_in,
                arena_printf(a, "%lld / %lld", (long long)r->checked_in, (long long)r->registered));
        }
        d->charts[d->ncharts++] = ch;
    }
    if (s.nmonth > 1) {
        int first = s.nmonth > 24 ? s.nmonth - 24 : 0;
        ch = chart(&b, "report.chart.month", s.nmonth - first);
        for (int i = first; i < s.nmonth; i++)
            chart_set(&ch, i - first, s.by_month[i].month, (double)s.by_month[i].intentions,
                      arena_printf(a, "%lld", (long long)s.by_month[i].intentions));
        d->charts[d->ncharts++] = ch;
    }

    /* breakdowns */
    breakdown_table(&b, d, &cap, "field", T(&b, "stats.field"), byf, s.nfield, 0);
    breakdown_table(&b, d, &cap, "org_type", T(&b, "stats.org_type"),
                    sorted_rows(a, s.by_org_type, s.norg_type), s.norg_type, 1);
    breakdown_table(&b, d, &cap, "region", T(&b, "report.col.region"),
                    sorted_rows(a, s.by_region, s.nregion), s.nregion, 2);
    t = table_new(&b, d, &cap, "attendance", 4, s.nattendance + 1);
    t->cols[0] = T(&b, "report.col.category");
    t->cols[1] = T(&b, "report.col.registered");
    t->cols[2] = T(&b, "report.col.approved");
    t->cols[3] = T(&b, "report.col.checked_in");
    for (int i = 0; i < s.nattendance; i++) {
        const stats_attendance_rec *r = &s.attendance[i];
        report_cell *cl = &t->cells[i * 4];
        cl[0] = txt(TK(&b, "event.category.", r->category));
        cl[1] = num(a, r->registered);
        cl[2] = num(a, r->approved);
        cl[3] = num(a, r->checked_in);
    }
    report_cell *tot = &t->cells[s.nattendance * 4];
    tot[0] = txt(T(&b, "report.total"));
    tot[1] = num(a, s.registered);
    tot[2] = num(a, s.approved);
    tot[3] = num(a, s.checked_in);
    t->note = T(&b, "report.note.attendance");
    t = table_new(&b, d, &cap, "month", 5, s.nmonth);
    t->cols[0] = T(&b, "report.col.month");
    t->cols[1] = T(&b, "stats.fig.collected");
    t->cols[2] = T(&b, "stats.fig.intentions");
    t->cols[3] = T(&b, "stats.fig.contracts");
    t->cols[4] = T(&b, "stats.fig.amount");
    for (int i = 0; i < s.nmonth; i++) {
        const stats_month *m = &s.by_month[i];
        report_cell *cl = &t->cells[i * 5];
        cl[0] = txt(m->month);
        cl[1] = num(a, m->collected);
        cl[2] = num(a, m->intentions);
        cl[3] = num(a, m->contracts);
        cl[4] = amount(a, m->amount_centi);
    }

    /* the roadshow ranking and the participants of the event, when its day is in the period */
    bool ev_in = evp && in_period(&s, ev.date);
    if (ev_in) {
        roadshow_view rv;
        roadshow_rank_row *rk;
        if (roadshow_ranking(c, event_id, &rv, &rk, e)) return e->code;
        static const double rw[] = {0.6, 4, 2.4, 1.2, 0.8, 1};
        t = table_new(&b, d, &cap, "ranking", 6, rv.nprojects);
        t->widths = rw;
        t->cols[0] = T(&b, "report.col.rank");
        t->cols[1] = T(&b, "report.col.project");
        t->cols[2] = T(&b, "report.col.org");
        t->cols[3] = T(&b, "report.col.presenter");
        t->cols[4] = T(&b, "report.col.judges");
        t->cols[5] = T(&b, "report.col.score");
        for (int i = 0; i < rv.nprojects; i++) {
            const rs_project_rec *p = &rv.projects[rk[i].project];
            report_cell *cl = &t->cells[i * 6];
            cl[0] = num(a, rk[i].rank);
            cl[1] = txt(p->title);
            cl[2] = txt(*p->presenter_org ? p->presenter_org : p->owner_org);
            cl[3] = txt(p->presenter);
            cl[4] = num(a, rk[i].njudges);
            cl[5] = rk[i].njudges ? (report_cell){.text = arena_printf(a, "%.2f", rk[i].raw),
                                                  .num = rk[i].raw,
                                                  .is_num = true}
                                  : txt("—");
        }
        t->note = rv.rs.normalize ? T(&b, "report.note.ranking_z") : T(&b, "report.note.ranking");
    }

    /* the intentions */
    intention_rec *ir;
    int ni;
    if (intention_list(c, NULL, evp ? arena_printf(a, "%lld", (long long)event_id) : "", &ir, &ni,
                       e))
        return e->code;
    /* in a period: those recorded or signed in it (the intentions and contracts it counts) */
    int nk = 0;
    for (int i = 0; i < ni; i++)
        if (in_period(&s, event_local_time(a, ir[i].created_at)) || in_period(&s, ir[i].signed_on))
            ir[nk++] = ir[i];
    ni = nk;
    static const double iw[] = {3.2, 1.2, 2.2, 2.2, 1.4, 1.1, 1.2};
    t = table_new(&b, d, &cap, "intentions", 7, ni);
    t->widths = iw;
    t->cols[0] = T(&b, "report.col.intention");
    t->cols[1] = T(&b, "report.col.stage");
    t->cols[2] = T(&b, "report.col.org_a");
    t->cols[3] = T(&b, "report.col.org_b");
    t->cols[4] = T(&b, "report.col.contract_type");
    t->cols[5] = T(&b, "stats.fig.amount");
    t->cols[6] = T(&b, "report.col.signed_on");
    for (int i = 0; i < ni; i++) {
        const intention_rec *r = &ir[i];
        report_cell *cl = &t->cells[i * 7];
        cl[0] = txt(r->title);
        cl[1] = txt(TK(&b, "intention.stage.", r->stage));
        cl[2] = txt(r->org_a_name);
        cl[3] = txt(r->org_b_name);
        cl[4] = txt(*r->contract_type ? TK(&b, "intention.ctype.", r->contract_type) : "");
        cl[5] = r->amount_centi >= 0 ? amount(a, r->amount_centi) : txt("");
        cl[6] = txt(r->signed_on);
    }

    /* the participants of the event (XLSX only: a long list) */
    if (ev_in) {
        registration_rec *rr;
        int nr;
        if (registration_list(c, event_id, NULL, &rr, &nr, e)) return e->code;
        static const double pw[] = {1.2, 3, 1.2, 1, 1.6};
        t = table_new(&b, d, &cap, "participants", 5, nr);
        t->widths = pw;
        t->in_pdf = false;
        t->cols[0] = T(&b, "report.col.name");
        t->cols[1] = T(&b, "report.col.org");
        t->cols[2] = T(&b, "report.col.category");
        t->cols[3] = T(&b, "report.col.status");
        t->cols[4] = T(&b, "report.col.checked_in_at");
        for (int i = 0; i < nr; i++) {
            const registration_rec *r = &rr[i];
            report_cell *cl = &t->cells[i * 5];
            cl[0] = txt(r->name);
            cl[1] = txt(r->org_name);
            cl[2] = txt(TK(&b, "event.category.", r->category));
            cl[3] = txt(TK(&b, "event.regstatus.", r->status));
            cl[4] = txt(event_local_time(a, r->checked_in_at));
        }
    }
    return ERR_OK;
}
