/* event.c — matchmaking events (对接会): validation, who may do what, registration with capacity
 * and deadline, approval, signed check-in and the agenda. */
#include <ctype.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/domain.h"

static const char *categories[] = {"university", "institute", "enterprise", "government", "other"};
static const char *brings_codes[] = {"achievements", "needs", "both", "neither"};
static const char *agenda_kinds[] = {"opening", "roadshow", "matchmaking", "other"};

enum {
    MAX_TITLE = 120,
    MAX_TITLE_EN = 200,
    MAX_VENUE = 200,
    MAX_DESCRIPTION = 20000,
    MAX_ORGS = 20,
    MAX_FIELDS = 10,
    MAX_CAPACITY = 100000,
    MAX_NAME = 60,
    MAX_ORG_NAME = 100,
    MAX_LISTINGS = 20,
    MAX_PLACE = 100,
    MAX_SPEAKERS = 500,
};

static bool in_set(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(v, set[i])) return true;
    return false;
}

bool event_category_valid(const char *c)
{
    return in_set(c, categories, ARRAY_LEN(categories));
}

bool event_brings_valid(const char *b)
{
    return in_set(b, brings_codes, ARRAY_LEN(brings_codes));
}

bool agenda_kind_valid(const char *k)
{
    return in_set(k, agenda_kinds, ARRAY_LEN(agenda_kinds));
}

/* Exactly "HH:MM", 00:00–23:59. */
static bool hhmm_valid(const char *s)
{
    if (strlen(s) != 5 || s[2] != ':') return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && !isdigit((unsigned char)s[i])) return false;
    int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
    return h < 24 && m < 60;
}

/* DUIJIE_CLOCK pins the local time event rules see: "HH:MM" (today at that time) or
 * "YYYY-MM-DDTHH:MM". The test suites set it to 10:00, so that the demo event, held today from
 * 09:00 to 17:00, is open for registration whatever the hour the suite runs at. Anything else
 * (unset, malformed) means the real clock. */
static void pinned_clock(char out[17])
{
    const char *pin = getenv("DUIJIE_CLOCK");
    if (!pin) return;
    size_t n = strlen(pin);
    char day[11] = {0};
    if (n == 16) memcpy(day, pin, 10);
    if (n == 5 && hhmm_valid(pin))
        memcpy(out + 11, pin, 6);
    else if (n == 16 && pin[10] == 'T' && hhmm_valid(pin + 11) && input_date_valid(day))
        memcpy(out, pin, 17);
}

void event_now_local(char out[17])
{
    time_t t = time(NULL) + EVENT_TZ_OFFSET;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y-%m-%dT%H:%M", &tm);
    pinned_clock(out);
}

const char *event_local_time(arena *a, const char *utc)
{
    struct tm tm = {0};
    if (!utc || strlen(utc) < 19 ||
        sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return "";
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + EVENT_TZ_OFFSET;
    gmtime_r(&t, &tm);
    char out[17];
    strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
    return arena_strdup(a, out);
}

static err_code need_staff(const dctx *c, err *e)
{
    if (!c->user && !c->system) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers manage events");
    return ERR_OK;
}

static int64_t actor(const dctx *c)
{
    return c->user ? c->user->id : 0;
}

/* ---- events ---- */

/* ---- event input: one check per rule, in a fixed order ----
 * event_validate runs the checks in order and stops at the first problem; event_check_all runs
 * every one, so an import can show all the problems of a row. A check that compares with another
 * field (end after start, deadline before the end) compares only when that field is valid: in
 * event_validate it always is by then. */
typedef struct {
    dctx *c;
    const event_input *raw;
    event_rec *ev; /* cleaned input, filled as the checks pass */
    int64_t *ids;  /* co-organizers */
    int nids;
} evstate;

static err_code echk_title(evstate *v, err *e)
{
    return input_check_text("title", v->ev->title, true, MAX_TITLE, e);
}

static err_code echk_title_en(evstate *v, err *e)
{
    return input_check_text("title_en", v->ev->title_en, false, MAX_TITLE_EN, e);
}

static err_code echk_orgs(evstate *v, err *e)
{
    arena *a = v->c->a;
    char **items;
    int n = input_split_list(a, v->raw->orgs, &items);
    if (n == 0) return err_set(e, ERR_INVALID, "orgs", "err.required", "orgs is required");
    if (n > MAX_ORGS)
        return err_set(e, ERR_INVALID, "orgs", "err.too_many", "at most %d co-organizers",
                       MAX_ORGS);
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)n);
    int nids = 0;
    for (int i = 0; i < n; i++) {
        org_rec o;
        int64_t oid;
        err le = {0};
        err_code rc = str_to_i64(items[i], 1, INT64_MAX, &oid)
                          ? store_org_get(v->c->db, a, oid, &o, &le)
                          : store_org_find_name(v->c->db, a, items[i], &o, &le);
        if (rc == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "orgs", "err.unknown_org",
                           "unknown organization '%.60s'", items[i]);
        if (rc) return err_set(e, rc, NULL, NULL, "%s", le.msg);
        bool dup = false;
        for (int k = 0; k < nids; k++)
            dup |= ids[k] == o.id;
        if (!dup) ids[nids++] = o.id;
    }
    v->ids = ids;
    v->nids = nids;
    return ERR_OK;
}

