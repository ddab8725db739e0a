/* listing.c — achievements (科技成果) and needs (技术需求): validation, ownership, states,
 * history and what each viewer may see. */
#include <string.h>

#include "domain/domain.h"

static const char *achievement_modes[] = {"transfer", "license", "joint", "equity", "service"};
static const char *need_modes[] = {"transfer", "license", "joint",
                                   "equity",   "service", "commission"};
static const char *need_types[] = {"product_rd", "tech_breakthrough", "industry_upgrade"};
static const char *patent_statuses[] = {"granted", "pending", "pct"};

enum {
    MAX_TITLE = 120,
    MAX_SUMMARY = 500,
    MAX_DESCRIPTION = 20000,
    MAX_ADVANTAGES = 5000,
    MAX_KEYWORDS = 10,
    MAX_KEYWORD = 40,
    MAX_PATENTS = 20,
    MAX_PRICE_WAN = 100000000,
    MAX_REASON = 500,
};

static bool in_set(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(v, set[i])) return true;
    return false;
}

bool listing_kind_valid(const char *kind)
{
    return str_eq(kind, "achievement") || str_eq(kind, "need");
}

bool listing_mode_valid(const char *kind, const char *mode)
{
    return str_eq(kind, "need") ? in_set(mode, need_modes, ARRAY_LEN(need_modes))
                                : in_set(mode, achievement_modes, ARRAY_LEN(achievement_modes));
}

static bool has_cjk(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xe3 && *p <= 0xe9) return true;
    return false;
}

/* ---- validation: one check per rule, in a fixed order ----
 * listing_validate runs the checks in order and stops at the first problem; listing_check_all
 * runs every one (a field that already failed is not checked again), so an import can show all
 * the problems of a row. Each check reads the cleaned input and fills its part of l. */
typedef struct {
    arena *a;
    bool need;
    const listing_input *raw; /* as given */
    listing_input in;         /* cleaned */
    listing_rec *l;
} vstate;

static err_code chk_title(vstate *v, err *e)
{
    if (input_check_text("title", v->in.title, true, MAX_TITLE, e)) return e->code;
    if (utf8_count(v->in.title) < 2)
        return err_set(e, ERR_INVALID, "title", "err.too_short", "title is too short");
    return ERR_OK;
}

static err_code chk_summary(vstate *v, err *e)
{
    return input_check_text("summary", v->in.summary, !v->need, MAX_SUMMARY, e);
}

static err_code chk_description(vstate *v, err *e)
{
    return input_check_text("description", v->in.description, true, MAX_DESCRIPTION, e);
}

static err_code chk_advantages(vstate *v, err *e)
{
    return input_check_text("advantages", v->in.advantages, false, MAX_ADVANTAGES, e);
}

static err_code chk_field(vstate *v, err *e)
{
    const char *f = v->in.field;
    if (!f || !*f) return err_set(e, ERR_INVALID, "field", "err.required", "field is required");
    if (!taxonomy_field(f))
        return err_set(e, ERR_INVALID, "field", "err.unknown_field", "unknown field '%s'",
                       input_check_text("field", f, true, 60, NULL) ? "?" : f);
    return ERR_OK;
}

static err_code chk_keywords(vstate *v, err *e)
{
    const char *k = v->in.keywords;
    if (k && !utf8_valid_text(k, strlen(k)))
        return err_set(e, ERR_INVALID, "keywords", "err.utf8", "keywords are not valid UTF-8");
    char **kw;
    int nkw = input_split_list(v->a, k, &kw);
    if (nkw > MAX_KEYWORDS)
        return err_set(e, ERR_INVALID, "keywords", "err.too_many", "at most %d keywords",
                       MAX_KEYWORDS);
    json_t *kwj = json_array();
    for (int i = 0; i < nkw; i++) {
        if (utf8_count(kw[i]) > MAX_KEYWORD) {
            json_decref(kwj);
            return err_set(e, ERR_INVALID, "keywords", "err.too_long",
                           "keyword %d is longer than %d characters", i + 1, MAX_KEYWORD);
        }
        json_array_append_new(kwj, json_string(kw[i]));
    }
    char *kwtext = json_dumps(kwj, JSON_COMPACT);
    v->l->keywords = arena_strdup(v->a, kwtext);
    free(kwtext);
    json_decref(kwj);
    return ERR_OK;
}

