/* intention_demo.c — results at the demo event, as in DESIGN.md §1: the participants from
 * universities and institutes bring published achievements and the companies bring needs (so the
 * statistics count what was collected and displayed), and 7 preliminary cooperation intentions
 * (初步合作意向) pair needs with achievements of the same field — two of them followed further,
 * one to a signed licence — with follow-ups, one of them overdue, and the six-month follow-up of
 * each intention (due 182 days after the event), four of them already answered. */
#include <stdio.h>
#include <string.h>

#include "domain/domain.h"

/* Published listings of kind, oldest first (arena-owned). */
static err_code published(dctx *c, const char *kind, int limit, listing_rec **out, int *n, err *e)
{
    listing_filter f = {.kind = kind, .status = "published", .sort = "old", .limit = limit};
    int64_t total;
    return store_listing_list(c->db, c->a, &f, out, n, &total, e);
}

err_code intention_demo_load(dctx *c, err *e)
{
    event_rec *evs;
    int nev;
    if (store_event_list(c->db, c->a, false, &evs, &nev, e)) return e->code;
    if (nev == 0) return ERR_OK;
    int64_t event_id = evs[0].id;
    registration_rec *regs;
    int nr;
    if (store_registration_list(c->db, c->a, event_id, "approved", &regs, &nr, e)) return e->code;
    listing_rec *ach, *need;
    int na, nn;
    if (published(c, "achievement", 110, &ach, &na, e) || published(c, "need", 40, &need, &nn, e))
        return e->code;

    /* what the participants bring: achievements to those who bring achievements, needs to the
     * companies; every published achievement and need of the demo goes to one participant */
    int ai = 0, ni = 0, linked = 0;
    for (int pass = 0; pass < 8 && (ai < na || ni < nn); pass++)
        for (int i = 0; i < nr; i++) {
            bool brings_ach =
                str_eq(regs[i].brings, "achievements") || str_eq(regs[i].brings, "both");
            bool brings_need = str_eq(regs[i].brings, "needs") || str_eq(regs[i].brings, "both");
            if (brings_ach && ai < na) {
                if (store_registration_listings_add(c->db, regs[i].id, ach[ai++].id, e))
                    return e->code;
                linked++;
            }
            if (brings_need && ni < nn) {
                if (store_registration_listings_add(c->db, regs[i].id, need[ni++].id, e))
                    return e->code;
                linked++;
            }
        }

    /* seven preliminary intentions: each need with its best achievement by the matching engine
     * (the recommendation its page shows), each achievement once */
    if (matching_start(c->db, e)) return e->code;
    const char *ev = arena_printf(c->a, "%lld", (long long)event_id);
    int made = 0;
    int64_t ids[7] = {0}, used[7] = {0};
    for (int k = 0; k < nn && made < 7; k++) {
        match_result *best;
        int nb;
        if (matching_for_listing(c, need[k].id, 3, &best, &nb, e)) return e->code;
        const listing_rec *pick = NULL;
        for (int b = 0; b < nb && !pick; b++) {
            bool taken = false;
            for (int u = 0; u < made; u++)
                taken |= used[u] == best[b].l.id;
            if (!taken) pick = &best[b].l;
        }
        if (!pick) continue;
        used[made] = pick->id;
        intention_input in = {
            .title = arena_printf(c->a, "%s × %s", need[k].title, pick->title),
            .source = "match",
            .event_id = ev,
            .achievement_id = arena_printf(c->a, "%lld", (long long)pick->id),
            .need_id = arena_printf(c->a, "%lld", (long long)need[k].id),
            .note = "对接会现场达成初步合作意向。",
        };
        if (intention_create(c, &in, &ids[made], e)) return e->code;
        made++;
    }
    if (made >= 2) {
        intention_move_input neg = {.stage = "negotiating"};
        intention_move_input sign = {.stage = "signed",
                                     .contract_type = "license",
                                     .amount = "50",
                                     .signed_on = "2026-11-20"};
        if (intention_move(c, ids[0], &neg, e) || intention_move(c, ids[1], &sign, e))
            return e->code;
        int64_t fid;
        if (intention_followup_add(c, ids[0], "组织双方技术团队第二轮洽谈", "2026-11-01", &fid,
                                   e) ||
            intention_followup_add(c, ids[2], "寄送样品并约定现场考察", "2026-11-15", &fid, e))
            return e->code;
    }
    /* six-month follow-ups (made with each intention, due 182 days after the event): a few
     * parties answered early, so the dashboard shows outcomes next to those still pending */
    static const char *const early[][2] = {
        {"agreement", "许可合同已签订，首付款到账。"},
        {"negotiating", "双方已就技术路线和报价开始商务洽谈。"},
        {"valuable_contact", "企业邀请团队参加下季度技术交流，暂未立项。"},
        {"no_contact", "企业调整产品方向，暂无后续合作计划。"},
    };
    int recorded = 0;
    for (int k = 0; k < made && recorded < (int)ARRAY_LEN(early); k++) {
        followup_rec *fu;
        int nf;
        if (intention_followups(c, ids[k], &fu, &nf, e)) return e->code;
        int which = k == 0 ? 1 : k == 1 ? 0 : k; /* ids[0] negotiating, ids[1] signed */
        if (which >= (int)ARRAY_LEN(early)) break;
        for (int f = 0; f < nf; f++)
            if (str_eq(fu[f].kind, "six_month")) {
                if (outcome_record(c, ids[k], fu[f].id, early[which][0], early[which][1], e))
                    return e->code;
                recorded++;
            }
    }
    /* the organizers have phoned the pairs of 12 of the held 1:1 meetings */
    static const char *const asked[] = {"valuable_contact", "no_contact",       "negotiating",
                                        "valuable_contact", "valuable_contact", "no_contact",
                                        "agreement",        "valuable_contact", "negotiating",
                                        "no_contact",       "valuable_contact", "negotiating"};
    meeting_outcome_rec *held;
    int nh, asked_n = 0;
    if (outcome_meetings(c, event_id, &held, &nh, e)) return e->code;
    for (int k = 0; k < nh && asked_n < (int)ARRAY_LEN(asked); k += 2, asked_n++)
        if (outcome_meeting_record(c, event_id, held[k].meeting_id, asked[asked_n],
                                   "组织方电话回访。", e))
            return e->code;
    matching_stop(); /* serve builds its own index at start */
    printf("demo results: %d listings brought by participants, %d cooperation intentions (all "
           "reached as preliminary; 1 now negotiating, 1 signed), %d six-month outcomes recorded "
           "early, %d of %d held meetings followed up\n",
           linked, made, recorded, asked_n, nh);
    return ERR_OK;
}
