/* intention.c — cooperation intentions (合作意向): recording one from a meeting, a match or by
 * hand, the stage machine (domain.h), who may see and change an intention, follow-ups with due
 * dates and the organizers' list of overdue follow-ups.
 *
 * Order of checks on every intention page and API call (docs/API.md "Cooperation intentions"):
 * 1. signed in (router, 401); 2. role (router, 403; statistics are staff-only); 3. CSRF on
 * writes (router, 403); 4. the intention exists (404); 5. the viewer is staff or a member of
 * org_a/org_b (403 intention.err.not_party); 6. the move is allowed (409 intention.err.move);
 * 7. the input (422, error.field names it). */
#include <stdlib.h>
#include <string.h>

#include "domain/domain.h"

enum { MAX_TITLE = 200, MAX_NOTE = 2000, MAX_REASON = 500, MAX_FU_TEXT = 500 };

/* Stage order for "forward only"; terminated is outside the chain. */
static const char *const chain[] = {"preliminary", "negotiating", "signed", "implementing",
                                    "completed"};
static const char *const contract_types[] = {"development", "transfer", "license", "consulting",
                                             "service"};

static int stage_index(const char *s)
{
    for (int i = 0; i < (int)ARRAY_LEN(chain); i++)
        if (s && str_eq(s, chain[i])) return i;
    return -1;
}

bool intention_stage_valid(const char *stage)
{
    return stage_index(stage) >= 0 || (stage && str_eq(stage, "terminated"));
}

bool intention_contract_type_valid(const char *type)
{
    for (size_t i = 0; i < ARRAY_LEN(contract_types); i++)
        if (type && str_eq(type, contract_types[i])) return true;
    return false;
}

bool intention_stage_open(const char *stage)
{
    int k = stage_index(stage);
    return k >= 0 && k < (int)ARRAY_LEN(chain) - 1;
}

bool intention_stage_allowed(const char *from, const char *to)
{
    if (!intention_stage_open(from) || !intention_stage_valid(to)) return false;
    if (str_eq(to, "terminated")) return true;
    return stage_index(to) > stage_index(from);
}

bool intention_amount_parse(const char *s, int64_t *centi)
{
    if (!s || !*s) return false;
    int64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, nd++)
        if ((whole = whole * 10 + (*p - '0')) > 100000000) return false;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nf++) {
            if (nf >= 2) return false;
            frac = frac * 10 + (*p - '0');
        }
        if (nf == 0) return false;
    }
    if (*p || nd == 0) return false;
    if (nf == 1) frac *= 10;
    *centi = whole * 100 + frac;
    return *centi <= (int64_t)100000000 * 100;
}

const char *intention_amount_text(arena *a, int64_t centi)
{
    if (centi < 0) return "";
    if (centi % 100 == 0) return arena_printf(a, "%lld", (long long)(centi / 100));
    if (centi % 10 == 0)
        return arena_printf(a, "%lld.%lld", (long long)(centi / 100),
                            (long long)(centi % 100 / 10));
    return arena_printf(a, "%lld.%02lld", (long long)(centi / 100), (long long)(centi % 100));
}

static int64_t actor(const dctx *c)
{
    return c->user ? c->user->id : 0;
}

static err_code need_user(const dctx *c, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    return ERR_OK;
}

static bool is_party(const dctx *c, const intention_rec *i)
{
    if (dctx_is_staff(c)) return true;
    if (!c->user || !c->user->org_id) return false;
    return c->user->org_id == i->org_a_id || c->user->org_id == i->org_b_id;
}

/* An optional id given as text: "" / NULL → 0. */
static err_code opt_id(const char *field, const char *v, int64_t *out, err *e)
{
    *out = 0;
    if (!v || !*v) return ERR_OK;
    if (!str_to_i64(v, 1, INT64_MAX, out))
        return err_set(e, ERR_INVALID, field, "intention.err.id", "%s must be a record id", field);
    return ERR_OK;
}

static const char *json_text(arena *a, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *r = arena_strdup(a, s ? s : "{}");
    free(s);
    return r;
}