/* maturity: required for achievements, the minimum wanted for needs */
static err_code chk_trl(vstate *v, err *e)
{
    int64_t trl = 0;
    if (v->in.trl && *v->in.trl) {
        if (!str_to_i64(v->in.trl, 1, 9, &trl))
            return err_set(e, ERR_INVALID, "trl", "err.trl", "trl must be a whole number 1–9");
    } else if (!v->need) {
        return err_set(e, ERR_INVALID, "trl", "err.required", "trl is required");
    }
    v->l->trl = (int)trl;
    return ERR_OK;
}

/* patents (achievements) */
static err_code chk_patents(vstate *v, err *e)
{
    const char *p = v->in.patents;
    json_t *pj = json_array();
    if (!v->need && p) {
        if (!utf8_valid_text(p, strlen(p))) {
            json_decref(pj);
            return err_set(e, ERR_INVALID, "patents", "err.utf8", "patents are not valid UTF-8");
        }
        char **lines;
        int nl = input_split_list(v->a, p, &lines);
        if (nl > MAX_PATENTS) {
            json_decref(pj);
            return err_set(e, ERR_INVALID, "patents", "err.too_many", "at most %d patents",
                           MAX_PATENTS);
        }
        for (int i = 0; i < nl; i++) {
            char *num = lines[i], *status = strchr(num, ' ');
            if (status) {
                *status++ = 0;
                status = str_trim(status);
            }
            if (!status || !*status) status = "pending";
            if (strlen(num) > 40 || !in_set(status, patent_statuses, ARRAY_LEN(patent_statuses))) {
                json_decref(pj);
                return err_set(e, ERR_INVALID, "patents", "err.patent",
                               "patent %d: write 'NUMBER granted|pending|pct'", i + 1);
            }
            json_array_append_new(pj, json_pack("{s:s,s:s}", "number", num, "status", status));
        }
    }
    char *ptext = json_dumps(pj, JSON_COMPACT);
    v->l->patents = arena_strdup(v->a, ptext);
    free(ptext);
    json_decref(pj);
    return ERR_OK;
}

/* transfer modes / wanted cooperation */
static err_code chk_modes(vstate *v, err *e)
{
    const char *mfield = v->need ? "cooperation" : "transfer_modes";
    const char *m = v->in.modes;
    if (m && !utf8_valid_text(m, strlen(m)))
        return err_set(e, ERR_INVALID, mfield, "err.utf8", "%s is not valid UTF-8", mfield);
    char **modes;
    int nm = input_split_list(v->a, m, &modes);
    if (nm == 0 && !v->need)
        return err_set(e, ERR_INVALID, mfield, "err.required", "choose at least one transfer mode");
    buf mb = {0};
    buf_putc(&mb, ',');
    for (int i = 0; i < nm; i++) {
        if (!listing_mode_valid(v->l->kind, modes[i])) {
            buf_free(&mb);
            return err_set(e, ERR_INVALID, mfield, "err.choice", "unknown mode '%.40s'", modes[i]);
        }
        char needle[32];
        snprintf(needle, sizeof needle, ",%s,", modes[i]);
        if (!strstr(mb.s, needle)) buf_printf(&mb, "%s,", modes[i]);
    }
    v->l->modes = arena_strdup(v->a, mb.s);
    buf_free(&mb);
    return ERR_OK;
}

/* price (achievement) / budget (need), 万元 */
static err_code chk_price(vstate *v, err *e)
{
    const char *pfield = v->need ? "budget_wan" : "price_wan";
    v->l->price_wan = -1;
    if (v->in.price_wan && *v->in.price_wan) {
        int64_t p;
        if (!str_to_i64(v->in.price_wan, 0, MAX_PRICE_WAN, &p))
            return err_set(e, ERR_INVALID, pfield, "err.amount",
                           "%s must be a whole number of 万元, or empty for 面议", pfield);
        v->l->price_wan = p;
    }
    return ERR_OK;
}

