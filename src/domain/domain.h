/* domain.h — the rules of duijie: who may do what, what valid input is, how listings move
 * between states, and what each viewer may see. Pages, API and CLI all call these functions.
 *
 * Every function takes a dctx: the db connection, the arena that owns all returned memory,
 * and the acting user (NULL = anonymous; the CLI acts as DCTX_SYSTEM). Functions return ERR_OK
 * or an err_code with e set; e->field names the input at fault and e->key the catalog message. */
#ifndef DUIJIE_DOMAIN_H
#define DUIJIE_DOMAIN_H

#include <jansson.h>

#include "base/base.h"
#include "store/store.h"

typedef enum {
    ROLE_ADMIN = 1,
    ROLE_ORGANIZER = 2,
    ROLE_INST = 4, /* institution member: lists achievements */
    ROLE_ENT = 8,  /* enterprise member: posts needs */
    ROLE_EXPERT = 16,
} role_bit;
#define ROLE_STAFF (ROLE_ADMIN | ROLE_ORGANIZER)
#define ROLE_ANY_USER (ROLE_ADMIN | ROLE_ORGANIZER | ROLE_INST | ROLE_ENT | ROLE_EXPERT)

/* Maps "admin", "organizer", "inst_member", "ent_member", "expert" to a bit; 0 if unknown. */
unsigned role_parse(const char *name);

typedef struct {
    db *db;
    arena *a;
    const user_rec *user; /* NULL: anonymous visitor */
    bool system;          /* the command line: acts with organizer rights, no user */
} dctx;

unsigned dctx_role(const dctx *c);
bool dctx_is_staff(const dctx *c);

/* ---- input checks shared by the domain modules (validate.c) ---- */
/* A trimmed copy of v (arena-owned); NULL stays NULL. */
char *input_clean(arena *a, const char *v);
/* Valid UTF-8 text without controls, at most max characters; "" is ERR_INVALID when required. */
err_code input_check_text(const char *field, const char *v, bool required, size_t max, err *e);
/* Splits on , ， 、 ; ； and new lines into trimmed, non-empty items (arena-owned); the count. */
int input_split_list(arena *a, const char *v, char ***items);
bool input_truthy(const char *v);     /* "1", "true", "on", "yes" */
bool input_date_valid(const char *s); /* exactly YYYY-MM-DD, a real date in 2000–2100 */
bool input_email_plausible(const char *s);
bool input_phone_plausible(const char *s); /* digits, spaces, + - ( ); at least 5 */

/* ---- passwords, sessions, API tokens (auth.c) ---- */
/* Hashes pw with argon2id (libsodium); out must hold crypto_pwhash_STRBYTES (128). */
err_code auth_hash_password(const char *pw, char out[128], err *e);
bool auth_verify_password(const char *hash, const char *pw);
/* Checks the password policy (8–128 characters, valid UTF-8). */
err_code auth_check_password(const char *pw, const char *field, err *e);
/* Verifies email+password; on success creates a session and returns its secret token
 * (arena-owned, 43 chars) and the user. Rate-limited per client key (IP) and per email. */
err_code auth_login(dctx *c, const char *client, const char *email, const char *password,
                    const char **token, user_rec *user, err *e);
err_code auth_logout(dctx *c, const char *token, err *e);
/* Resolves a session token to its user and CSRF secret. */
err_code auth_session(dctx *c, const char *token, user_rec *user, const char **csrf, err *e);
/* Resolves a bearer token "dj_…" to its user. */
err_code auth_bearer(dctx *c, const char *token, user_rec *user, err *e);
/* Creates an API token for the acting user; returns the secret once (arena-owned). */
err_code auth_token_create(dctx *c, const char *name, const char **secret, int64_t *id, err *e);
err_code auth_token_revoke(dctx *c, int64_t id, err *e);
/* Hex SHA-256-sized BLAKE2b of a secret, as stored in the database (arena-owned). */
const char *auth_secret_hash(arena *a, const char *secret);
/* A fresh random URL-safe secret of 32 bytes (arena-owned). */
const char *auth_random_secret(arena *a);
/* Forgets rate-limit state (tests and the CLI). */
void auth_rate_reset(void);

/* ---- organizations and users (org.c) ---- */
typedef struct {
    const char *name, *name_en, *type, *region, *verified;
} org_input;
bool org_type_valid(const char *t);
err_code org_create(dctx *c, const org_input *in, int64_t *id, err *e);
json_t *org_to_json(const org_rec *o);

typedef struct {
    const char *email, *name, *role, *org, *password; /* org: id or name, may be empty */
} user_input;
err_code user_create(dctx *c, const user_input *in, int64_t *id, err *e);
err_code user_set_password(dctx *c, const char *email, const char *password, err *e);
err_code user_set_disabled(dctx *c, const char *email, bool disabled, err *e);
json_t *user_to_json(const user_rec *u);

/* ---- taxonomy (taxonomy.c) ---- */
/* Loads the field list once from the database (thread-safe); later calls are free. */
err_code taxonomy_load(db *d, err *e);
/* Returns the field or NULL when code is unknown. Valid after taxonomy_load. */
const field_rec *taxonomy_field(const char *code);
const field_rec *taxonomy_fields(int *n);
/* TRL stage 1..4 (研发/小试/中试/产业化) of a TRL 1..9; 0 for 0. */
int trl_stage(int trl);

/* ---- listings: achievements and needs (listing.c) ---- */
/* Everything arrives as text, from a form or converted from JSON by the face. Lists are
 * separated by commas (, ，), 、, semicolons or new lines. NULL = not given. */
typedef struct {
    const char *org; /* organizers only: owner org id; members always post for their own org */
    const char *title, *summary, *description, *advantages, *field, *keywords, *trl;
    const char *patents;   /* lines "NUMBER [granted|pending|pct]" */
    const char *modes;     /* transfer modes (achievement) or wanted cooperation (need) */
    const char *price_wan; /* achievement price / need budget in 万元; empty = 面议 */
    const char *need_type, *deadline, *anonymous;
    const char *contact_name, *contact_phone, *contact_email, *lang;
    const char *status; /* import only: "draft", "submitted" or "published" */
} listing_input;