err_code intention_create(dctx *c, const intention_input *in, int64_t *id, err *e)
{
    if (need_user(c, e)) return e->code;
    intention_rec r = {.stage = "preliminary", .amount_centi = -1, .created_by = actor(c)};
    r.title = input_clean(c->a, in->title);
    r.note = input_clean(c->a, in->note);
    if (input_check_text("title", r.title, true, MAX_TITLE, e) ||
        input_check_text("note", r.note, false, MAX_NOTE, e) ||
        opt_id("event_id", in->event_id, &r.event_id, e) ||
        opt_id("meeting_id", in->meeting_id, &r.meeting_id, e) ||
        opt_id("achievement_id", in->achievement_id, &r.achievement_id, e) ||
        opt_id("need_id", in->need_id, &r.need_id, e) ||
        opt_id("org_a_id", in->org_a_id, &r.org_a_id, e) ||
        opt_id("org_b_id", in->org_b_id, &r.org_b_id, e))
        return e->code;
    const char *src = input_clean(c->a, in->source);
    if (!src || !*src) src = r.meeting_id ? "meeting" : "manual";
    if (!str_eq(src, "meeting") && !str_eq(src, "match") && !str_eq(src, "manual"))
        return err_set(e, ERR_INVALID, "source", "err.choice",
                       "source must be meeting, match or manual");
    r.source = src;
    if (str_eq(src, "meeting") && !r.meeting_id)
        return err_set(e, ERR_INVALID, "meeting_id", "err.required", "meeting_id is required");
    if (str_eq(src, "match") && !r.achievement_id)
        return err_set(e, ERR_INVALID, "achievement_id", "err.required",
                       "achievement_id is required");
    if (str_eq(src, "match") && !r.need_id)
        return err_set(e, ERR_INVALID, "need_id", "err.required", "need_id is required");
    /* the linked records: kinds checked, organizations derived where not given */
    if (r.meeting_id) {
        int64_t ev = 0, o1 = 0, o2 = 0;
        if (store_intention_meeting_parties(c->db, r.meeting_id, &ev, &o1, &o2, e)) {
            if (e->code == ERR_NOT_FOUND)
                return err_set(e, ERR_INVALID, "meeting_id", "intention.err.no_meeting",
                               "no such meeting");
            return e->code;
        }
        if (r.event_id && r.event_id != ev)
            return err_set(e, ERR_INVALID, "event_id", "intention.err.event_mismatch",
                           "the meeting belongs to another event");
        r.event_id = ev;
        if (!r.org_a_id && !r.org_b_id) {
            r.org_a_id = o1;
            r.org_b_id = o2 != o1 ? o2 : 0;
        }
    }
    if (r.achievement_id) {
        listing_rec l;
        if (listing_get(c, r.achievement_id, &l, e) || !str_eq(l.kind, "achievement")) {
            return err_set(e, ERR_INVALID, "achievement_id", "intention.err.no_achievement",
                           "no such achievement");
        }
        if (!r.org_a_id) r.org_a_id = l.org_id;
    }
    if (r.need_id) {
        listing_rec l;
        if (listing_get(c, r.need_id, &l, e) || !str_eq(l.kind, "need"))
            return err_set(e, ERR_INVALID, "need_id", "intention.err.no_need", "no such need");
        if (!r.org_b_id) r.org_b_id = l.org_id;
    }
    event_rec ev = {.date = ""};
    if (r.event_id && store_event_get(c->db, c->a, r.event_id, &ev, e))
        return err_set(e, ERR_INVALID, "event_id", "intention.err.no_event", "no such event");
    const char *of[2] = {"org_a_id", "org_b_id"};
    int64_t *ov[2] = {&r.org_a_id, &r.org_b_id};
    for (int k = 0; k < 2; k++) {
        if (!*ov[k]) continue;
        org_rec o;
        if (store_org_get(c->db, c->a, *ov[k], &o, e))
            return err_set(e, ERR_INVALID, of[k], "err.unknown_org", "no such organization");
    }
    if (!r.org_a_id && !r.org_b_id)
        return err_set(e, ERR_INVALID, "org_a_id", "err.required", "an organization is required");
    if (!is_party(c, &r))
        return err_set(e, ERR_FORBIDDEN, NULL, "intention.err.not_party",
                       "only organizers and members of the linked organizations record this");
    *e = (err){0};
    if (db_begin(c->db, e)) return e->code;
    const char *detail =
        json_text(c->a, json_pack("{s:s,s:s}", "stage", r.stage, "source", r.source));
    if (store_intention_insert(c->db, &r, id, e) ||
        store_history_add(c->db, "intention", *id, actor(c), "create", detail, e) ||
        (r.event_id && outcome_followup_create(c, *id, ev.date, e)) || db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code intention_get(dctx *c, int64_t id, intention_rec *out, err *e)
{
    if (need_user(c, e) || store_intention_get(c->db, c->a, id, out, e)) return e->code;
    if (!is_party(c, out))
        return err_set(e, ERR_FORBIDDEN, NULL, "intention.err.not_party",
                       "this intention belongs to other organizations");
    return ERR_OK;
}

err_code intention_list(dctx *c, const char *stage, const char *event_id, intention_rec **out,
                        int *n, err *e)
{
    *out = NULL;
    *n = 0;
    if (need_user(c, e)) return e->code;
    intention_filter f = {0};
    if (stage && *stage) {
        if (!intention_stage_valid(stage))
            return err_set(e, ERR_INVALID, "stage", "err.choice", "unknown stage");
        f.stage = stage;
    }
    if (opt_id("event_id", event_id, &f.event_id, e)) return e->code;
    if (!dctx_is_staff(c)) {
        if (!c->user || !c->user->org_id) return ERR_OK;
        f.org_id = c->user->org_id;
    }
    return store_intention_list(c->db, c->a, &f, out, n, e);
}

err_code intention_move(dctx *c, int64_t id, const intention_move_input *in, err *e)
{
    intention_rec r;
    if (intention_get(c, id, &r, e)) return e->code;
    const char *to = input_clean(c->a, in->stage);
    if (!to || !*to) return err_set(e, ERR_INVALID, "stage", "err.required", "stage is required");
    if (!intention_stage_valid(to))
        return err_set(e, ERR_INVALID, "stage", "err.choice", "unknown stage");
    if (!intention_stage_allowed(r.stage, to))
        return err_set(e, ERR_CONFLICT, "stage", "intention.err.move",
                       "an intention at stage %s cannot move to %s", r.stage, to);
    const char *from = r.stage;
    r.stage = to;
    if (str_eq(to, "terminated")) {
        r.terminate_reason = input_clean(c->a, in->reason);
        if (input_check_text("reason", r.terminate_reason, true, MAX_REASON, e)) return e->code;
    } else if (stage_index(to) >= 2 && !*r.contract_type) {
        /* signing: contract type, amount and date all required */
        const char *type = input_clean(c->a, in->contract_type);
        const char *amount = input_clean(c->a, in->amount);
        const char *date = input_clean(c->a, in->signed_on);
        if (!type || !*type)
            return err_set(e, ERR_INVALID, "contract_type", "err.required",
                           "contract_type is required");
        if (!intention_contract_type_valid(type))
            return err_set(e, ERR_INVALID, "contract_type", "err.choice",
                           "contract_type must be development, transfer, license, consulting or "
                           "service");
        if (!amount || !*amount)
            return err_set(e, ERR_INVALID, "amount", "err.required", "amount is required");
        if (!intention_amount_parse(amount, &r.amount_centi))
            return err_set(e, ERR_INVALID, "amount", "intention.err.amount",
                           "amount must be a number of 万元 with at most 2 decimals");
        if (!date || !*date)
            return err_set(e, ERR_INVALID, "signed_on", "err.required", "signed_on is required");
        if (!input_date_valid(date))
            return err_set(e, ERR_INVALID, "signed_on", "err.date", "signed_on must be YYYY-MM-DD");
        r.contract_type = type;
        r.signed_on = date;
    }
    json_t *d = json_pack("{s:s,s:s}", "from", from, "to", to);
    if (str_eq(to, "terminated"))
        json_object_set_new(d, "reason", json_string(r.terminate_reason));
    else if (*r.contract_type)
        json_object_set_new(d, "contract",
                            json_pack("{s:s,s:s,s:s}", "type", r.contract_type, "amount_wan",
                                      intention_amount_text(c->a, r.amount_centi), "date",
                                      r.signed_on));
    const char *detail = json_text(c->a, d);
    if (db_begin(c->db, e)) return e->code;
    if (store_intention_set_stage(c->db, &r, e) ||
        store_history_add(c->db, "intention", id, actor(c), "stage", detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code intention_followups(dctx *c, int64_t id, followup_rec **out, int *n, err *e)
{
    intention_rec r;
    if (intention_get(c, id, &r, e)) return e->code;
    return store_followups(c->db, c->a, id, NULL, out, n, e);
}

err_code intention_followup_add(dctx *c, int64_t id, const char *text, const char *due_date,
                                int64_t *fid, err *e)
{
    intention_rec r;
    if (intention_get(c, id, &r, e)) return e->code;
    followup_rec f = {.intention_id = id};
    f.text = input_clean(c->a, text);
    f.due_date = input_clean(c->a, due_date);
    if (input_check_text("text", f.text, true, MAX_FU_TEXT, e)) return e->code;
    if (!f.due_date || !*f.due_date)
        return err_set(e, ERR_INVALID, "due_date", "err.required", "due_date is required");
    if (!input_date_valid(f.due_date))
        return err_set(e, ERR_INVALID, "due_date", "err.date", "due_date must be YYYY-MM-DD");
    const char *detail =
        json_text(c->a, json_pack("{s:s,s:s}", "text", f.text, "due_date", f.due_date));
    if (db_begin(c->db, e)) return e->code;
    if (store_followup_insert(c->db, &f, actor(c), fid, e) ||
        store_history_add(c->db, "intention", id, actor(c), "followup", detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code intention_followup_done(dctx *c, int64_t id, int64_t fid, const char *done, err *e)
{
    intention_rec r;
    followup_rec f;
    if (intention_get(c, id, &r, e)) return e->code;
    if (store_followup_get(c->db, c->a, fid, &f, e)) return e->code;
    if (f.intention_id != id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "follow-up %lld not found",
                       (long long)fid);
    bool v = true;
    if (done) {
        const char *d = input_clean(c->a, done);
        if (input_truthy(d))
            v = true;
        else if (!*d || str_eq(d, "0") || str_eq(d, "false") || str_eq(d, "off") || str_eq(d, "no"))
            v = false;
        else
            return err_set(e, ERR_INVALID, "done", "err.choice", "done must be true or false");
    }
    const char *detail =
        json_text(c->a, json_pack("{s:I,s:b}", "followup_id", (json_int_t)fid, "done", v));
    if (db_begin(c->db, e)) return e->code;
    if (store_followup_set_done(c->db, fid, v, e) ||
        store_history_add(c->db, "intention", id, actor(c), "followup_done", detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code intention_overdue(dctx *c, followup_rec **out, int *n, err *e)
{
    *out = NULL;
    *n = 0;
    if (need_user(c, e)) return e->code;
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "organizers only");
    char today[17];
    event_now_local(today);
    today[10] = 0;
    return store_followups(c->db, c->a, 0, today, out, n, e);
}

err_code intention_history(dctx *c, int64_t id, history_rec **out, int *n, err *e)
{
    intention_rec r;
    if (intention_get(c, id, &r, e)) return e->code;
    return store_history_list(c->db, c->a, "intention", id, out, n, e);
}

static json_t *id_or_null(int64_t v)
{
    return v ? json_integer(v) : json_null();
}

json_t *intention_to_json(arena *a, const intention_rec *i)
{
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
        (json_int_t)i->id, "title", i->title, "source", i->source, "stage", i->stage, "event_id",
        id_or_null(i->event_id), "meeting_id", id_or_null(i->meeting_id), "achievement_id",
        id_or_null(i->achievement_id), "need_id", id_or_null(i->need_id), "org_a_id",
        id_or_null(i->org_a_id), "org_b_id", id_or_null(i->org_b_id), "event_title", i->event_title,
        "achievement_title", i->achievement_title, "need_title", i->need_title, "org_a_name",
        i->org_a_name, "org_b_name", i->org_b_name, "terminate_reason", i->terminate_reason, "note",
        i->note, "created_at", i->created_at, "updated_at", i->updated_at, "contract_type",
        i->contract_type);
    if (*i->contract_type)
        json_object_set_new(o, "contract",
                            json_pack("{s:s,s:s,s:s}", "type", i->contract_type, "amount_wan",
                                      intention_amount_text(a, i->amount_centi), "signed_on",
                                      i->signed_on));
    else
        json_object_set_new(o, "contract", json_null());
    json_object_del(o, "contract_type");
    json_object_set_new(o, "open", json_boolean(intention_stage_open(i->stage)));
    return o;
}

json_t *followup_to_json(const followup_rec *f)
{
    json_t *o =
        json_pack("{s:I,s:I,s:s,s:s,s:b,s:s,s:s,s:s}", "id", (json_int_t)f->id, "intention_id",
                  (json_int_t)f->intention_id, "text", f->text, "due_date", f->due_date, "done",
                  f->done, "created_at", f->created_at, "intention_title", f->intention_title,
                  "kind", f->kind && *f->kind ? f->kind : "task");
    bool six = f->kind && str_eq(f->kind, "six_month");
    json_object_set_new(o, "outcome",
                        six && f->outcome && *f->outcome ? json_string(f->outcome) : json_null());
    json_object_set_new(o, "outcome_note",
                        json_string(six && f->outcome_note ? f->outcome_note : ""));
    json_object_set_new(o, "outcome_at",
                        six && f->outcome_at && *f->outcome_at ? json_string(f->outcome_at)
                                                               : json_null());
    json_object_set_new(o, "event_id", f->event_id ? json_integer(f->event_id) : json_null());
    return o;
}

/* ---- import (domain/import.c) ---- */
int intention_check_recorded(const intention_recorded *in, int64_t *centi,
                             void (*add)(void *ctx, const err *e), void *ctx)
{
    int n = 0;
    err e;
#define PROBLEM(...)                                                                               \
    do {                                                                                           \
        e = (err){0};                                                                              \
        err_set(&e, ERR_INVALID, __VA_ARGS__);                                                     \
        add(ctx, &e);                                                                              \
        n++;                                                                                       \
    } while (0)
    *centi = -1;
    const char *stage = in->stage, *type = in->contract_type, *amount = in->amount,
               *date = in->signed_on, *reason = in->reason;
    bool has_type = type && *type, has_amount = amount && *amount, has_date = date && *date;
    bool any = has_type || has_amount || has_date;
    if (!stage || !*stage) {
        PROBLEM("stage", "err.required", "stage is required");
        return n;
    }
    if (!intention_stage_valid(stage)) {
        PROBLEM("stage", "err.choice",
                "stage must be preliminary, negotiating, signed, implementing, completed or "
                "terminated");
        return n;
    }
    bool term = str_eq(stage, "terminated");
    /* signed and later carry the contract; a terminated intention carries it when it was
     * signed before; earlier stages never do */
    bool need_contract = stage_index(stage) >= 2 || (term && any);
    if (stage_index(stage) >= 0 && stage_index(stage) < 2 && any)
        PROBLEM(has_type     ? "contract_type"
                : has_amount ? "amount_wan"
                             : "signed_on",
                "intention.err.contract_early", "an intention at stage %s has no contract yet",
                stage);
    if (need_contract) {
        if (!has_type)
            PROBLEM("contract_type", "err.required", "contract_type is required from signed on");
        else if (!intention_contract_type_valid(type))
            PROBLEM("contract_type", "err.choice",
                    "contract_type must be development, transfer, license, consulting or service");
        if (!has_amount)
            PROBLEM("amount_wan", "err.required", "the contract amount is required from signed on");
        else if (!intention_amount_parse(amount, centi))
            PROBLEM("amount_wan", "intention.err.amount",
                    "amount must be a number of 万元 (≥ 0) with at most 2 decimals");
        if (!has_date)
            PROBLEM("signed_on", "err.required", "signed_on is required from signed on");
        else if (!input_date_valid(date))
            PROBLEM("signed_on", "err.date", "signed_on must be YYYY-MM-DD");
    }
    e = (err){0};
    if (term && input_check_text("terminate_reason", reason, true, MAX_REASON, &e)) {
        add(ctx, &e);
        n++;
    } else if (!term && reason && *reason)
        PROBLEM("terminate_reason", "intention.err.reason_open",
                "only a terminated intention has a termination reason");
#undef PROBLEM
    return n;
}

err_code intention_import(dctx *c, intention_rec *r, err *e)
{
    if (need_user(c, e)) return e->code;
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers import");
    r->title = input_clean(c->a, r->title);
    r->note = input_clean(c->a, r->note);
    if (input_check_text("title", r->title, true, MAX_TITLE, e) ||
        input_check_text("note", r->note, false, MAX_NOTE, e))
        return e->code;
    if (!str_eq(r->source, "meeting") && !str_eq(r->source, "match") &&
        !str_eq(r->source, "manual"))
        return err_set(e, ERR_INVALID, "source", "err.choice",
                       "source must be meeting, match or manual");
    if (!r->org_a_id && !r->org_b_id)
        return err_set(e, ERR_INVALID, "org_a", "err.required", "an organization is required");
    r->meeting_id = 0; /* a meeting of another installation: the source stays, the link goes */
    r->created_by = actor(c);
    event_rec ev = {.date = ""};
    if (r->event_id && store_event_get(c->db, c->a, r->event_id, &ev, e)) return e->code;
    const char *detail =
        json_text(c->a, json_pack("{s:s,s:s}", "stage", r->stage, "source", r->source));
    if (db_begin(c->db, e)) return e->code;
    if (store_intention_insert_full(c->db, r, &r->id, e) ||
        store_history_add(c->db, "intention", r->id, actor(c), "import", detail, e) ||
        (r->event_id && outcome_followup_create(c, r->id, ev.date, e)) || db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}