/* need-only fields */
static err_code chk_type(vstate *v, err *e)
{
    if (!v->need) return ERR_OK;
    const char *t = v->in.need_type;
    if (!t || !*t) return err_set(e, ERR_INVALID, "type", "err.required", "type is required");
    if (!in_set(t, need_types, ARRAY_LEN(need_types)))
        return err_set(e, ERR_INVALID, "type", "err.choice",
                       "type must be product_rd, tech_breakthrough or industry_upgrade");
    v->l->need_type = t;
    return ERR_OK;
}

static err_code chk_deadline(vstate *v, err *e)
{
    if (!v->need) return ERR_OK;
    const char *d = v->in.deadline;
    if (d && *d) {
        if (!input_date_valid(d))
            return err_set(e, ERR_INVALID, "deadline", "err.date",
                           "deadline must be a date YYYY-MM-DD");
        v->l->deadline = d;
    }
    v->l->anonymous = input_truthy(v->raw->anonymous);
    return ERR_OK;
}

/* contact: the lengths of all three first, then the shapes */
static err_code chk_contact_name(vstate *v, err *e)
{
    return input_check_text("contact_name", v->in.contact_name, false, 60, e);
}

static err_code chk_contact_phone_len(vstate *v, err *e)
{
    return input_check_text("contact_phone", v->in.contact_phone, false, 40, e);
}

static err_code chk_contact_email_len(vstate *v, err *e)
{
    return input_check_text("contact_email", v->in.contact_email, false, 200, e);
}

static err_code chk_contact_phone(vstate *v, err *e)
{
    const char *p = v->in.contact_phone;
    if (p && *p && !input_phone_plausible(p))
        return err_set(e, ERR_INVALID, "contact_phone", "err.phone",
                       "contact_phone may hold digits, spaces and + - ( ) only");
    return ERR_OK;
}

static err_code chk_contact_email(vstate *v, err *e)
{
    const char *m = v->in.contact_email;
    if (m && *m && !input_email_plausible(m))
        return err_set(e, ERR_INVALID, "contact_email", "err.email",
                       "contact_email is not a valid address");
    return ERR_OK;
}

static err_code chk_lang(vstate *v, err *e)
{
    const char *g = v->in.lang;
    if (g && *g) {
        if (!str_eq(g, "zh-Hans") && !str_eq(g, "zh-Hant") && !str_eq(g, "en"))
            return err_set(e, ERR_INVALID, "lang", "err.choice",
                           "lang must be zh-Hans, zh-Hant or en");
        v->l->lang = g;
    } else {
        /* listing_check_all gets here with a missing title or description too */
        v->l->lang = (v->in.title && has_cjk(v->in.title)) ||
                             (v->in.description && has_cjk(v->in.description))
                         ? "zh-Hans"
                         : "en";
    }
    return ERR_OK;
}

/* The checks in listing_validate's order, each with the field it names. */
static const struct {
    const char *field; /* for listing_check_all: a field checked twice is reported once */
    err_code (*check)(vstate *, err *);
} checks[] = {
    {"title", chk_title},
    {"summary", chk_summary},
    {"description", chk_description},
    {"advantages", chk_advantages},
    {"field", chk_field},
    {"keywords", chk_keywords},
    {"trl", chk_trl},
    {"patents", chk_patents},
    {"modes", chk_modes},
    {"price", chk_price},
    {"type", chk_type},
    {"deadline", chk_deadline},
    {"contact_name", chk_contact_name},
    {"contact_phone", chk_contact_phone_len},
    {"contact_email", chk_contact_email_len},
    {"contact_phone", chk_contact_phone},
    {"contact_email", chk_contact_email},
    {"lang", chk_lang},
};

