/* roadshow_demo.c — the demo roadshow at the demo event: six published achievements from six
 * different institutions presented in the morning session, three invited experts as judges
 * (expert1..3@demo.duijie.cn, no organization) and their scores for most projects, so the
 * ranking page has something to show while one judge is still scoring. */
#include <stdio.h>
#include <string.h>

#include "domain/domain.h"

static const char *presenters[] = {"陈立新教授",   "李晓梅研究员", "王建华博士",
                                   "张思远副教授", "刘嘉怡研究员", "黄明辉博士"};

err_code roadshow_demo_load(dctx *c, err *e)
{
    event_rec *evs;
    int nev;
    if (event_list(c, &evs, &nev, e)) return e->code;
    if (nev < 1) return err_set(e, ERR_INTERNAL, NULL, NULL, "roadshow demo: no event");
    int64_t event_id = evs[0].id;

    /* six published achievements, each from a different university or institute */
    listing_filter f = {.kind = "achievement", .status = "published", .sort = "old", .limit = 500};
    listing_rec *ls;
    int nl;
    int64_t total;
    if (store_listing_list(c->db, c->a, &f, &ls, &nl, &total, e)) return e->code;
    const listing_rec *pick[6];
    int np = 0;
    for (int i = 0; i < nl && np < 6; i++) {
        if (!str_eq(ls[i].org_type, "university") && !str_eq(ls[i].org_type, "institute")) continue;
        bool dup = false;
        for (int k = 0; k < np; k++)
            dup |= pick[k]->org_id == ls[i].org_id;
        if (!dup) pick[np++] = &ls[i];
    }
    if (np < 6)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "roadshow demo: only %d institutions", np);

    static const struct {
        const char *email, *name;
    } experts[] = {{"expert1@demo.duijie.cn", "周振宇教授"},
                   {"expert2@demo.duijie.cn", "郭慧研究员"},
                   {"expert3@demo.duijie.cn", "林文博高级工程师"}};
    int64_t judge[3];
    for (int j = 0; j < 3; j++) {
        user_input u = {experts[j].email, experts[j].name, "expert", NULL, "expert-demo-2026"};
        if (user_create(c, &u, NULL, e) ||
            roadshow_judge_add(c, event_id, experts[j].email, &judge[j], e))
            return e->code;
    }

    int64_t pid[6];
    for (int p = 0; p < 6; p++) {
        int start = 10 * 60 + 15 + p * 15; /* 10:15, 15 minutes each */
        rs_project_input in = {
            .listing_id = arena_printf(c->a, "%lld", (long long)pick[p]->id),
            .presenter = presenters[p],
            .presenter_org = pick[p]->org_name,
            .order = arena_printf(c->a, "%d", p + 1),
            .start_time = arena_printf(c->a, "%02d:%02d", start / 60, start % 60),
            .end_time = arena_printf(c->a, "%02d:%02d", (start + 15) / 60, (start + 15) % 60),
        };
        if (roadshow_project_create(c, event_id, &in, &pid[p], e)) return e->code;
    }

    /* judges 1 and 2 scored every project, judge 3 the first four so far */
    static const int quality[6] = {8, 7, 9, 6, 7, 8};
    static const int bias[3] = {0, -1, 1};
    static const char *codes[] = {"uniqueness", "novelty", "advancement", "maturity", "market"};
    int sets = 0;
    for (int j = 0; j < 3; j++) {
        user_rec u;
        if (store_user_get(c->db, c->a, judge[j], &u, e)) return e->code;
        dctx jc = {.db = c->db, .a = c->a, .user = &u};
        for (int p = 0; p < (j == 2 ? 4 : 6); p++) {
            const char *vals[5];
            for (int k = 0; k < 5; k++) {
                int s = quality[p] + bias[j] + ((p * 7 + j * 3 + k * 5) % 3) - 1;
                vals[k] = arena_printf(c->a, "%d", s < 1 ? 1 : s > 10 ? 10 : s);
            }
            if (roadshow_score_put(&jc, event_id, pid[p], codes, vals, 5, e)) return e->code;
            sets++;
        }
    }
    printf("demo roadshow: 6 projects, 3 judges, %d score sets (expert3 still scoring)\n", sets);
    printf("demo judges (email / password / role):\n");
    for (int j = 0; j < 3; j++)
        printf("  %-28s %-22s %s\n", experts[j].email, "expert-demo-2026", "expert");
    return ERR_OK;
}