bool listing_kind_valid(const char *kind);
bool listing_mode_valid(const char *kind, const char *mode);
/* Validates in against the kind's rules; fills l (strings arena-owned). Writes nothing. */
err_code listing_validate(dctx *c, const char *kind, const listing_input *in, listing_rec *l,
                          err *e);
/* Runs every check listing_create makes before writing — each field's rule (the same functions,
 * in the same order, as listing_validate), then the owner organization and the status — without
 * stopping at the first problem, and calls report(ctx, e) for each one (a field at most once).
 * Writes nothing; returns the number of problems. Used by the import to list every bad cell of
 * a row. Scratch memory lives in c->a. */
int listing_check_all(dctx *c, const char *kind, const listing_input *in,
                      void (*report)(void *ctx, const err *e), void *ctx);
/* The same for the other kinds an import writes: every check org_create, event_create or
 * registration_create makes before writing (the same functions, in the same order, as the
 * create, which still stops at the first), each problem reported once through report; a caller
 * who may not create at all, or an event that is not there, is the one problem reported. Writes
 * nothing; returns the number of problems. Scratch memory lives in c->a. */
int org_check_all(dctx *c, const org_input *in, void (*report)(void *ctx, const err *e), void *ctx);
/* Creates a draft (or, for organizers and imports, the given status). */
err_code listing_create(dctx *c, const char *kind, const listing_input *in, int64_t *id, err *e);
/* Replaces the editable fields. A member's edit of a published listing sends it back to review. */
err_code listing_update(dctx *c, int64_t id, const listing_input *in, err *e);
/* State changes: submit (draft→submitted), publish (submitted or archived→published, staff), reject
 * (submitted→draft with a reason, staff), archive (published→archived). */
err_code listing_transition(dctx *c, int64_t id, const char *action, const char *reason, err *e);
/* Loads a listing the viewer may see; ERR_NOT_FOUND for what they may not. */
err_code listing_get(dctx *c, int64_t id, listing_rec *l, err *e);
bool listing_can_edit(const dctx *c, const listing_rec *l);
/* Lists what the viewer may see. scope: "public" (published), "mine" (own org, any state),
 * "review" (staff: submitted), "all" (staff). */
err_code listing_list(dctx *c, const char *scope, listing_filter *f, listing_rec **out, int *n,
                      int64_t *total, err *e);
/* The JSON view of a listing for this viewer: hides an anonymous need's company from all but
 * staff and its own org, and contacts from anonymous visitors. */
json_t *listing_to_json(const dctx *c, const listing_rec *l);

/* Converts a JSON object (API body, import row) to input text. Accepts strings, numbers,
 * booleans, arrays of strings for lists, patents as [{"number","status"}], contact as an object
 * or contact_* keys, org as id, name or {"name"}. Unknown keys are ignored. A value of the wrong
 * type is ERR_INVALID naming the key. */
err_code listing_input_from_json(arena *a, const char *kind, json_t *obj, listing_input *in,
                                 err *e);

/* ---- matching (matching.c): the search index over published listings ----
 * One index per process, built from the store at start and updated after every committed
 * write through listing_create/update/transition. Reads take a shared lock, writes an
 * exclusive one; each thread keeps its own text analyzer. */
enum {
    MATCH_SAME_FIELD = 1,  /* same field as the query listing */
    MATCH_SAME_PARENT = 2, /* same parent field */
    MATCH_TRL_OK = 4,      /* achievement's TRL reaches the stage the need wants */
    MATCH_MODES = 8,       /* a transfer mode the other side wants */
    MATCH_REGION = 16,     /* same city */
};

typedef struct {
    listing_rec l;
    float score;        /* relevance; the best result of a search scores 100 */
    const char **terms; /* matched query terms, strongest first (arena-owned) */
    int nterms;
    unsigned factors; /* MATCH_* bits */
} match_result;

/* Builds the index from every published listing. Call once before serving; later calls are
 * no-ops. Loads the bilingual glossary (data/glossary.tsv). */
err_code matching_start(db *d, err *e);
/* Frees the index (tests, shutdown). */
void matching_stop(void);
/* Re-reads listing id and adds, replaces or removes it in the index. Never fails loudly: an
 * index that missed a write is repaired by the next start. */
void matching_listing_changed(db *d, int64_t id);
/* Ranked text search over published listings of f->kind, honouring f's filters; results
 * [offset, offset+limit) by relevance, the total, and facet counts over all matches:
 * {"field":{code:n},"stage":{"1":n},"mode":{code:n},"org_type":{code:n}} (new reference). */
err_code matching_search(dctx *c, const char *q, const listing_filter *f, int offset, int limit,
                         match_result **out, int *n, int64_t *total, json_t **facets, err *e);
/* The best listings of the other kind for listing id (achievements for a need, needs for an
 * achievement), with reasons. */
err_code matching_for_listing(dctx *c, int64_t id, int k, match_result **out, int *n, err *e);
/* This thread's text analyzer (for highlighting); NULL with e set if resources are missing. */
struct text_analyzer *matching_analyzer(err *e);
/* A match result as JSON for the API and pages: the listing view plus score, terms, factors. */
json_t *match_result_to_json(const dctx *c, const match_result *m);

/* ---- import / export (transfer.c) ---- */
/* Imports a JSON array or JSON Lines text of kind "achievements", "needs" or "orgs" in one
 * transaction: one bad row writes nothing, and e says "row N: field: reason". */
err_code transfer_import(dctx *c, const char *kind, const char *text, size_t len, int *count,
                         err *e);
/* Writes every row of kind as a JSON array or JSON Lines into out. */
err_code transfer_export(dctx *c, const char *kind, bool jsonl, buf *out, err *e);

/* ---- demo (demo.c) ---- */
/* Fills an empty database with the embedded demo catalog and one user per role; prints the
 * accounts to stdout. */