static void vstate_init(vstate *v, arena *a, bool need, const listing_input *raw, listing_rec *l)
{
    v->a = a;
    v->need = need;
    v->raw = raw;
    v->l = l;
    v->in = (listing_input){
        .title = input_clean(a, raw->title),
        .summary = input_clean(a, raw->summary),
        .description = input_clean(a, raw->description),
        .advantages = input_clean(a, raw->advantages),
        .field = input_clean(a, raw->field),
        .keywords = raw->keywords,
        .trl = input_clean(a, raw->trl),
        .patents = raw->patents,
        .modes = raw->modes,
        .price_wan = input_clean(a, raw->price_wan),
        .need_type = input_clean(a, raw->need_type),
        .deadline = input_clean(a, raw->deadline),
        .contact_name = input_clean(a, raw->contact_name),
        .contact_phone = input_clean(a, raw->contact_phone),
        .contact_email = input_clean(a, raw->contact_email),
        .lang = input_clean(a, raw->lang),
    };
    memset(l, 0, sizeof *l);
    l->kind = need ? "need" : "achievement";
    l->need_type = "";
    l->deadline = "";
}

err_code listing_validate(dctx *c, const char *kind, const listing_input *raw, listing_rec *l,
                          err *e)
{
    if (!listing_kind_valid(kind))
        return err_set(e, ERR_INVALID, "kind", "err.choice", "kind must be achievement or need");
    vstate v;
    vstate_init(&v, c->a, str_eq(kind, "need"), raw, l);
    for (size_t i = 0; i < ARRAY_LEN(checks); i++)
        if (checks[i].check(&v, e)) return e->code;
    l->title = v.in.title;
    l->summary = v.in.summary ? v.in.summary : "";
    l->description = v.in.description;
    l->advantages = v.in.advantages ? v.in.advantages : "";
    l->field = v.in.field;
    l->contact_name = v.in.contact_name ? v.in.contact_name : "";
    l->contact_phone = v.in.contact_phone ? v.in.contact_phone : "";
    l->contact_email = v.in.contact_email ? v.in.contact_email : "";
    return ERR_OK;
}

/* May the actor post this kind for org o? Members post for their own org of the right type. */
static err_code check_owner_org(dctx *c, const char *kind, const org_rec *o, err *e)
{
    bool inst = str_eq(o->type, "university") || str_eq(o->type, "institute");
    bool need = str_eq(kind, "need");
    if (need && !str_eq(o->type, "enterprise"))
        return err_set(e, ERR_INVALID, "org", "err.org_kind", "needs belong to enterprises");
    if (!need && !inst && !str_eq(o->type, "enterprise"))
        return err_set(e, ERR_INVALID, "org", "err.org_kind",
                       "achievements belong to universities, institutes or enterprises");
    if (dctx_is_staff(c)) return ERR_OK;
    unsigned role = dctx_role(c);
    if (!c->user || c->user->org_id != o->id || (need ? !(role & ROLE_ENT) : !(role & ROLE_INST)))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden",
                       need ? "only enterprise members post needs"
                            : "only institution members list achievements");
    return ERR_OK;
}

static err_code resolve_org(dctx *c, const char *kind, const char *org, org_rec *o, err *e)
{
    if (!dctx_is_staff(c)) {
        if (!c->user || !c->user->org_id)
            return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden",
                           "you belong to no organization");
        if (store_org_get(c->db, c->a, c->user->org_id, o, e)) return e->code;
        return check_owner_org(c, kind, o, e);
    }
    if (!org || !*org) return err_set(e, ERR_INVALID, "org", "err.required", "org is required");
    int64_t oid;
    err_code rc = str_to_i64(org, 1, INT64_MAX, &oid) ? store_org_get(c->db, c->a, oid, o, e)
                                                      : store_org_find_name(c->db, c->a, org, o, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "org", "err.unknown_org", "unknown organization");
    if (rc) return rc;
    return check_owner_org(c, kind, o, e);
}