static err_code echk_venue(evstate *v, err *e)
{
    return input_check_text("venue", v->ev->venue, true, MAX_VENUE, e);
}

static err_code echk_date(evstate *v, err *e)
{
    const char *d = v->ev->date;
    if (!d || !*d) return err_set(e, ERR_INVALID, "date", "err.required", "date is required");
    if (!input_date_valid(d))
        return err_set(e, ERR_INVALID, "date", "err.date", "date must be YYYY-MM-DD");
    return ERR_OK;
}

static err_code echk_start_time(evstate *v, err *e)
{
    const char *t = v->ev->start_time;
    if (!t || !*t)
        return err_set(e, ERR_INVALID, "start_time", "err.required", "start_time is required");
    if (!hhmm_valid(t))
        return err_set(e, ERR_INVALID, "start_time", "event.err.time", "start_time must be HH:MM");
    return ERR_OK;
}

static err_code echk_end_time(evstate *v, err *e)
{
    const char *s = v->ev->start_time, *t = v->ev->end_time;
    if (!t || !*t)
        return err_set(e, ERR_INVALID, "end_time", "err.required", "end_time is required");
    if (!hhmm_valid(t))
        return err_set(e, ERR_INVALID, "end_time", "event.err.time", "end_time must be HH:MM");
    if (s && hhmm_valid(s) && strcmp(s, t) >= 0)
        return err_set(e, ERR_INVALID, "end_time", "event.err.end_before_start",
                       "end_time must be after start_time");
    return ERR_OK;
}

static err_code echk_fields(evstate *v, err *e)
{
    arena *a = v->c->a;
    char **items;
    int n = input_split_list(a, v->raw->fields, &items);
    if (n > MAX_FIELDS)
        return err_set(e, ERR_INVALID, "fields", "err.too_many", "at most %d fields", MAX_FIELDS);
    buf f = {0};
    buf_putc(&f, ',');
    for (int i = 0; i < n; i++) {
        if (!taxonomy_field(items[i])) {
            buf_free(&f);
            return err_set(e, ERR_INVALID, "fields", "err.unknown_field", "unknown field '%.40s'",
                           items[i]);
        }
        char needle[64];
        snprintf(needle, sizeof needle, ",%s,", items[i]);
        if (!strstr(f.s, needle)) buf_printf(&f, "%s,", items[i]);
    }
    v->ev->fields = arena_strdup(a, f.s);
    buf_free(&f);
    return ERR_OK;
}

static err_code echk_description(evstate *v, err *e)
{
    return input_check_text("description", v->ev->description, false, MAX_DESCRIPTION, e);
}

static err_code echk_capacity(evstate *v, err *e)
{
    char *cap = input_clean(v->c->a, v->raw->capacity);
    if (cap && *cap && !str_to_i64(cap, 1, MAX_CAPACITY, &v->ev->capacity))
        return err_set(e, ERR_INVALID, "capacity", "event.err.capacity",
                       "capacity must be a whole number 1–%d, or empty for no limit", MAX_CAPACITY);
    return ERR_OK;
}

static err_code echk_reg_deadline(evstate *v, err *e)
{
    event_rec *ev = v->ev;
    char *dl = input_clean(v->c->a, v->raw->reg_deadline);
    ev->reg_deadline = "";
    if (dl && *dl) {
        if (strlen(dl) == 16 && dl[10] == ' ') dl[10] = 'T';
        char d10[11];
        snprintf(d10, sizeof d10, "%s", dl);
        if (strlen(dl) != 16 || dl[10] != 'T' || !input_date_valid(d10) || !hhmm_valid(dl + 11))
            return err_set(e, ERR_INVALID, "reg_deadline", "event.err.deadline",
                           "reg_deadline must be YYYY-MM-DDTHH:MM");
        if (ev->date && input_date_valid(ev->date) && ev->end_time && hhmm_valid(ev->end_time)) {
            const char *end = arena_printf(v->c->a, "%sT%s", ev->date, ev->end_time);
            if (strcmp(dl, end) > 0)
                return err_set(e, ERR_INVALID, "reg_deadline", "event.err.deadline_after",
                               "reg_deadline must not be after the event ends");
        }
        ev->reg_deadline = dl;
    }
    return ERR_OK;
}