err_code demo_load(dctx *c, err *e);

/* ---- events (event.c): 对接会 — events, registrations, check-in, agenda ----
 * Organizers (staff) create, edit and publish events and manage every event's registrations
 * and agenda; anyone sees published events and may register. Event times are wall-clock times
 * in Asia/Shanghai (UTC+8, no daylight saving), the zone every event of the platform is in. */
enum { EVENT_TZ_OFFSET = 8 * 3600 };

/* Everything as text (forms; the API converts JSON). Lists (orgs: ids or exact names; fields:
 * taxonomy codes; listings: ids) are separated like listing lists. NULL = not given. */
typedef struct {
    const char *title, *title_en, *orgs, *venue, *date, *start_time, *end_time, *fields;
    const char *description, *capacity, *reg_deadline, *needs_approval;
} event_input;

bool event_category_valid(
    const char *category);                   /* university institute enterprise government other */
bool event_brings_valid(const char *brings); /* achievements needs both neither */
bool agenda_kind_valid(const char *kind);    /* opening roadshow matchmaking other */
/* Local time now (Asia/Shanghai) as "YYYY-MM-DDTHH:MM". */
void event_now_local(char out[17]);
/* A UTC stamp "YYYY-MM-DDTHH:MM:SSZ" as local "YYYY-MM-DD HH:MM" (arena-owned); "" for "". */
const char *event_local_time(arena *a, const char *utc);
/* Validates in; fills ev (strings arena-owned) and the co-organizer ids (arena array). Writes
 * nothing. */
err_code event_validate(dctx *c, const event_input *in, event_rec *ev, int64_t **org_ids,
                        int *norgs, err *e);
/* Creates a draft event (staff only). */
err_code event_create(dctx *c, const event_input *in, int64_t *id, err *e);
/* Replaces the editable fields and co-organizers (staff only). */
err_code event_update(dctx *c, int64_t id, const event_input *in, err *e);
/* "publish" (draft→published) or "unpublish" (published→draft), staff only. */
err_code event_transition(dctx *c, int64_t id, const char *action, err *e);
/* Loads an event the viewer may see (drafts: staff only); ERR_NOT_FOUND otherwise. */
err_code event_get(dctx *c, int64_t id, event_rec *ev, err *e);
/* Published events, plus drafts for staff; newest date first. */
err_code event_list(dctx *c, event_rec **out, int *n, err *e);
/* True when the public may register at local time now ("YYYY-MM-DDTHH:MM"): published, before
 * the deadline (else before the event ends) and, with seats_taken, under capacity. When closed,
 * *why is the catalog key of the reason. */
bool event_registration_open(const event_rec *ev, const char *now, int64_t seats_taken,
                             const char **why);
/* The JSON view of an event: fields, co-organizers, seats and whether registration is open.
 * Reads the co-organizers and seat count; NULL with e set on a database error. */
json_t *event_to_json(dctx *c, const event_rec *ev, err *e);

typedef struct {
    const char *name, *org_name, *link_org, *category, *brings, *listings, *phone, *email;
} registration_input;

/* Registers a person for a published event (anyone). Signed-in members may link their
 * organization and bring its published listings. Refuses a closed or full event (staff may add
 * walk-ins regardless) and a second registration with the same email (ERR_CONFLICT, field
 * "email"). Status is "pending" when the event needs approval, else "approved". Returns the id
 * and the badge token (arena-owned). */
err_code registration_create(dctx *c, int64_t event_id, const registration_input *in, int64_t *id,
                             const char **token, err *e);
/* Staff: one registration of the event. */
err_code registration_get(dctx *c, int64_t event_id, int64_t id, registration_rec *r, err *e);
/* Anyone holding the badge token of a registration of the event. */
err_code registration_by_token(dctx *c, int64_t event_id, const char *token, registration_rec *r,
                               err *e);
/* Staff: the event's registrations; status NULL = all. */
err_code registration_list(dctx *c, int64_t event_id, const char *status, registration_rec **out,
                           int *n, err *e);
/* Staff: "approve" (pending or rejected → approved) or "reject" (pending or approved → rejected;
 * not once checked in). */
err_code registration_decide(dctx *c, int64_t event_id, int64_t id, const char *action, err *e);
/* The JSON view of a registration (for staff and for its holder), with the listings it brings. */
json_t *registration_to_json(const registration_rec *r, const registration_listing_rec *ls,
                             int nls);

/* ---- check-in: the badge's QR code holds /events/E/checkin/R/SIG, where SIG is the first 16
 * bytes (32 hex) of HMAC-SHA-512-256 (crypto_auth) of "checkin:E:R" under a server key kept in
 * settings.checkin_key (created on first use). */
err_code event_checkin_key(dctx *c, unsigned char key[32], err *e);
void event_checkin_sign(const unsigned char key[32], int64_t event_id, int64_t reg_id,
                        char sig[33]);
/* Constant-time comparison of sig with the expected signature. */
bool event_checkin_verify(const unsigned char key[32], int64_t event_id, int64_t reg_id,
                          const char *sig);
/* The signed check-in path of a registration (arena-owned). */
err_code event_checkin_path(dctx *c, int64_t event_id, int64_t reg_id, const char **path, err *e);
/* Staff: checks an approved registration in, once. sig: from the QR code (verified), or NULL
 * for a manual check-in from the participant list. *r is the registration afterwards. A second
 * check-in is ERR_CONFLICT with key event.err.already (r->checked_in_at tells when); a pending
 * or rejected one ERR_CONFLICT with key event.err.not_approved; a bad signature ERR_FORBIDDEN. */
err_code event_checkin(dctx *c, int64_t event_id, int64_t reg_id, const char *sig,
                       registration_rec *r, err *e);
/* Staff: live counts per category (registered, pending, approved, rejected, checked in). */
err_code event_counts(dctx *c, int64_t event_id, event_count_rec **out, int *n, err *e);