/* The status a new listing may be given (import and organizers). */
static err_code check_status(dctx *c, const char *status, err *e)
{
    if (!status || !*status) return ERR_OK;
    if (!str_eq(status, "draft") && !str_eq(status, "submitted") && !str_eq(status, "published") &&
        !str_eq(status, "archived"))
        return err_set(e, ERR_INVALID, "status", "err.choice",
                       "status must be draft, submitted, published or archived");
    if ((str_eq(status, "published") || str_eq(status, "archived")) && !dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, "status", "err.forbidden", "only organizers publish");
    return ERR_OK;
}

int listing_check_all(dctx *c, const char *kind, const listing_input *in,
                      void (*report)(void *ctx, const err *e), void *ctx)
{
    err e = {0};
    if (!listing_kind_valid(kind)) {
        err_set(&e, ERR_INVALID, "kind", "err.choice", "kind must be achievement or need");
        report(ctx, &e);
        return 1;
    }
    vstate v;
    listing_rec l;
    vstate_init(&v, c->a, str_eq(kind, "need"), in, &l);
    int n = 0;
    const char *failed[ARRAY_LEN(checks)];
    for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
        bool again = false;
        for (int k = 0; k < n && !again; k++)
            again = str_eq(failed[k], checks[i].field);
        if (again) continue;
        e = (err){0};
        if (checks[i].check(&v, &e)) {
            failed[n++] = checks[i].field;
            report(ctx, &e);
        }
    }
    org_rec o;
    e = (err){0};
    if (resolve_org(c, kind, in->org, &o, &e)) {
        report(ctx, &e);
        n++;
    }
    e = (err){0};
    if (check_status(c, in->status, &e)) {
        report(ctx, &e);
        n++;
    }
    return n;
}