/* The checks in event_validate's order (each names its own field). */
static err_code (*const event_checks[])(evstate *, err *) = {
    echk_title,       echk_title_en,   echk_orgs,         echk_venue,
    echk_date,        echk_start_time, echk_end_time,     echk_fields,
    echk_description, echk_capacity,   echk_reg_deadline,
};

static void evstate_init(evstate *v, dctx *c, const event_input *raw, event_rec *ev)
{
    arena *a = c->a;
    *v = (evstate){.c = c, .raw = raw, .ev = ev};
    memset(ev, 0, sizeof *ev);
    ev->title = input_clean(a, raw->title);
    ev->title_en = input_clean(a, raw->title_en);
    ev->venue = input_clean(a, raw->venue);
    ev->date = input_clean(a, raw->date);
    ev->start_time = input_clean(a, raw->start_time);
    ev->end_time = input_clean(a, raw->end_time);
    ev->description = input_clean(a, raw->description);
}

err_code event_validate(dctx *c, const event_input *raw, event_rec *ev, int64_t **org_ids,
                        int *norgs, err *e)
{
    evstate v;
    evstate_init(&v, c, raw, ev);
    for (size_t i = 0; i < ARRAY_LEN(event_checks); i++)
        if (event_checks[i](&v, e)) return e->code;
    if (!ev->description) ev->description = "";
    if (!ev->title_en) ev->title_en = "";
    ev->needs_approval = input_truthy(raw->needs_approval);
    *org_ids = v.ids;
    *norgs = v.nids;
    return ERR_OK;
}

int event_check_all(dctx *c, const event_input *in, void (*report)(void *ctx, const err *e),
                    void *ctx)
{
    err e = {0};
    if (need_staff(c, &e)) {
        report(ctx, &e);
        return 1;
    }
    event_rec ev;
    evstate v;
    evstate_init(&v, c, in, &ev);
    int n = 0;
    for (size_t i = 0; i < ARRAY_LEN(event_checks); i++) {
        e = (err){0};
        if (event_checks[i](&v, &e)) {
            report(ctx, &e);
            n++;
        }
    }
    return n;
}