/* ---- agenda: an event's sessions (times HH:MM on the event's date) ---- */
typedef struct {
    const char *kind, *title, *title_en, *start_time, *end_time, *place, *speakers;
} agenda_input;
err_code agenda_create(dctx *c, int64_t event_id, const agenda_input *in, int64_t *id, err *e);
err_code agenda_update(dctx *c, int64_t event_id, int64_t id, const agenda_input *in, err *e);
err_code agenda_delete(dctx *c, int64_t event_id, int64_t id, err *e);
/* Staff: one session of the event. */
err_code agenda_get(dctx *c, int64_t event_id, int64_t id, agenda_rec *s, err *e);
/* The sessions of an event the viewer may see, by start time. */
err_code agenda_list(dctx *c, int64_t event_id, agenda_rec **out, int *n, err *e);
json_t *agenda_to_json(const agenda_rec *s);

/* ---- event_ics.c ---- */
/* The event's agenda as an iCalendar VCALENDAR (libical): one VEVENT per session with UID
 * "event-E-session-S@duijie", DTSTART/DTEND in UTC. *out is arena-owned text. */
err_code event_agenda_ics(dctx *c, int64_t event_id, const char **out, err *e);

/* ---- event_demo.c ---- */
/* Adds the demo event (modeled on the Kaiping biomedicine 对接会) to a database that holds the
 * demo catalog: five co-organizers, an agenda, ~90 registrations, some checked in. */
err_code event_demo_load(dctx *c, err *e);

/* ---- 1:1 meetings (meeting.c, meeting_ics.c in meeting.c, meeting_demo.c) ----
 * A participant is an approved registration; a signed-in user acts as the registration of the
 * event linked to their account or carrying their email. Requests: requested → accepted |
 * declined (by the invitee) | cancelled (by the requester) | expired (lazily, on every read, once
 * the event's expiry time has passed). Only the two parties and staff see a request; anyone
 * else gets ERR_NOT_FOUND. Staff define slots (inside agenda sessions of kind matchmaking or
 * other) and tables, run the scheduler (sched/), lock and move meetings and publish the agenda
 * ("none" → "preliminary" → "final"). Parties get in-app notices (by email). */
typedef struct {
    registration_rec r;
    registration_listing_rec *ls; /* the listings they bring */
    int nls;
    float score;                /* best recommendation score for the viewer, 0 = not recommended */
    const char *because;        /* title of the viewer's listing it matched, "" */
    const char *meeting_status; /* open meeting with the viewer: "requested", "accepted" or "" */
    int64_t meeting_id;
} meeting_participant;

/* The acting user's approved registration at the event: ERR_UNAUTH when anonymous, ERR_FORBIDDEN
 * (key meeting.err.not_participant) when they have none. */
err_code meeting_me(dctx *c, int64_t event_id, registration_rec *me, err *e);
/* The other approved participants, recommended first (by score), then by registration order. */
err_code meeting_participants(dctx *c, int64_t event_id, meeting_participant **out, int *n, err *e);
/* Requests a meeting with registration `to` (text id) with a message (≤ 1000 characters). */
err_code meeting_request(dctx *c, int64_t event_id, const char *to, const char *message,
                         int64_t *id, err *e);
/* One meeting, for its two parties and staff; ERR_NOT_FOUND for anyone else. */
err_code meeting_get(dctx *c, int64_t event_id, int64_t id, meeting_rec *m, err *e);
/* The viewer's meetings (staff: every meeting of the event), newest first. */
err_code meeting_list(dctx *c, int64_t event_id, meeting_rec **out, int *n, err *e);
/* action: accept, decline (invitee), cancel (requester), lock, unlock (staff). */
err_code meeting_action(dctx *c, int64_t event_id, int64_t id, const char *action, err *e);
/* Staff: moves an accepted meeting to (slot, table) given as text, only where sched_validate
 * accepts the whole schedule (ERR_CONFLICT with the validator's message otherwise). */
err_code meeting_move(dctx *c, int64_t event_id, int64_t id, const char *slot, const char *table,
                      err *e);
err_code meeting_settings_get(dctx *c, int64_t event_id, meeting_settings_rec *s, err *e);
/* Staff: tables (1..1000), expiry_hours (number > 0, ≤ 8760), published (none, preliminary,
 * final); NULL = unchanged. Publishing notifies everyone with a scheduled meeting. */
err_code meeting_settings_update(dctx *c, int64_t event_id, const char *tables,
                                 const char *expiry_hours, const char *published, err *e);
err_code meeting_slot_list(dctx *c, int64_t event_id, meeting_slot_rec **out, int *n, err *e);
/* Staff: a slot start–end (HH:MM) inside session (id as text) of kind matchmaking or other,
 * overlapping no other slot of the event. */
err_code meeting_slot_create(dctx *c, int64_t event_id, const char *session, const char *start,
                             const char *end, int64_t *id, err *e);
err_code meeting_slot_delete(dctx *c, int64_t event_id, int64_t id, err *e);
typedef struct {
    int accepted, scheduled, unscheduled;
    double weight;
    long idle_gaps;
} meeting_schedule_stats;
/* Staff: schedules the accepted meetings. Locked meetings stay fixed; with only_unscheduled,
 * meetings already placed stay too and only the others are placed. Stores every cell. */
err_code meeting_schedule(dctx *c, int64_t event_id, bool only_unscheduled,
                          meeting_schedule_stats *st, err *e);
/* The viewer's scheduled meetings (accepted and placed) by time; empty until the agenda is
 * published, except for staff. */