err_code listing_create(dctx *c, const char *kind, const listing_input *in, int64_t *id, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    listing_rec l;
    if (listing_validate(c, kind, in, &l, e)) return e->code;
    org_rec o;
    if (resolve_org(c, kind, in->org, &o, e)) return e->code;
    l.org_id = o.id;
    l.created_by = c->user ? c->user->id : 0;
    l.status = "draft";
    if (in->status && *in->status) {
        if (check_status(c, in->status, e)) return e->code;
        l.status = in->status;
    }
    int64_t nid;
    if (db_begin(c->db, e)) return e->code;
    if (store_listing_insert(c->db, &l, &nid, e) ||
        store_history_add(c->db, l.kind, nid, l.created_by, "create",
                          arena_printf(c->a, "{\"status\":\"%s\"}", l.status), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (id) *id = nid;
    matching_listing_changed(c->db, nid);
    return ERR_OK;
}

bool listing_can_edit(const dctx *c, const listing_rec *l)
{
    if (dctx_is_staff(c)) return true;
    if (!c->user || c->user->org_id != l->org_id || str_eq(l->status, "archived")) return false;
    unsigned role = dctx_role(c);
    return str_eq(l->kind, "need") ? (role & ROLE_ENT) != 0 : (role & ROLE_INST) != 0;
}

static bool may_see(const dctx *c, const listing_rec *l)
{
    if (str_eq(l->status, "published")) return true;
    if (dctx_is_staff(c)) return true;
    return c->user && c->user->org_id == l->org_id;
}

err_code listing_get(dctx *c, int64_t id, listing_rec *l, err *e)
{
    err_code rc = store_listing_get(c->db, c->a, id, l, e);
    if (rc) return rc;
    if (!may_see(c, l))
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "listing %lld not found",
                       (long long)id);
    return ERR_OK;
}

/* Length of s cut to at most max bytes on a UTF-8 character boundary. */
static size_t cut_len(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) return n;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

static void diff_text(json_t *d, const char *name, const char *o, const char *n)
{
    if (strcmp(o, n))
        json_object_set_new(d, name, json_pack("[s%s%]", o, cut_len(o, 200), n, cut_len(n, 200)));
}

/* Records which fields an edit changed: {"title":["old","new"], …}, long values cut. */
static const char *diff_json(arena *a, const listing_rec *o, const listing_rec *n)
{
    json_t *d = json_object();
#define DIFF(f) diff_text(d, #f, o->f, n->f);
    DIFF(title)
    DIFF(summary)
    DIFF(description)
    DIFF(advantages)
    DIFF(field)
    DIFF(keywords)
    DIFF(patents)
    DIFF(modes)
    DIFF(need_type)
    DIFF(deadline)
    DIFF(contact_name)
    DIFF(contact_phone)
    DIFF(contact_email)
    DIFF(lang)
#undef DIFF
    if (o->trl != n->trl) json_object_set_new(d, "trl", json_pack("[ii]", o->trl, n->trl));
    if (o->price_wan != n->price_wan)
        json_object_set_new(d, "price_wan",
                            json_pack("[II]", (json_int_t)o->price_wan, (json_int_t)n->price_wan));
    if (o->anonymous != n->anonymous)
        json_object_set_new(d, "anonymous", json_pack("[bb]", o->anonymous, n->anonymous));
    char *s = json_dumps(d, JSON_COMPACT | JSON_ENSURE_ASCII);
    const char *out = arena_strdup(a, s);
    free(s);
    json_decref(d);
    return out;
}

err_code listing_update(dctx *c, int64_t id, const listing_input *in, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    listing_rec old, l;
    if (listing_get(c, id, &old, e)) return e->code;
    if (!listing_can_edit(c, &old))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "you may not edit this listing");
    if (listing_validate(c, old.kind, in, &l, e)) return e->code;
    l.id = id;
    int64_t uid = c->user ? c->user->id : 0;
    if (db_begin(c->db, e)) return e->code;
    if (store_listing_update(c->db, &l, e) ||
        store_history_add(c->db, old.kind, id, uid, "update", diff_json(c->a, &old, &l), e))
        goto fail;
    if (str_eq(old.status, "published") && !dctx_is_staff(c)) {
        if (store_listing_set_status(c->db, id, "submitted", "", e) ||
            store_history_add(c->db, old.kind, id, uid, "resubmit", "", e))
            goto fail;
    }
    if (db_commit(c->db, e)) goto fail;
    matching_listing_changed(c->db, id);
    return ERR_OK;
fail:
    db_rollback(c->db);
    return e->code;
}

err_code listing_transition(dctx *c, int64_t id, const char *action, const char *reason, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    listing_rec l;
    if (listing_get(c, id, &l, e)) return e->code;
    const char *to;
    bool staff_only = false, ok_from;
    if (str_eq(action, "submit")) {
        to = "submitted";
        ok_from = str_eq(l.status, "draft");
    } else if (str_eq(action, "publish")) { /* after review, or back from the archive */
        to = "published";
        staff_only = true;
        ok_from = str_eq(l.status, "submitted") || str_eq(l.status, "archived");
    } else if (str_eq(action, "reject")) {
        to = "draft";
        staff_only = true;
        ok_from = str_eq(l.status, "submitted");
    } else if (str_eq(action, "archive")) {
        to = "archived";
        ok_from = str_eq(l.status, "published");
    } else {
        return err_set(e, ERR_INVALID, "action", "err.choice", "unknown action '%.40s'", action);
    }
    if (staff_only ? !dctx_is_staff(c) : !listing_can_edit(c, &l))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "you may not %s this listing",
                       action);
    if (!ok_from)
        return err_set(e, ERR_CONFLICT, "status", "err.state", "cannot %s a listing that is %s",
                       action, l.status);
    char *why = input_clean(c->a, reason);
    if (str_eq(action, "reject")) {
        if (input_check_text("reason", why, true, MAX_REASON, e)) return e->code;
    } else {
        why = "";
    }
    json_t *detail = json_pack("{s:s,s:s,s:s}", "from", l.status, "to", to, "reason", why);
    char *dtext = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    const char *dt = arena_strdup(c->a, dtext);
    free(dtext);
    if (db_begin(c->db, e)) return e->code;
    if (store_listing_set_status(c->db, id, to, why, e) ||
        store_history_add(c->db, l.kind, id, c->user ? c->user->id : 0, action, dt, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    matching_listing_changed(c->db, id);
    return ERR_OK;
}

err_code listing_list(dctx *c, const char *scope, listing_filter *f, listing_rec **out, int *n,
                      int64_t *total, err *e)
{
    if (!scope || str_eq(scope, "public")) {
        f->status = "published";
    } else if (str_eq(scope, "mine")) {
        if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
        if (!c->user->org_id)
            return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden",
                           "you belong to no organization");
        f->org_id = c->user->org_id;
    } else if (str_eq(scope, "review") || str_eq(scope, "all")) {
        if (!dctx_is_staff(c))
            return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "organizers only");
        if (str_eq(scope, "review")) f->status = "submitted";
    } else {
        return err_set(e, ERR_INVALID, "scope", "err.choice",
                       "scope must be public, mine, review or all");
    }
    return store_listing_list(c->db, c->a, f, out, n, total, e);
}