err_code event_create(dctx *c, const event_input *in, int64_t *id, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec ev;
    int64_t *orgs;
    int norgs;
    if (event_validate(c, in, &ev, &orgs, &norgs, e)) return e->code;
    ev.status = "draft";
    ev.created_by = actor(c);
    int64_t nid;
    if (db_begin(c->db, e)) return e->code;
    if (store_event_insert(c->db, &ev, &nid, e) ||
        store_event_orgs_set(c->db, nid, orgs, norgs, e) ||
        store_history_add(c->db, "event", nid, actor(c), "create", "{\"status\":\"draft\"}", e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (id) *id = nid;
    return ERR_OK;
}

err_code event_get(dctx *c, int64_t id, event_rec *ev, err *e)
{
    err_code rc = store_event_get(c->db, c->a, id, ev, e);
    if (rc) return rc;
    if (!str_eq(ev->status, "published") && !dctx_is_staff(c))
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "event %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code event_update(dctx *c, int64_t id, const event_input *in, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec old, ev;
    if (event_get(c, id, &old, e)) return e->code;
    int64_t *orgs;
    int norgs;
    if (event_validate(c, in, &ev, &orgs, &norgs, e)) return e->code;
    ev.id = id;
    json_t *d = json_object();
#define DIFF(f)                                                                                    \
    if (strcmp(old.f, ev.f)) json_object_set_new(d, #f, json_pack("[ss]", old.f, ev.f));
    DIFF(title)
    DIFF(title_en)
    DIFF(venue)
    DIFF(date)
    DIFF(start_time)
    DIFF(end_time)
    DIFF(fields)
    DIFF(reg_deadline)
#undef DIFF
    if (old.capacity != ev.capacity)
        json_object_set_new(d, "capacity",
                            json_pack("[II]", (json_int_t)old.capacity, (json_int_t)ev.capacity));
    if (old.needs_approval != ev.needs_approval)
        json_object_set_new(d, "needs_approval",
                            json_pack("[bb]", old.needs_approval, ev.needs_approval));
    if (strcmp(old.description, ev.description))
        json_object_set_new(d, "description", json_string("changed"));
    char *dt = json_dumps(d, JSON_COMPACT);
    const char *detail = arena_strdup(c->a, dt);
    free(dt);
    json_decref(d);
    if (db_begin(c->db, e)) return e->code;
    if (store_event_update(c->db, &ev, e) || store_event_orgs_set(c->db, id, orgs, norgs, e) ||
        store_history_add(c->db, "event", id, actor(c), "update", detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code event_transition(dctx *c, int64_t id, const char *action, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec ev;
    if (event_get(c, id, &ev, e)) return e->code;
    const char *to, *from;
    if (str_eq(action, "publish")) {
        to = "published";
        from = "draft";
    } else if (str_eq(action, "unpublish")) {
        to = "draft";
        from = "published";
    } else {
        return err_set(e, ERR_INVALID, "action", "err.choice", "unknown action '%.40s'",
                       action ? action : "");
    }
    if (!str_eq(ev.status, from))
        return err_set(e, ERR_CONFLICT, "status", "err.state", "cannot %s an event that is %s",
                       action, ev.status);
    const char *detail = arena_printf(c->a, "{\"from\":\"%s\",\"to\":\"%s\"}", from, to);
    if (db_begin(c->db, e)) return e->code;
    if (store_event_set_status(c->db, id, to, e) ||
        store_history_add(c->db, "event", id, actor(c), action, detail, e) || db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code event_list(dctx *c, event_rec **out, int *n, err *e)
{
    return store_event_list(c->db, c->a, !dctx_is_staff(c), out, n, e);
}

bool event_registration_open(const event_rec *ev, const char *now, int64_t seats_taken,
                             const char **why)
{
    const char *reason = NULL;
    char end[17];
    snprintf(end, sizeof end, "%.10sT%.5s", ev->date, ev->end_time);
    if (!str_eq(ev->status, "published"))
        reason = "event.err.not_published";
    else if (*ev->reg_deadline ? strcmp(now, ev->reg_deadline) >= 0 : strcmp(now, end) >= 0)
        reason = "event.err.closed";
    else if (ev->capacity > 0 && seats_taken >= ev->capacity)
        reason = "event.err.full";
    if (why) *why = reason;
    return reason == NULL;
}

static json_t *codes_json(const char *list)
{
    json_t *arr = json_array();
    const char *p = list;
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

json_t *event_to_json(dctx *c, const event_rec *ev, err *e)
{
    event_org_rec *orgs;
    int norgs;
    int64_t taken;
    if (store_event_orgs_list(c->db, c->a, ev->id, &orgs, &norgs, e) ||
        store_registration_count_active(c->db, ev->id, &taken, e))
        return NULL;
    char now[17];
    event_now_local(now);
    const char *why;
    bool open = event_registration_open(ev, now, taken, &why);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:b,s:s,s:I,s:o,s:b,s:o,s:s,s:s,s:o}", "id",
        (json_int_t)ev->id, "title", ev->title, "title_en", ev->title_en, "venue", ev->venue,
        "date", ev->date, "start_time", ev->start_time, "end_time", ev->end_time, "fields",
        codes_json(ev->fields), "description", ev->description, "capacity",
        ev->capacity ? json_integer(ev->capacity) : json_null(), "reg_deadline",
        *ev->reg_deadline ? json_string(ev->reg_deadline) : json_null(), "needs_approval",
        ev->needs_approval, "status", ev->status, "seats_taken", (json_int_t)taken, "seats_left",
        ev->capacity ? json_integer(ev->capacity > taken ? ev->capacity - taken : 0) : json_null(),
        "registration_open", open, "closed_reason", why ? json_string(why) : json_null(),
        "created_at", ev->created_at, "updated_at", ev->updated_at, "published_at",
        *ev->published_at ? json_string(ev->published_at) : json_null());
    json_t *arr = json_array();
    for (int i = 0; i < norgs; i++)
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)orgs[i].org_id,
                                             "name", orgs[i].name, "name_en", orgs[i].name_en,
                                             "type", orgs[i].type));
    json_object_set_new(o, "orgs", arr);
    json_object_set_new(o, "url",
                        json_string(arena_printf(c->a, "/events/%lld", (long long)ev->id)));
    return o;
}

/* ---- registrations ---- */

static const char *new_token(arena *a)
{
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char *hex = arena_alloc(a, 33);
    sodium_bin2hex(hex, 33, raw, sizeof raw);
    return hex;
}

static bool same_email(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

/* ---- registration input: one check per rule, in a fixed order (as for events) ---- */
typedef struct {
    dctx *c;
    const registration_input *raw;
    registration_rec *r; /* cleaned input, filled as the checks pass */
    char *email;
    bool staff, self; /* self: a member registering themselves */
    int nl;           /* listings brought */
    int64_t *lids;
} regstate;

static err_code rchk_name(regstate *v, err *e)
{
    return input_check_text("name", v->r->name, true, MAX_NAME, e);
}

/* a member registering themselves may link their organization and its listings */
static err_code rchk_link_org(regstate *v, err *e)
{
    dctx *c = v->c;
    if (!input_truthy(v->raw->link_org)) return ERR_OK;
    if (!v->self || !c->user->org_id)
        return err_set(e, ERR_INVALID, "link_org", "event.err.link_org",
                       "only signed-in members of an organization can link it");
    org_rec org = {0};
    if (store_org_get(c->db, c->a, c->user->org_id, &org, e)) return e->code;
    v->r->org_id = org.id;
    if (!v->r->org_name || !*v->r->org_name) v->r->org_name = org.name;
    return ERR_OK;
}

static err_code rchk_org_name(regstate *v, err *e)
{
    return input_check_text("org_name", v->r->org_name, true, MAX_ORG_NAME, e);
}

static err_code rchk_category(regstate *v, err *e)
{
    const char *k = v->r->category;
    if (!k || !*k)
        return err_set(e, ERR_INVALID, "category", "err.required", "category is required");
    if (!event_category_valid(k))
        return err_set(e, ERR_INVALID, "category", "err.choice",
                       "category must be university, institute, enterprise, government or other");
    return ERR_OK;
}

static err_code rchk_brings(regstate *v, err *e)
{
    const char *b = v->r->brings;
    if (!b || !*b) return err_set(e, ERR_INVALID, "brings", "err.required", "brings is required");
    if (!event_brings_valid(b))
        return err_set(e, ERR_INVALID, "brings", "err.choice",
                       "brings must be achievements, needs, both or neither");
    return ERR_OK;
}

/* whether each listing matches what is brought is asked only of a valid brings */
static err_code rchk_listings(regstate *v, err *e)
{
    dctx *c = v->c;
    arena *a = c->a;
    const char *brings = v->r->brings;
    char **items;
    int nl = input_split_list(a, v->raw->listings, &items);
    v->lids = arena_alloc(a, sizeof(int64_t) * (size_t)(nl ? nl : 1));
    if (nl > MAX_LISTINGS)
        return err_set(e, ERR_INVALID, "listings", "err.too_many", "at most %d listings",
                       MAX_LISTINGS);
    if (nl && (!v->self || !c->user->org_id))
        return err_set(e, ERR_INVALID, "listings", "event.err.listings_member",
                       "only signed-in members bring their organization's listings");
    for (int i = 0; i < nl; i++) {
        listing_rec l;
        err le = {0};
        if (!str_to_i64(items[i], 1, INT64_MAX, &v->lids[i]) ||
            store_listing_get(c->db, a, v->lids[i], &l, &le) || !str_eq(l.status, "published") ||
            l.org_id != c->user->org_id)
            return err_set(e, ERR_INVALID, "listings", "event.err.listing",
                           "listing '%.20s' is not a published listing of your organization",
                           items[i]);
        bool ach = str_eq(l.kind, "achievement");
        if (event_brings_valid(brings) &&
            ((ach && !str_eq(brings, "achievements") && !str_eq(brings, "both")) ||
             (!ach && !str_eq(brings, "needs") && !str_eq(brings, "both"))))
            return err_set(e, ERR_INVALID, "listings", "event.err.listing_kind",
                           "listing %lld does not match what you bring", (long long)v->lids[i]);
    }
    v->nl = nl;
    return ERR_OK;
}

static err_code rchk_phone(regstate *v, err *e)
{
    const char *p = v->r->phone;
    if (input_check_text("phone", p, false, 40, e)) return e->code;
    if (p && *p && !input_phone_plausible(p))
        return err_set(e, ERR_INVALID, "phone", "err.phone",
                       "phone may hold digits, spaces and + - ( ) only");
    if (!p) v->r->phone = "";
    return ERR_OK;
}

static err_code rchk_email(regstate *v, err *e)
{
    char *email = v->email;
    if (input_check_text("email", email, true, 200, e)) return e->code;
    if (!input_email_plausible(email))
        return err_set(e, ERR_INVALID, "email", "err.email", "email is not a valid address");
    for (char *p = email; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    v->r->email = email;
    return ERR_OK;
}

/* The checks in registration_create's order (each names its own field). */
static err_code (*const reg_checks[])(regstate *, err *) = {
    rchk_name,   rchk_link_org, rchk_org_name, rchk_category,
    rchk_brings, rchk_listings, rchk_phone,    rchk_email,
};

static void regstate_init(regstate *v, dctx *c, const registration_input *raw, registration_rec *r)
{
    arena *a = c->a;
    *v = (regstate){.c = c, .raw = raw, .r = r};
    r->name = input_clean(a, raw->name);
    r->org_name = input_clean(a, raw->org_name);
    r->category = input_clean(a, raw->category);
    r->brings = input_clean(a, raw->brings);
    r->phone = input_clean(a, raw->phone);
    v->email = input_clean(a, raw->email);
    v->staff = dctx_is_staff(c);
    v->self = c->user && (!v->staff || same_email(v->email, c->user->email));
}

int registration_check_all(dctx *c, int64_t event_id, const registration_input *in,
                           void (*report)(void *ctx, const err *e), void *ctx)
{
    err e = {0};
    event_rec ev;
    if (event_get(c, event_id, &ev, &e)) {
        report(ctx, &e);
        return 1;
    }
    registration_rec r = {.event_id = event_id};
    regstate v;
    regstate_init(&v, c, in, &r);
    int n = 0;
    for (size_t i = 0; i < ARRAY_LEN(reg_checks); i++) {
        e = (err){0};
        if (reg_checks[i](&v, &e)) {
            report(ctx, &e);
            n++;
        }
    }
    return n;
}

err_code registration_create(dctx *c, int64_t event_id, const registration_input *raw, int64_t *id,
                             const char **token, err *e)
{
    arena *a = c->a;
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    registration_rec r = {.event_id = event_id};
    regstate v;
    regstate_init(&v, c, raw, &r);
    for (size_t i = 0; i < ARRAY_LEN(reg_checks); i++)
        if (reg_checks[i](&v, e)) return e->code;
    bool staff = v.staff, self = v.self;
    int nl = v.nl;
    int64_t *lids = v.lids;
    r.user_id = self ? c->user->id : 0;
    r.status = ev.needs_approval ? "pending" : "approved";
    r.token = new_token(a);

    int64_t nid;
    if (db_begin(c->db, e)) return e->code;
    /* the seat count and the insert share one write transaction: no overbooking */
    int64_t taken;
    if (store_registration_count_active(c->db, event_id, &taken, e)) goto fail;
    char now[17];
    event_now_local(now);
    const char *why;
    if (!staff && !event_registration_open(&ev, now, taken, &why)) {
        err_set(e, ERR_CONFLICT, NULL, why,
                str_eq(why, "event.err.full") ? "the event is full"
                                              : "registration for this event is closed");
        goto fail;
    }
    if (store_registration_insert(c->db, &r, &nid, e)) {
        if (e->code == ERR_CONFLICT)
            snprintf(e->msg, sizeof e->msg, "%s", "this email is already registered for the event");
        goto fail;
    }
    for (int i = 0; i < nl; i++)
        if (store_registration_listings_add(c->db, nid, lids[i], e)) goto fail;
    if (store_history_add(c->db, "registration", nid, actor(c), "create",
                          arena_printf(a, "{\"status\":\"%s\"}", r.status), e) ||
        db_commit(c->db, e))
        goto fail;
    if (id) *id = nid;
    if (token) *token = r.token;
    return ERR_OK;
fail:
    db_rollback(c->db);
    return e->code;
}

static err_code reg_of_event(dctx *c, int64_t event_id, int64_t id, registration_rec *r, err *e)
{
    err_code rc = store_registration_get(c->db, c->a, id, r, e);
    if (rc) return rc;
    if (r->event_id != event_id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "registration %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code registration_get(dctx *c, int64_t event_id, int64_t id, registration_rec *r, err *e)
{
    if (need_staff(c, e)) return e->code;
    return reg_of_event(c, event_id, id, r, e);
}

err_code registration_by_token(dctx *c, int64_t event_id, const char *token, registration_rec *r,
                               err *e)
{
    if (!token || strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32 ||
        store_registration_by_token(c->db, c->a, token, r, e) || r->event_id != event_id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "no such badge");
    return ERR_OK;
}

err_code registration_list(dctx *c, int64_t event_id, const char *status, registration_rec **out,
                           int *n, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    if (status && *status && !str_eq(status, "pending") && !str_eq(status, "approved") &&
        !str_eq(status, "rejected"))
        return err_set(e, ERR_INVALID, "status", "err.choice",
                       "status must be pending, approved or rejected");
    return store_registration_list(c->db, c->a, event_id, status && *status ? status : NULL, out, n,
                                   e);
}

err_code registration_decide(dctx *c, int64_t event_id, int64_t id, const char *action, err *e)
{
    if (need_staff(c, e)) return e->code;
    registration_rec r;
    if (reg_of_event(c, event_id, id, &r, e)) return e->code;
    const char *to;
    bool ok;
    if (str_eq(action, "approve")) {
        to = "approved";
        ok = str_eq(r.status, "pending") || str_eq(r.status, "rejected");
    } else if (str_eq(action, "reject")) {
        to = "rejected";
        ok = (str_eq(r.status, "pending") || str_eq(r.status, "approved")) && !*r.checked_in_at;
    } else {
        return err_set(e, ERR_INVALID, "action", "err.choice", "action must be approve or reject");
    }
    if (!ok)
        return err_set(e, ERR_CONFLICT, "status", "err.state",
                       "cannot %s a registration that is %s%s", action, r.status,
                       *r.checked_in_at ? " and checked in" : "");
    const char *detail = arena_printf(c->a, "{\"from\":\"%s\",\"to\":\"%s\"}", r.status, to);
    if (db_begin(c->db, e)) return e->code;
    if (store_registration_set_status(c->db, id, to, e) ||
        store_history_add(c->db, "registration", id, actor(c), action, detail, e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

json_t *registration_to_json(const registration_rec *r, const registration_listing_rec *ls, int nls)
{
    json_t *o = json_pack(
        "{s:I,s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "id", (json_int_t)r->id,
        "event_id", (json_int_t)r->event_id, "name", r->name, "org_name", r->org_name, "org_id",
        r->org_id ? json_integer(r->org_id) : json_null(), "user_id",
        r->user_id ? json_integer(r->user_id) : json_null(), "category", r->category, "brings",
        r->brings, "phone", r->phone, "email", r->email, "status", r->status, "checked_in_at",
        *r->checked_in_at ? json_string(r->checked_in_at) : json_null(), "created_at",
        r->created_at, "token", r->token);
    json_t *arr = json_array();
    for (int i = 0; i < nls; i++)
        if (ls[i].registration_id == r->id)
            json_array_append_new(arr,
                                  json_pack("{s:I,s:s,s:s}", "id", (json_int_t)ls[i].listing_id,
                                            "kind", ls[i].kind, "title", ls[i].title));
    json_object_set_new(o, "listings", arr);
    char badge[96];
    snprintf(badge, sizeof badge, "/events/%lld/badge/%s", (long long)r->event_id, r->token);
    json_object_set_new(o, "badge_url", json_string(badge));
    return o;
}

/* ---- check-in ---- */

err_code event_checkin_key(dctx *c, unsigned char key[32], err *e)
{
    const char *hex;
    err_code rc = store_setting_get(c->db, c->a, "checkin_key", &hex, e);
    if (rc == ERR_NOT_FOUND) {
        unsigned char raw[crypto_auth_KEYBYTES];
        crypto_auth_keygen(raw);
        char fresh[2 * crypto_auth_KEYBYTES + 1];
        sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
        sodium_memzero(raw, sizeof raw);
        if (store_setting_insert_new(c->db, "checkin_key", fresh, e)) return e->code;
        rc = store_setting_get(c->db, c->a, "checkin_key", &hex,
                               e); /* another writer may have won */
    }
    if (rc) return rc;
    size_t len = 0;
    if (sodium_hex2bin(key, 32, hex, strlen(hex), NULL, &len, NULL) || len != 32)
        return err_set(e, ERR_INTERNAL, NULL, NULL, "settings.checkin_key is not 64 hex digits");
    return ERR_OK;
}

void event_checkin_sign(const unsigned char key[32], int64_t event_id, int64_t reg_id, char sig[33])
{
    char msg[64];
    int n = snprintf(msg, sizeof msg, "checkin:%lld:%lld", (long long)event_id, (long long)reg_id);
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, key);
    sodium_bin2hex(sig, 33, mac, 16); /* 128 bits: fits the router's path words */
}

bool event_checkin_verify(const unsigned char key[32], int64_t event_id, int64_t reg_id,
                          const char *sig)
{
    char want[33];
    event_checkin_sign(key, event_id, reg_id, want);
    return sig && strlen(sig) == 32 && sodium_memcmp(want, sig, 32) == 0;
}

err_code event_checkin_path(dctx *c, int64_t event_id, int64_t reg_id, const char **path, err *e)
{
    unsigned char key[32];
    if (event_checkin_key(c, key, e)) return e->code;
    char sig[33];
    event_checkin_sign(key, event_id, reg_id, sig);
    sodium_memzero(key, sizeof key);
    *path = arena_printf(c->a, "/events/%lld/checkin/%lld/%s", (long long)event_id,
                         (long long)reg_id, sig);
    return ERR_OK;
}

err_code event_checkin(dctx *c, int64_t event_id, int64_t reg_id, const char *sig,
                       registration_rec *r, err *e)
{
    if (need_staff(c, e)) return e->code;
    if (sig) {
        unsigned char key[32];
        if (event_checkin_key(c, key, e)) return e->code;
        bool ok = event_checkin_verify(key, event_id, reg_id, sig);
        sodium_memzero(key, sizeof key);
        if (!ok)
            return err_set(e, ERR_FORBIDDEN, "sig", "event.err.bad_signature",
                           "this check-in link is not genuine");
    }
    event_rec ev;
    if (event_get(c, event_id, &ev, e) || reg_of_event(c, event_id, reg_id, r, e)) return e->code;
    char now[21];
    time_now_iso(now);
    bool done;
    if (db_begin(c->db, e)) return e->code;
    if (store_registration_checkin(c->db, reg_id, now, actor(c), &done, e) ||
        (done && store_history_add(c->db, "registration", reg_id, actor(c), "checkin", "", e)) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (reg_of_event(c, event_id, reg_id, r, e)) return e->code;
    if (done) return ERR_OK;
    if (*r->checked_in_at) {
        const char *local = event_local_time(c->a, r->checked_in_at);
        return err_set(e, ERR_CONFLICT, NULL, "event.err.already", "already checked in at %s",
                       strlen(local) >= 16 ? local + 11 : local);
    }
    return err_set(e, ERR_CONFLICT, "status", "event.err.not_approved",
                   "the registration is %s, not approved", r->status);
}

err_code event_counts(dctx *c, int64_t event_id, event_count_rec **out, int *n, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    return store_event_counts(c->db, c->a, event_id, out, n, e);
}

/* ---- agenda ---- */

static err_code agenda_validate(dctx *c, const agenda_input *in, agenda_rec *s, err *e)
{
    arena *a = c->a;
    memset(s, 0, sizeof *s);
    s->kind = input_clean(a, in->kind);
    s->title = input_clean(a, in->title);
    s->title_en = input_clean(a, in->title_en);
    s->start_time = input_clean(a, in->start_time);
    s->end_time = input_clean(a, in->end_time);
    s->place = input_clean(a, in->place);
    s->speakers = input_clean(a, in->speakers);
    if (!s->kind || !*s->kind)
        return err_set(e, ERR_INVALID, "kind", "err.required", "kind is required");
    if (!agenda_kind_valid(s->kind))
        return err_set(e, ERR_INVALID, "kind", "err.choice",
                       "kind must be opening, roadshow, matchmaking or other");
    if (input_check_text("title", s->title, true, MAX_TITLE, e) ||
        input_check_text("title_en", s->title_en, false, MAX_TITLE_EN, e))
        return e->code;
    if (!s->start_time || !*s->start_time)
        return err_set(e, ERR_INVALID, "start_time", "err.required", "start_time is required");
    if (!hhmm_valid(s->start_time))
        return err_set(e, ERR_INVALID, "start_time", "event.err.time", "start_time must be HH:MM");
    if (!s->end_time || !*s->end_time)
        return err_set(e, ERR_INVALID, "end_time", "err.required", "end_time is required");
    if (!hhmm_valid(s->end_time))
        return err_set(e, ERR_INVALID, "end_time", "event.err.time", "end_time must be HH:MM");
    if (strcmp(s->start_time, s->end_time) >= 0)
        return err_set(e, ERR_INVALID, "end_time", "event.err.end_before_start",
                       "end_time must be after start_time");
    if (input_check_text("place", s->place, false, MAX_PLACE, e) ||
        input_check_text("speakers", s->speakers, false, MAX_SPEAKERS, e))
        return e->code;
    if (!s->title_en) s->title_en = "";
    if (!s->place) s->place = "";
    if (!s->speakers) s->speakers = "";
    return ERR_OK;
}

err_code agenda_create(dctx *c, int64_t event_id, const agenda_input *in, int64_t *id, err *e)
{
    if (need_staff(c, e)) return e->code;
    event_rec ev;
    agenda_rec s;
    if (event_get(c, event_id, &ev, e) || agenda_validate(c, in, &s, e)) return e->code;
    s.event_id = event_id;
    int64_t nid;
    if (db_begin(c->db, e)) return e->code;
    if (store_agenda_insert(c->db, &s, &nid, e) ||
        store_history_add(c->db, "event", event_id, actor(c), "session_add",
                          arena_printf(c->a, "{\"session\":%lld}", (long long)nid), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    if (id) *id = nid;
    return ERR_OK;
}

err_code agenda_get(dctx *c, int64_t event_id, int64_t id, agenda_rec *s, err *e)
{
    if (need_staff(c, e)) return e->code;
    err_code rc = store_agenda_get(c->db, c->a, id, s, e);
    if (rc) return rc;
    if (s->event_id != event_id)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "session %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code agenda_update(dctx *c, int64_t event_id, int64_t id, const agenda_input *in, err *e)
{
    agenda_rec old, s;
    if (agenda_get(c, event_id, id, &old, e) || agenda_validate(c, in, &s, e)) return e->code;
    s.id = id;
    s.event_id = event_id;
    if (db_begin(c->db, e)) return e->code;
    if (store_agenda_update(c->db, &s, e) ||
        store_history_add(c->db, "event", event_id, actor(c), "session_update",
                          arena_printf(c->a, "{\"session\":%lld}", (long long)id), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code agenda_delete(dctx *c, int64_t event_id, int64_t id, err *e)
{
    agenda_rec old;
    if (agenda_get(c, event_id, id, &old, e)) return e->code;
    if (db_begin(c->db, e)) return e->code;
    if (store_agenda_delete(c->db, id, e) ||
        store_history_add(c->db, "event", event_id, actor(c), "session_delete",
                          arena_printf(c->a, "{\"session\":%lld}", (long long)id), e) ||
        db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}

err_code agenda_list(dctx *c, int64_t event_id, agenda_rec **out, int *n, err *e)
{
    event_rec ev;
    if (event_get(c, event_id, &ev, e)) return e->code;
    return store_agenda_list(c->db, c->a, event_id, out, n, e);
}

json_t *agenda_to_json(const agenda_rec *s)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)s->id, "event_id",
                     (json_int_t)s->event_id, "kind", s->kind, "title", s->title, "title_en",
                     s->title_en, "start_time", s->start_time, "end_time", s->end_time, "place",
                     s->place, "speakers", s->speakers);
}