err_code meeting_agenda(dctx *c, int64_t event_id, meeting_rec **out, int *n, err *e);
/* The viewer's meeting agenda as iCalendar text (arena-owned). */
err_code meeting_agenda_ics(dctx *c, int64_t event_id, const char **out, err *e);
/* JSON of a meeting; me = the viewer's registration id (0 for staff) adds "role" and "other". */
json_t *meeting_to_json(const meeting_rec *m, int64_t me);
json_t *meeting_slot_to_json(const meeting_slot_rec *s);
/* The signed-in user's notices (newest 50) and unread count; mark_read marks them all read. */
err_code notice_list(dctx *c, notice_rec **out, int *n, err *e);
err_code notice_unread(dctx *c, int64_t *n, err *e);
err_code notice_mark_read(dctx *c, err *e);
/* Demo: slots, tables and ~25 accepted, scheduled meetings at the demo event (the newest event),
 * plus registrations of the demo member accounts. */
err_code meeting_demo_load(dctx *c, err *e);

/* ---- roadshow judging (roadshow.c, roadshow_demo.c) ----
 * Staff set up an event's roadshow: projects (published achievements, presenter, order, time),
 * judges (expert users) and criteria with positive weights (default: uniqueness 独特性, novelty
 * 新颖性, advancement 先进性, maturity 成熟度, market prospects 市场前景, weight 1 each). Each
 * assigned judge gives every criterion of a project a whole score 1–10 and may change it until
 * the organizer closes scoring. A judge whose organization owns the project's achievement may not
 * score it. Ranking (see docs/API.md "Roadshow judging"):
 *   T(p,j) = Σc w_c·s(p,j,c) / Σc w_c            judge j's weighted total of project p (1–10)
 *   score(p) = mean over judges j with a complete score set of T(p,j)
 *   normalized: z(p,j) = (T(p,j) − μ_j) / σ_j over the projects j scored (σ population; z = 0
 *   when j scored fewer than two or all alike); score(p) = mean_j z(p,j)
 * Ties: higher maximum single-judge value (T, or z when normalized), then more judges, then
 * earlier presentation order. Projects nobody scored rank last. */
typedef struct {
    int nprojects, njudges, ncriteria;
    const double *weights; /* [ncriteria], each > 0 */
    const int *order;      /* [nprojects] presentation order */
    const int *scores;     /* [(p * njudges + j) * ncriteria + c]: 1–10, 0 = missing */
    bool normalize;
} roadshow_math;

typedef struct {
    int project;      /* index into the input */
    int rank;         /* 1-based position */
    int njudges;      /* judges with a complete score set for the project */
    double score;     /* the ranking value: mean T, or mean z */
    double max_judge; /* highest single judge's T (or z) */
    double raw;       /* mean T, also when normalizing; 0 when unscored */
} roadshow_rank_row;

/* T of one judge's scores[0..n) under weights; -1 when a score is missing (0). */
double roadshow_judge_total(const double *weights, const int *scores, int n);
/* Ranks m's projects into out[0..m->nprojects), best first. Pure: no I/O, no allocation
 * beyond the stack for up to 64 judges (more judges are ignored). */
void roadshow_rank(const roadshow_math *m, roadshow_rank_row *out);
/* The conflict-of-interest rule: a judge of organization judge_org may not score a project
 * owned by owner_org (0 = no organization never conflicts). */
bool roadshow_conflict(int64_t judge_org, int64_t owner_org);

/* The roadshow of an event as the viewer may see it. judges and scores are filled for staff
 * (all) and for an assigned judge (scores: their own); empty for others. */
typedef struct {
    roadshow_rec rs;
    rs_criterion_rec *criteria;
    rs_project_rec *projects;
    rs_judge_rec *judges;
    rs_score_rec *scores;
    int ncriteria, nprojects, njudges, nscores;
    bool staff, judge; /* the viewer manages it / is an assigned judge */
} roadshow_view;

/* Loads an event's roadshow; before the first organizer write it answers the default settings
 * and criteria without storing them (id 0): a read never writes. */
err_code roadshow_load(dctx *c, int64_t event_id, roadshow_view *v, err *e);
/* Staff: changes settings; NULL leaves a value unchanged ("1"/"0", "true"/"false"). */
err_code roadshow_settings(dctx *c, int64_t event_id, const char *normalize, const char *closed,
                           const char *published, err *e);

typedef struct {
    const char *code, *name, *name_en, *weight; /* name NULL: keep the current name */
} rs_criterion_input;
/* Staff: replaces the criteria with in[0..n) (matched by code). Weights are positive numbers
 * with up to three decimals (≤ 1000). Once scores exist only names and weights may change. */
err_code roadshow_criteria_set(dctx *c, int64_t event_id, const rs_criterion_input *in, int n,
                               err *e);

typedef struct {
    const char *listing_id, *presenter, *presenter_org, *order, *start_time, *end_time;
} rs_project_input;
err_code roadshow_project_create(dctx *c, int64_t event_id, const rs_project_input *in, int64_t *id,
                                 err *e);
/* NULL members of in keep their current values. */
err_code roadshow_project_update(dctx *c, int64_t event_id, int64_t id, const rs_project_input *in,
                                 err *e);
err_code roadshow_project_delete(dctx *c, int64_t event_id, int64_t id, err *e);
/* A project of the event the viewer may see. */
err_code roadshow_project_get(dctx *c, int64_t event_id, int64_t id, rs_project_rec *p, err *e);

/* Staff: assigns an expert user (who: user id or email) as a judge. */
err_code roadshow_judge_add(dctx *c, int64_t event_id, const char *who, int64_t *user_id, err *e);
/* Staff: unassigns a judge and deletes their scores at the event. */
err_code roadshow_judge_remove(dctx *c, int64_t event_id, int64_t user_id, err *e);
/* Whether the acting user may score project p now: ERR_UNAUTH, ERR_FORBIDDEN (not an assigned
 * judge: roadshow.err.not_judge; conflict of interest: roadshow.err.conflict), ERR_CONFLICT
 * (scoring closed: roadshow.err.closed). */
err_code roadshow_may_score(dctx *c, const roadshow_view *v, const rs_project_rec *p, err *e);
/* The acting judge's scores for a project: codes[i] → values[i] (text), every criterion
 * required, whole numbers 1–10 (field "scores.CODE"). */
err_code roadshow_score_put(dctx *c, int64_t event_id, int64_t project_id, const char **codes,
                            const char **values, int n, err *e);
