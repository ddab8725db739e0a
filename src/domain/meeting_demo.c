/* meeting_demo.c — 1:1 meetings at the demo event: ten 15-minute slots in the afternoon
 * matchmaking session, six tables (A–F), ~25 accepted meetings between companies that bring needs
 * and universities / institutes that bring achievements, a few open and declined requests, two
 * participants unavailable in a slot or two, all scheduled by the real scheduler and published as
 * a preliminary agenda. */
#include <stdio.h>
#include <string.h>

#include "domain/domain.h"

err_code meeting_demo_load(dctx *c, err *e)
{
    event_rec *evs;
    int nev;
    if (store_event_list(c->db, c->a, false, &evs, &nev, e)) return e->code;
    if (nev == 0) return ERR_OK;
    int64_t event_id = evs[0].id;
    agenda_rec *ag;
    int nag;
    if (store_agenda_list(c->db, c->a, event_id, &ag, &nag, e)) return e->code;
    const agenda_rec *mm = NULL;
    for (int i = 0; i < nag; i++)
        if (str_eq(ag[i].kind, "matchmaking")) mm = &ag[i];
    if (!mm) return ERR_OK;
    if (meeting_settings_update(c, event_id, "6", "48", NULL, e)) return e->code;
    int h, m;
    if (sscanf(mm->start_time, "%d:%d", &h, &m) != 2) return ERR_OK;
    int slots = 0;
    int64_t slot_ids[10];
    for (int t = h * 60 + m; t + 15 <= h * 60 + m + 150 && slots < 10; t += 15, slots++) {
        char st[16], en[16];
        snprintf(st, sizeof st, "%02d:%02d", t / 60, t % 60);
        snprintf(en, sizeof en, "%02d:%02d", (t + 15) / 60, (t + 15) % 60);
        if (strcmp(en, mm->end_time) > 0) break;
        if (meeting_slot_create(c, event_id, arena_printf(c->a, "%lld", (long long)mm->id), st, en,
                                &slot_ids[slots], e))
            return e->code;
    }
    registration_rec *regs;
    int nr;
    if (store_registration_list(c->db, c->a, event_id, "approved", &regs, &nr, e)) return e->code;
    int64_t ach[64], need[64];
    int na = 0, nn = 0;
    for (int i = 0; i < nr; i++) {
        if ((str_eq(regs[i].brings, "achievements") || str_eq(regs[i].brings, "both")) && na < 64)
            ach[na++] = regs[i].id;
        else if (str_eq(regs[i].brings, "needs") && nn < 64)
            need[nn++] = regs[i].id;
    }
    if (na < 2 || nn < 2) return ERR_OK;
    char expires[21];
    time_now_iso(expires);
    memcpy(expires, "2099", 4);
    int accepted = 0, open = 0;
    for (int k = 0; k < 30; k++) {
        meeting_rec r = {.event_id = event_id,
                         .requester_id = need[(k * 5) % nn],
                         .invitee_id = ach[(k * 7 + k / 5) % na],
                         .message = "希望就贵单位的相关成果开展一对一洽谈，探讨技术合作的可能。",
                         .status = k < 25   ? "accepted"
                                   : k < 28 ? "requested"
                                            : "declined",
                         .expires_at = expires};
        int64_t existing;
        if (store_meeting_open_between(c->db, r.requester_id, r.invitee_id, &existing, e))
            return e->code;
        if (existing) continue;
        if (store_meeting_insert(c->db, &r, NULL, e)) return e->code;
        if (k < 25)
            accepted++;
        else if (k < 28)
            open++;
    }
    /* two participants said when they cannot meet: a company's R&D manager is busy in the first
     * two slots, a university's presenter leaves before the last one */
    int unavailable = 0;
    if (slots >= 3) {
        int64_t early[2] = {slot_ids[0], slot_ids[1]}, late[1] = {slot_ids[slots - 1]};
        if (meeting_availability_put(c, event_id, need[0], early, 2, NULL, e) ||
            meeting_availability_put(c, event_id, ach[1], late, 1, NULL, e))
            return e->code;
        unavailable = 2;
    }
    meeting_schedule_stats st;
    if (meeting_schedule(c, event_id, false, &st, e) ||
        meeting_settings_update(c, event_id, NULL, NULL, "preliminary", e))
        return e->code;
    printf("demo meetings: %d slots, 6 tables, %d accepted (%d scheduled), %d open requests, %d "
           "participants with unavailable slots\n",
           slots, accepted, st.scheduled, open, unavailable);
    return ERR_OK;
}