static json_t *modes_json(const char *modes)
{
    json_t *arr = json_array();
    const char *p = modes;
    while (p && *p) {
        if (*p == ',') {
            p++;
            continue;
        }
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, len));
        p += len;
    }
    return arr;
}

json_t *listing_to_json(const dctx *c, const listing_rec *l)
{
    bool need = str_eq(l->kind, "need");
    bool own = c->user && c->user->org_id == l->org_id;
    bool editor = listing_can_edit(c, l);
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)l->id, "kind",
                  l->kind, "title", l->title, "summary", l->summary, "description", l->description,
                  "advantages", l->advantages, "field", l->field, "lang", l->lang, "status",
                  l->status, "created_at", l->created_at, "updated_at", l->updated_at);
    json_object_set_new(o, "published_at",
                        *l->published_at ? json_string(l->published_at) : json_null());
    json_t *kw = json_loads(l->keywords, 0, NULL);
    json_object_set_new(o, "keywords", kw ? kw : json_array());
    if (editor) json_object_set_new(o, "reject_reason", json_string(l->reject_reason));
    json_object_set_new(o, "can_edit", json_boolean(editor));
    if (need && l->anonymous && !dctx_is_staff(c) && !own) {
        json_object_set_new(o, "org", json_null());
    } else {
        json_object_set_new(o, "org",
                            json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)l->org_id, "name",
                                      l->org_name, "name_en", l->org_name_en, "type", l->org_type,
                                      "region", l->org_region));
    }
    bool hidden_org = need && l->anonymous && !dctx_is_staff(c) && !own;
    json_object_set_new(o, "contact_via_organizer", json_boolean(hidden_org && c->user));
    if ((c->user || c->system) && !hidden_org) /* a contact would reveal an anonymous company */
        json_object_set_new(o, "contact",
                            json_pack("{s:s,s:s,s:s}", "name", l->contact_name, "phone",
                                      l->contact_phone, "email", l->contact_email));
    else
        json_object_set_new(o, "contact", json_null());
    json_t *price = l->price_wan >= 0 ? json_integer(l->price_wan) : json_null();
    if (need) {
        json_object_set_new(o, "type", json_string(l->need_type));
        json_object_set_new(o, "trl_min", l->trl ? json_integer(l->trl) : json_null());
        json_object_set_new(o, "budget_wan", price);
        json_object_set_new(o, "deadline", *l->deadline ? json_string(l->deadline) : json_null());
        json_object_set_new(o, "cooperation", modes_json(l->modes));
        json_object_set_new(o, "anonymous", json_boolean(l->anonymous));
    } else {
        json_object_set_new(o, "trl", json_integer(l->trl));
        json_object_set_new(o, "price_wan", price);
        json_object_set_new(o, "transfer_modes", modes_json(l->modes));
        json_t *pat = json_loads(l->patents, 0, NULL);
        json_object_set_new(o, "patents", pat ? pat : json_array());
    }
    return o;
}