/* The ranking (staff always; others once published): out[0..v->nprojects) best first. Loads v
 * with every score (not only the viewer's). */
err_code roadshow_ranking(dctx *c, int64_t event_id, roadshow_view *v, roadshow_rank_row **out,
                          err *e);
/* The events the acting user judges. */
err_code roadshow_my_events(dctx *c, int64_t **ids, int *n, err *e);

/* Demo: six projects, three experts (expert1..3@demo.duijie.cn) and most scores at the demo
 * event (the newest event); prints the judges' accounts. */
err_code roadshow_demo_load(dctx *c, err *e);

/* ---- six-month outcomes (outcome.c) ----
 * When an intention is recorded for an event (intention_create with an event), a follow-up of
 * kind "six_month" (六个月回访) is created with it, due OUTCOME_DUE_DAYS after the event's date
 * (not after the day it was recorded: the statistics ask "what came of this event half a year
 * later"). Recording it takes an outcome — no_contact 无进一步联系, valuable_contact 有价值的联系,
 * negotiating 已开始洽谈, agreement 已达成协议 — and an optional note, marks the follow-up done
 * and writes history (entity "intention", action "outcome"); it may be recorded again to correct
 * it (history keeps every version). Rights as for other follow-ups: staff and the parties'
 * members. An ordinary task follow-up takes no outcome (ERR_INVALID, field outcome). */
#define OUTCOME_DUE_DAYS 182
bool outcome_valid(const char *code);
/* date (YYYY-MM-DD) plus days into out; false when date is not a valid date. */
bool outcome_date_add(const char *date, int days, char out[11]);
/* Called by intention_create inside its transaction: the six-month follow-up of intention id
 * for an event dated event_date. */
err_code outcome_followup_create(dctx *c, int64_t intention_id, const char *event_date, err *e);
err_code outcome_record(dctx *c, int64_t intention_id, int64_t fid, const char *outcome,
                        const char *note, err *e);
/* Staff: the six-month follow-ups of event_id (0 = all events) counted by outcome; ERR_NOT_FOUND
 * for an unknown event. */
err_code outcome_tally_get(dctx *c, int64_t event_id, outcome_tally *out, err *e);
/* {"event_id","six_month":{"total","recorded","pending","overdue"},"outcomes":{code:n},
 *  "meetings":{"held","recorded","outcomes":{code:n}}} */
json_t *outcome_tally_to_json(int64_t event_id, const outcome_tally *t);
/* Outcomes of held 1:1 meetings (accepted and placed in a slot): the organizers ask each pair
 * about six months after the event, whether or not an intention was recorded, so that the
 * statistics can say "of 25 meetings held, N led to valuable contacts". Staff only. */
err_code outcome_meetings(dctx *c, int64_t event_id, meeting_outcome_rec **out, int *n, err *e);
/* Records (or corrects) a held meeting's outcome: ERR_NOT_FOUND for a meeting of another event,
 * ERR_CONFLICT (outcome.err.not_held) for one not held, ERR_INVALID naming outcome / note. History:
 * entity "meeting", action "outcome". */
err_code outcome_meeting_record(dctx *c, int64_t event_id, int64_t meeting_id, const char *outcome,
                                const char *note, err *e);
json_t *meeting_outcome_to_json(const meeting_outcome_rec *m);
extern const char *const outcome_codes[4];

/* ---- cooperation intentions (intention.c) and statistics (stats.c) ----
 * An intention (合作意向) is recorded from a 1:1 meeting (source "meeting": event and the two
 * parties' organizations come from the meeting), a match (source "match": an achievement and a
 * need, organizations from their owners) or by hand ("manual"). Stages, forward only:
 *   preliminary → negotiating → signed → implementing → completed
 * any later open stage may be reached directly (skipping is a forward move); terminated (with a
 * reason) from any open stage (preliminary, negotiating, signed, implementing); completed and
 * terminated are final. Reaching signed or later needs the contract (type, amount in 万元, date)
 * when it is not yet set. Staff may do everything; a member whose organization is org_a or org_b
 * may create, see and advance the intention and its follow-ups; anyone else gets ERR_FORBIDDEN.
 * Every change is written to history (entity "intention"). */
typedef struct {
    const char *title, *source, *event_id, *meeting_id, *achievement_id, *need_id, *org_a_id,
        *org_b_id, *note;
} intention_input;
typedef struct {
    const char *stage, *contract_type, *amount, *signed_on, *reason;
} intention_move_input;
bool intention_stage_valid(const char *stage);
bool intention_contract_type_valid(const char *type);
/* true while the intention may still change (not completed, not terminated). */
bool intention_stage_open(const char *stage);
/* The stage machine above: whether from → to is an allowed move. */
bool intention_stage_allowed(const char *from, const char *to);
/* "12.5" → 1250 hundredths of 万元 (at most 2 decimals, 0 ≤ amount ≤ 100000000); false if bad. */
bool intention_amount_parse(const char *s, int64_t *centi);
/* 1250 → "12.5" (arena-owned). */
const char *intention_amount_text(arena *a, int64_t centi);
err_code intention_create(dctx *c, const intention_input *in, int64_t *id, err *e);
/* ERR_NOT_FOUND, or ERR_FORBIDDEN (intention.err.not_party) for a non-party non-staff user. */
err_code intention_get(dctx *c, int64_t id, intention_rec *out, err *e);
/* Staff: all (filters stage, event_id as text, "" = any); members: their organization's. */
err_code intention_list(dctx *c, const char *stage, const char *event_id, intention_rec **out,
                        int *n, err *e);
/* ERR_CONFLICT (intention.err.move, field stage) for a move the machine forbids. */
err_code intention_move(dctx *c, int64_t id, const intention_move_input *in, err *e);
err_code intention_followups(dctx *c, int64_t id, followup_rec **out, int *n, err *e);
err_code intention_followup_add(dctx *c, int64_t id, const char *text, const char *due_date,
                                int64_t *fid, err *e);
