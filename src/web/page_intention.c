/* page_intention.c — cooperation-intention pages: the list with filters (staff: all, with the
 * overdue follow-ups; members: their organization's), the form to record one (prefilled from
 * ?meeting_id=, ?achievement_id=, ?need_id=, ?event_id=), the detail with the stage actions,
 * follow-ups (the six-month one with its outcome form) and history. The statistics dashboard
 * /stats is page_dashboard.c. */
#include <string.h>

#include "web/http.h"

static const char *const stages[] = {"preliminary",  "negotiating", "signed",
                                     "implementing", "completed",   "terminated"};
static const char *const ctypes[] = {"development", "transfer", "license", "consulting", "service"};

static json_t *intention_view(req *r, const intention_rec *it)
{
    json_t *j = intention_to_json(r->a, it);
    json_object_set_new(j, "stage_label", json_string(tf(r, "intention.stage.", it->stage)));
    json_object_set_new(j, "source_label", json_string(tf(r, "intention.source.", it->source)));
    if (*it->contract_type)
        json_object_set_new(j, "contract_label",
                            json_string(tf(r, "intention.ctype.", it->contract_type)));
    if (strlen(it->updated_at) >= 16) /* "2026-11-29T08:28:46Z" → "2026-11-29 08:28" */
        json_object_set_new(
            j, "updated_label",
            json_string(arena_printf(r->a, "%.10s %.5s", it->updated_at, it->updated_at + 11)));
    return j;
}

/* ---- list ---- */

void page_intentions(req *r)
{
    err e = {0};
    intention_rec *it;
    int n;
    const char *stage = req_query(r, "stage"), *evq = req_query(r, "event_id");
    if (intention_list(&r->c, stage, evq, &it, &n, &e)) return res_error(r, &e);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, intention_view(r, &it[i]));
    int64_t ev = 0;
    if (evq) str_to_i64(evq, 1, INT64_MAX, &ev);
    json_t *ctx = json_pack("{s:o,s:b,s:o,s:o,s:s,s:b}", "intentions", rows, "has_rows", n > 0,
                            "stages", view_code_options(r, "intention.stage.", stages, 6, stage),
                            "events", view_event_options(r, ev, NULL), "title",
                            t(r, "intention.title"), "nav_intentions", 1);
    if (dctx_is_staff(&r->c)) {
        followup_rec *fu;
        int nf;
        if (intention_overdue(&r->c, &fu, &nf, &e) == ERR_OK) {
            json_t *od = json_array();
            for (int i = 0; i < nf; i++) {
                json_t *f = followup_to_json(&fu[i]);
                if (str_eq(fu[i].kind, "six_month"))
                    json_object_set_new(f, "text", json_string(t(r, "outcome.title")));
                json_array_append_new(od, f);
            }
            json_object_set_new(ctx, "overdue", od);
            json_object_set_new(ctx, "staff", json_true());
        }
    }
    res_page(r, 200, "intention_list", ctx);
}

/* ---- new ---- */

static json_t *org_options(req *r, int64_t selected)
{
    json_t *arr = json_array();
    org_rec *orgs;
    int n;
    err e = {0};
    if (store_org_list(r->c.db, r->a, NULL, &orgs, &n, &e)) return arr;
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)orgs[i].id, "name",
                                             orgs[i].name, "selected", orgs[i].id == selected));
    return arr;
}

static int64_t id_of(const char *v)
{
    int64_t id = 0;
    if (v && !str_to_i64(v, 1, INT64_MAX, &id)) id = 0;
    return id;
}

static void render_new(req *r, int status, const intention_input *in, const err *fe)
{
    int64_t a = id_of(in->org_a_id), b = id_of(in->org_b_id);
    if (!a && !b && !dctx_is_staff(&r->c)) a = r->user.org_id;
    static const char *const sources[] = {"manual", "meeting", "match"};
    json_t *v =
        json_pack("{s:s,s:s,s:s,s:s,s:s}", "title", in->title ? in->title : "", "note",
                  in->note ? in->note : "", "meeting_id", in->meeting_id ? in->meeting_id : "",
                  "achievement_id", in->achievement_id ? in->achievement_id : "", "need_id",
                  in->need_id ? in->need_id : "");
    json_t *ctx =
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:s,s:b}", "v", v, "sources",
                  view_code_options(r, "intention.source.", sources, 3, in->source), "events",
                  view_event_options(r, id_of(in->event_id), NULL), "orgs_a", org_options(r, a),
                  "orgs_b", org_options(r, b), "title", t(r, "intention.new"), "nav_intentions", 1);
    if (fe && fe->code)
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, fe)));
    res_page(r, status, "intention_form", ctx);
}

void page_intention_new(req *r)
{
    intention_input in = {.source = req_query(r, "source"),
                          .event_id = req_query(r, "event_id"),
                          .meeting_id = req_query(r, "meeting_id"),
                          .achievement_id = req_query(r, "achievement_id"),
                          .need_id = req_query(r, "need_id")};
    if (!in.source) in.source = in.meeting_id ? "meeting" : in.need_id ? "match" : "manual";
    render_new(r, 200, &in, NULL);
}