err_code intention_followup_done(dctx *c, int64_t id, int64_t fid, const char *done, err *e);
/* Staff: open follow-ups of open intentions due before today (Asia/Shanghai), oldest first. */
err_code intention_overdue(dctx *c, followup_rec **out, int *n, err *e);
err_code intention_history(dctx *c, int64_t id, history_rec **out, int *n, err *e);
json_t *intention_to_json(arena *a, const intention_rec *i);
/* Demo: listings brought by the demo event's participants and 7 preliminary intentions. */
err_code intention_demo_load(dctx *c, err *e);
json_t *followup_to_json(const followup_rec *f);

/* One month of the "over time" series (stats.c). */
typedef struct {
    const char *month; /* YYYY-MM */
    int64_t collected, intentions, contracts, amount_centi;
} stats_month;
/* The funnel of one event (event_id) or overall (0); each figure is defined in stats.c. */
typedef struct {
    const char *key; /* field code or organization type; "" = unknown */
    int64_t v[STATS_CONTRACTS + 1];
    int64_t amount_centi;
} stats_row;
typedef struct {
    int64_t event_id;
    int64_t v[STATS_CONTRACTS + 1]; /* collected, displayed, promoted, intentions, contracts */
    int64_t requested, accepted, held, amount_centi;
    stats_row *by_field, *by_org_type;
    int nfield, norg_type;
    /* added with issue 5 (definitions in stats.c) */
    int64_t matched;
    const char *from, *to; /* the period, YYYY-MM-DD; NULL = open */
    stats_row *by_region;  /* key: the organization's region; "" = unknown */
    int nregion;
    stats_attendance_rec *attendance; /* the five categories, in the order of the list */
    int nattendance;
    int64_t registered, approved, checked_in; /* attendance totals */
    stats_month *by_month;                    /* months with any figure, oldest first */
    int nmonth;
} stats_view;
/* Staff only; ERR_NOT_FOUND for an unknown event. Same as stats_compute_period without a
 * period. */
err_code stats_compute(dctx *c, int64_t event_id, stats_view *out, err *e);
/* The statistics of event_id (0 = overall) in the period from..to (local dates YYYY-MM-DD,
 * inclusive; NULL or "" = open). Staff only; ERR_INVALID (field "from"/"to") for a bad date or
 * from after to; ERR_NOT_FOUND for an unknown event. Everything lives in c->a. */
err_code stats_compute_period(dctx *c, int64_t event_id, const char *from, const char *to,
                              stats_view *out, err *e);
json_t *stats_to_json(arena *a, const stats_view *s);

/* ---- spreadsheet import (import.c) and export (export.c) ----
 * Kinds: achievements, needs, orgs, participants (of an event); export also events and
 * intentions. Columns, accepted headers and value labels: domain/sheet.h, docs/API.md. */
#include "io/io.h"

typedef struct {
    int row;            /* the spreadsheet's row number (header = 1) */
    const char *column; /* the column header as the file spells it (the template's when absent) */
    const char *field, *key, *msg; /* the domain's field, catalog key and English reason */
} import_issue;

typedef struct {
    int row;
    const char *title, *org; /* what the row is, for the preview */
    bool bad, skipped;
    const char *dup_key; /* "" or import.dup.same, import.dup.similar, import.dup.same_org,
                            import.dup.same_person */
    int64_t dup_id;      /* the duplicated record in the database, or 0 */
    int dup_row;         /* or the earlier row of this file */
    const char *dup_title;
    int64_t id; /* the record written (0 in a dry run after rollback: ids are not kept) */
} import_row;

typedef struct {
    const char *kind, *encoding;
    bool dry_run;
    int nrows, nok, nbad, ndup, nskipped, written;
    import_row *rows; /* [npreview]: the first IMPORT_PREVIEW_ROWS rows, then every bad,
                         duplicate or skipped row, in file order */
    import_issue *issues;
    int nissues, capissues;
    const char *const *columns; /* the file's headers [ncols] */
    const char **mapped;        /* the field of each column, NULL = ignored */
    int ncols;
    int npreview; /* rows kept in rows */
} import_report;

/* Rows of a file kept in full in the report's preview; later rows only when bad, duplicate or
 * skipped (the counts and issues cover every row). */
enum { IMPORT_PREVIEW_ROWS = 500 };

typedef struct {
    const char *kind;
    int64_t event_id;     /* participants: the event */
    bool dry_run;         /* check every row, write nothing */
    bool skip_duplicates; /* leave flagged rows out */
    bool similar;         /* also flag near-identical listings: the import starts the search
                             index (matching_start) for files small enough */
} import_options;

/* Files with more data rows (by the reader's count before the rows are read; without one, the
 * rows after this many) skip the near-duplicate search (the exact title + organization check
 * still runs), so that a 100,000-row import stays within a minute. */
enum { IMPORT_SIMILAR_MAX_ROWS = 20000 };

bool import_kind_valid(const char *kind);
/* Imports table t (staff only) in one transaction: every bad row is listed in r (row, column,
 * reason) and, in a real run, any bad row writes nothing (ERR_INVALID, import.err.bad_rows). A
 * dry run always rolls back and returns ERR_OK with the report. r lives in c->a; each row's
 * work is done in an arena of its own, freed after the row. */
err_code import_table(dctx *c, const import_options *o, const io_table *t, import_report *r,
                      err *e);
/* Reads the file by its name (.csv/.txt/.tsv, .xlsx, or .json/.jsonl through transfer_import)
 * and imports it like import_table, row by row as the reader streams them (the table is never
 * held whole). A broken file rolls back what was done and returns the reader's error with an
 * empty report. */
err_code import_file(dctx *c, const import_options *o, const char *name, const char *data,
                     size_t len, import_report *r, err *e);
/* Pending uploads (the browser's preview, then confirm): a file kept server-side for its
 * uploader (staff) until it is confirmed or expires. Another user's or an expired upload is
 * ERR_NOT_FOUND. import_upload_confirm claims the upload and imports it in one transaction, so
 * a second confirmation of the same upload (a double click, a second tab) finds nothing
 * (ERR_NOT_FOUND) instead of importing twice; if the import fails, the upload stays. */
err_code import_upload_save(dctx *c, const import_upload_rec *u, int64_t *id, err *e);
err_code import_upload_get(dctx *c, int64_t id, import_upload_rec *out, err *e);
err_code import_upload_confirm(dctx *c, const import_upload_rec *u, const import_options *o,
                               import_report *r, err *e);
/* The report as JSON (new reference); max_rows < 0 = every preview row. */
json_t *import_report_to_json(const import_report *r, int max_rows);
/* The empty template of kind as "xlsx" (a data sheet with the header row and a notes sheet:
 * each column, required or not, what to write, the accepted values) or "csv" (the header row). */
err_code import_template(dctx *c, const char *kind, const char *format, buf *out, err *e);

bool export_kind_valid(const char *kind); /* the same kinds as import_kind_valid */
/* Writes every row of kind (participants: of event_id) as format "xlsx", "csv", "json" or
 * "jsonl" into out (staff only). CSV and XLSX use the import's headers and labels, so an export
 * imports back as the same data. */
err_code export_kind(dctx *c, const char *kind, int64_t event_id, const char *format, buf *out,
                     err *e);

/* ---- participants' unavailable meeting slots (meeting.c) ----
 * "I am on the roadshow stage 10:15–12:00": a participant marks the meeting slots in which they
 * cannot meet; the scheduler never places them there. Who may change them: a participant their
 * own approved registration's, until the organizers publish the final meeting agenda (after that
 * they ask the organizers); staff any approved registration's, always. Every change is in the
 * event's history (action "meeting_unavailable", {"registration":id,"slots":[ids]}). A meeting
 * already placed in a slot its party then marks is "in conflict": shown to organizers, never kept
 * there by the scheduler (re-placed or left unplaced on the next run, even if locked). */
typedef struct {
    meeting_slot_rec s;
    bool unavailable;
} meeting_avail_slot;
typedef struct {
    registration_rec r;        /* whose availability */
    meeting_avail_slot *slots; /* every meeting slot of the event, by time (arena-owned) */
    int n;
    bool final;    /* the final agenda is published */
    bool editable; /* the viewer may change it now */
} meeting_availability;
/* The slots of registration reg_id (0 = the viewer's own; another's: staff only, ERR_FORBIDDEN
 * key avail.err.not_yours for others; ERR_INVALID field "registration" for no approved
 * registration of the event, or staff who are not participants giving 0). */
err_code meeting_availability_get(dctx *c, int64_t event_id, int64_t reg_id,
                                  meeting_availability *out, err *e);
/* Replaces the registration's unavailable slots by slots[0..n) (repeats harmless) in one
 * transaction. ERR_INVALID field "unavailable" for a slot not of this event; ERR_FORBIDDEN key
 * avail.err.final for a participant once the final agenda is published. *conflicts (may be NULL):
 * the registration's meetings now in conflict. */
err_code meeting_availability_put(dctx *c, int64_t event_id, int64_t reg_id, const int64_t *slots,
                                  int n, int *conflicts, err *e);
/* Staff: every (registration, slot) unavailable pair of the event (arena-owned arrays). */
err_code meeting_unavailable_list(dctx *c, int64_t event_id, int64_t **regs, int64_t **slots,
                                  int *n, err *e);
/* Pure: whether (reg_id, slot_id) is among the n pairs. */
bool meeting_unavailable_has(const int64_t *regs, const int64_t *slots, int n, int64_t reg_id,
                             int64_t slot_id);
/* Pure: the party of accepted, placed meeting m unavailable in its slot (0 = none). */
int64_t meeting_conflict_of(const meeting_rec *m, const int64_t *regs, const int64_t *slots, int n);

/* ---- importing intentions (intention.c, for import.c) ----
 * The recorded stage of an imported row and its data, as text: stage a code; contract type a
 * code, amount in 万元, signed_on YYYY-MM-DD, reason the termination reason. */
typedef struct {
    const char *stage, *contract_type, *amount, *signed_on, *reason;
} intention_recorded;
/* Checks in as the stage machine would have left it: signed, implementing and completed carry
 * the contract (valid type, amount ≥ 0 with ≤ 2 decimals, date); preliminary and negotiating
 * none; terminated its reason, and the contract only when it has one (all three then); only
 * terminated has a reason. Every problem goes to add (fields stage, contract_type, amount_wan,
 * signed_on, terminate_reason); returns their number. *centi: the amount, -1 when none. */
int intention_check_recorded(const intention_recorded *in, int64_t *centi,
                             void (*add)(void *ctx, const err *e), void *ctx);
/* Staff: writes r (title, source, ids resolved, stage and contract checked by
 * intention_check_recorded, created_at / updated_at UTC ISO or "" for now) as it stands: no
 * meeting link (meeting_id set to 0 — a meeting of another installation; source is kept),
 * created_by the importer, one history entry (entity "intention", action "import") and, for an
 * event, the six-month follow-up (outcome_followup_create), all in one transaction. r->id is set.
 * ERR_INVALID naming title / note / source / org_a; ERR_FORBIDDEN for non-staff. */
err_code intention_import(dctx *c, intention_rec *r, err *e);

/* ---- every problem of an event or a registration (event.c; see org_check_all) ---- */
/* event_create's checks: staff, then each field of event_validate in its order. */
int event_check_all(dctx *c, const event_input *in, void (*report)(void *ctx, const err *e),
                    void *ctx);
/* registration_create's checks before its transaction: the event, then each field in order
 * (name, link_org, org_name, category, brings, listings, phone, email). Not the ones the write
 * makes (closed or full event, the email already registered). */
int registration_check_all(dctx *c, int64_t event_id, const registration_input *in,
                           void (*report)(void *ctx, const err *e), void *ctx);

#endif