void page_intention_create(req *r)
{
    err e = {0};
    intention_input in = {
        req_form(r, "title"),      req_form(r, "source"),         req_form(r, "event_id"),
        req_form(r, "meeting_id"), req_form(r, "achievement_id"), req_form(r, "need_id"),
        req_form(r, "org_a_id"),   req_form(r, "org_b_id"),       req_form(r, "note")};
    int64_t id;
    if (intention_create(&r->c, &in, &id, &e)) {
        if (e.code == ERR_INVALID) return render_new(r, 422, &in, &e);
        return res_error(r, &e);
    }
    res_redirect(r, arena_printf(r->a, "/intentions/%lld?saved=1", (long long)id));
}

/* ---- detail ---- */

static void render_detail(req *r, int status, const err *fe)
{
    err e = {0};
    intention_rec it;
    followup_rec *fu;
    history_rec *h;
    int nf, nh;
    if (intention_get(&r->c, r->ids[0], &it, &e) ||
        intention_followups(&r->c, r->ids[0], &fu, &nf, &e) ||
        intention_history(&r->c, r->ids[0], &h, &nh, &e))
        return res_error(r, &e);
    json_t *next = json_array();
    for (size_t i = 0; i < ARRAY_LEN(stages); i++)
        if (intention_stage_allowed(it.stage, stages[i]))
            json_array_append_new(next, json_pack("{s:s,s:s}", "code", stages[i], "label",
                                                  tf(r, "intention.stage.", stages[i])));
    json_t *fa = json_array(), *ha = json_array();
    char today[17];
    event_now_local(today);
    today[10] = 0;
    for (int i = 0; i < nf; i++) {
        json_t *f = followup_to_json(&fu[i]);
        json_object_set_new(f, "overdue",
                            json_boolean(!fu[i].done && strcmp(fu[i].due_date, today) < 0));
        if (str_eq(fu[i].kind, "six_month")) { /* 六个月回访: label and outcome form */
            json_object_set_new(f, "six_month", json_true());
            json_object_set_new(f, "text", json_string(t(r, "outcome.title")));
            if (*fu[i].outcome)
                json_object_set_new(f, "outcome_label",
                                    json_string(tf(r, "outcome.", fu[i].outcome)));
            json_object_set_new(f, "outcome_options",
                                view_code_options(r, "outcome.", outcome_codes, 4, fu[i].outcome));
        }
        json_array_append_new(fa, f);
    }
    for (int i = 0; i < nh; i++)
        json_array_append_new(ha, json_pack("{s:s,s:s,s:s,s:s}", "action",
                                            tf(r, "intention.action.", h[i].action), "detail",
                                            h[i].detail, "at", h[i].at, "user",
                                            h[i].user_name ? h[i].user_name : ""));
    json_t *ctx = json_pack("{s:o,s:o,s:b,s:b,s:o,s:o,s:o,s:s,s:b}", "it", intention_view(r, &it),
                            "next", next, "can_move", json_array_size(next) > 0, "needs_contract",
                            *it.contract_type == 0, "ctypes",
                            view_code_options(r, "intention.ctype.", ctypes, 5, NULL), "followups",
                            fa, "history", ha, "title", it.title, "nav_intentions", 1);
    if (fe && fe->code)
        json_object_set_new(ctx, "error", json_string(i18n_error(r->a, r->lang, fe)));
    if (req_query(r, "saved")) json_object_set_new(ctx, "saved", json_true());
    res_page(r, status, "intention_detail", ctx);
}

void page_intention_detail(req *r)
{
    render_detail(r, 200, NULL);
}

static void done(req *r, const err *e)
{
    if (e->code) {
        if (e->code == ERR_INVALID || e->code == ERR_CONFLICT)
            return render_detail(r, err_http_status(e->code), e);
        return res_error(r, e);
    }
    res_redirect(r, arena_printf(r->a, "/intentions/%lld?saved=1", (long long)r->ids[0]));
}

void page_intention_stage(req *r)
{
    err e = {0};
    intention_move_input in = {req_form(r, "stage"), req_form(r, "contract_type"),
                               req_form(r, "amount"), req_form(r, "signed_on"),
                               req_form(r, "reason")};
    intention_move(&r->c, r->ids[0], &in, &e);
    done(r, &e);
}

void page_intention_followup_add(req *r)
{
    err e = {0};
    int64_t fid;
    intention_followup_add(&r->c, r->ids[0], req_form(r, "text"), req_form(r, "due_date"), &fid,
                           &e);
    done(r, &e);
}

void page_intention_followup_done(req *r)
{
    err e = {0};
    const char *d = req_form(r, "done");
    intention_followup_done(&r->c, r->ids[0], r->ids[1], d ? d : "1", &e);
    done(r, &e);
}

void page_intention_outcome(req *r)
{
    err e = {0};
    outcome_record(&r->c, r->ids[0], r->ids[1], req_form(r, "outcome"), req_form(r, "outcome_note"),
                   &e);
    done(r, &e);
}
