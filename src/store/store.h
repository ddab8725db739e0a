/* store.h — all persistence. Every SQL statement of duijie lives under store/.
 *
 * Functions take a db handle (from store_acquire) and, where they return rows, an arena that
 * owns every string they return. They return ERR_OK or an err_code with e set; "not found" is
 * ERR_NOT_FOUND. Callers own transactions (db_begin/db_commit) for multi-row changes. */
#ifndef DUIJIE_STORE_H
#define DUIJIE_STORE_H

#include "base/base.h"
#include "store/db.h"

/* ---- connection pool ---- */
typedef struct store store;
/* Opens up to nconn connections to url lazily and applies migrations once. */
store *store_open(const char *url, int nconn, err *e);
void store_close(store *s);
/* Blocks until a connection is free; never NULL once store_open succeeded (NULL + e on a
 * connection failure). Release it with store_release. */
db *store_acquire(store *s, err *e);
void store_release(store *s, db *d);
/* Applies pending migrations; returns the schema version reached in *version. */
err_code store_migrate(db *d, int *version, err *e);

/* ---- backup and restore (backup.c; SQLite files) ---- */
/* Writes a consistent copy of the database at db_path to the new file out_path while others may
 * keep writing (SQLite's online backup); checks the copy; *version = its schema version.
 * ERR_CONFLICT when out_path exists; a failed copy leaves no file. */
err_code store_backup(const char *db_path, const char *out_path, int *version, err *e);
/* Checks backup_path (integrity and schema) and only then copies it over db_path, page by page
 * in one transaction of the backup API. Stop servers using db_path first. */
err_code store_restore(const char *backup_path, const char *db_path, int *version, err *e);

/* ---- records ---- */
typedef struct {
    int64_t id;
    const char *name, *name_en, *type, *region, *created_at;
    bool verified;
} org_rec;

typedef struct {
    int64_t id, org_id; /* org_id 0 = none */
    const char *email, *name, *role, *pw_hash, *created_at;
    const char *org_name, *org_type; /* joined, "" when none */
    bool disabled;
} user_rec;

typedef struct {
    const char *code, *parent, *name_zh, *name_en; /* parent "" for top level */
} field_rec;

typedef struct {
    int64_t id, org_id, created_by;
    const char *kind; /* "achievement" | "need" */
    const char *title, *summary, *description, *advantages, *field;
    const char *keywords;             /* JSON array text */
    const char *patents;              /* JSON array text */
    const char *modes;                /* ",a,b," */
    int trl;                          /* 0 = none */
    int64_t price_wan;                /* -1 = 面议 / none */
    const char *need_type, *deadline; /* "" when none */
    bool anonymous;
    const char *contact_name, *contact_phone, *contact_email, *lang;
    const char *status, *reject_reason, *created_at, *updated_at, *published_at;
    /* joined from orgs */
    const char *org_name, *org_name_en, *org_type, *org_region;
} listing_rec;

typedef struct {
    const char *kind;   /* required */
    const char *status; /* NULL = any */
    int64_t org_id;     /* 0 = any */
    const char *field;  /* code; matches it and its children */
    int stage;        /* 0 any; 1 研发 (TRL1-3) 2 小试 (4-5) 3 中试 (6-7) 4 产业化 (8-9) */
    const char *mode; /* transfer mode / cooperation code */
    const char *org_type;  /* org type code */
    const char *region;    /* prefix of the org's region */
    const char *need_type; /* needs only */
    const char *q;         /* plain substring match on title, summary, description, keywords */
    const char *sort;      /* "new" (default) | "old" | "title" */
    int offset, limit;
} listing_filter;

typedef struct {
    int64_t id, entity_id, user_id;
    const char *entity, *action, *detail, *at, *user_name;
} history_rec;

typedef struct {
    int64_t id;
    const char *name, *prefix, *created_at, *last_used_at, *revoked_at;
} token_rec;

typedef struct {
    int64_t achievements, needs, orgs, institutions, enterprises;
} catalog_counts;

/* ---- fields ---- */
/* Returns all fields in display order into *out (arena-owned array). */
err_code store_field_list(db *d, arena *a, field_rec **out, int *n, err *e);

/* ---- organizations ---- */
err_code store_org_insert(db *d, const org_rec *o, int64_t *id, err *e);
err_code store_org_get(db *d, arena *a, int64_t id, org_rec *out, err *e);
err_code store_org_find_name(db *d, arena *a, const char *name, org_rec *out, err *e);
/* type NULL = all. */
err_code store_org_list(db *d, arena *a, const char *type, org_rec **out, int *n, err *e);

/* ---- users ---- */
err_code store_user_insert(db *d, const user_rec *u, int64_t *id, err *e);
err_code store_user_get(db *d, arena *a, int64_t id, user_rec *out, err *e);
err_code store_user_by_email(db *d, arena *a, const char *email, user_rec *out, err *e);
err_code store_user_list(db *d, arena *a, user_rec **out, int *n, err *e);
err_code store_user_set_password(db *d, int64_t id, const char *pw_hash, err *e);
err_code store_user_set_disabled(db *d, int64_t id, bool disabled, err *e);

/* ---- sessions and API tokens (only hashes are stored) ---- */
err_code store_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf,
                              const char *expires_at, err *e);
/* Finds an unexpired session of an enabled user. */
err_code store_session_get(db *d, arena *a, const char *token_hash, user_rec *user,
                           const char **csrf, err *e);
err_code store_session_delete(db *d, const char *token_hash, err *e);
err_code store_sessions_delete_user(db *d, int64_t user_id, err *e);
err_code store_token_insert(db *d, int64_t user_id, const char *name, const char *token_hash,
                            const char *prefix, int64_t *id, err *e);
/* Finds the enabled user owning an unrevoked token, and marks the token used. */
err_code store_token_user(db *d, arena *a, const char *token_hash, user_rec *user, err *e);
err_code store_token_list(db *d, arena *a, int64_t user_id, token_rec **out, int *n, err *e);
/* Revokes token id if it belongs to user_id; ERR_NOT_FOUND otherwise. */
err_code store_token_revoke(db *d, int64_t user_id, int64_t id, err *e);

/* ---- listings (achievements and needs) ---- */
err_code store_listing_insert(db *d, const listing_rec *l, int64_t *id, err *e);
/* Writes every editable column of l (not kind, org, creator, status, created_at). */
err_code store_listing_update(db *d, const listing_rec *l, err *e);
err_code store_listing_set_status(db *d, int64_t id, const char *status, const char *reason,
                                  err *e);
err_code store_listing_get(db *d, arena *a, int64_t id, listing_rec *out, err *e);
/* Returns one page of matches and the total count. */
err_code store_listing_list(db *d, arena *a, const listing_filter *f, listing_rec **out, int *n,
                            int64_t *total, err *e);
typedef struct {
    int64_t id;
    const char *kind, *status, *field;
    int trl;
    const char *modes, *need_type, *org_type, *org_region;
} listing_attr;

/* The filter and facet columns of the listings among ids[0..n) that exist, in any order. */
err_code store_listing_attrs(db *d, arena *a, const int64_t *ids, int n, listing_attr **out,
                             int *nout, err *e);

/* A value that changes with every committed change to listings or organizations (migration
 * 003's triggers), by any process: caches of catalog reads are valid while it is unchanged. */
err_code store_catalog_generation(db *d, int64_t *gen, err *e);

/* Published counts for the home page. */
err_code store_counts(db *d, catalog_counts *c, err *e);

/* ---- history ---- */
err_code store_history_add(db *d, const char *entity, int64_t entity_id, int64_t user_id,
                           const char *action, const char *detail, err *e);
err_code store_history_list(db *d, arena *a, const char *entity, int64_t entity_id,
                            history_rec **out, int *n, err *e);

/* ---- events: 对接会, co-organizers, registrations, check-in, agenda (event.c) ----
 * Event-local times (date, start_time, end_time, reg_deadline) are Asia/Shanghai wall-clock
 * text; audit time stamps are UTC ISO 8601. */
typedef struct {
    int64_t id, created_by;
    const char *title, *title_en, *venue, *date, *start_time, *end_time;
    const char *fields; /* ",code,code," */
    const char *description;
    int64_t capacity;         /* 0 = unlimited */
    const char *reg_deadline; /* "YYYY-MM-DDTHH:MM" or "" for none */
    bool needs_approval;
    const char *status; /* "draft" | "published" */
    const char *created_at, *updated_at, *published_at;
} event_rec;

typedef struct {
    int64_t event_id, org_id;
    const char *name, *name_en, *type;
} event_org_rec;

typedef struct {
    int64_t id, event_id, user_id, org_id; /* user_id, org_id 0 = none */
    const char *name, *org_name, *category, *brings, *phone, *email, *status, *token;
    const char *checked_in_at; /* UTC ISO or "" */
    int64_t checked_in_by;
    const char *created_at, *updated_at;
} registration_rec;

/* A listing a registration brings, with the title and kind joined. */
typedef struct {
    int64_t registration_id, listing_id;
    const char *kind, *title;
} registration_listing_rec;

typedef struct {
    int64_t id, event_id;
    const char *kind, *title, *title_en, *start_time, *end_time, *place, *speakers;
    const char *created_at, *updated_at;
} agenda_rec;

/* Counts of one participant category at one event. */
typedef struct {
    const char *category;
    int64_t registered, pending, approved, rejected, checked_in;
} event_count_rec;

/* settings: ERR_NOT_FOUND when key is unset. */
err_code store_setting_get(db *d, arena *a, const char *key, const char **value, err *e);
/* Sets key only if it is unset (a concurrent first writer wins; read back after). */
err_code store_setting_insert_new(db *d, const char *key, const char *value, err *e);

err_code store_event_insert(db *d, const event_rec *ev, int64_t *id, err *e);
/* Writes every editable column (not status, creator, created_at). */
err_code store_event_update(db *d, const event_rec *ev, err *e);
err_code store_event_set_status(db *d, int64_t id, const char *status, err *e);
err_code store_event_get(db *d, arena *a, int64_t id, event_rec *out, err *e);
/* Events by date, newest first; published_only hides drafts. */
err_code store_event_list(db *d, arena *a, bool published_only, event_rec **out, int *n, err *e);
/* Replaces the co-organizers of an event with ids[0..n) in that order. */
err_code store_event_orgs_set(db *d, int64_t event_id, const int64_t *ids, int n, err *e);
err_code store_event_orgs_list(db *d, arena *a, int64_t event_id, event_org_rec **out, int *n,
                               err *e);

/* Inserts r (status, token and email as given; email already lower-cased). A second row with
 * the same (event, email) is ERR_CONFLICT with e->field "email". */
err_code store_registration_insert(db *d, const registration_rec *r, int64_t *id, err *e);
err_code store_registration_get(db *d, arena *a, int64_t id, registration_rec *out, err *e);
err_code store_registration_by_token(db *d, arena *a, const char *token, registration_rec *out,
                                     err *e);
/* Registrations of an event in registration order; status NULL = any. */
err_code store_registration_list(db *d, arena *a, int64_t event_id, const char *status,
                                 registration_rec **out, int *n, err *e);
/* Pending plus approved registrations: the seats taken. */
err_code store_registration_count_active(db *d, int64_t event_id, int64_t *count, err *e);
err_code store_registration_set_status(db *d, int64_t id, const char *status, err *e);
/* Marks an approved registration checked in at `at` unless it already is: *done is true when
 * this call checked it in, false when it was already checked in or not approved. */
err_code store_registration_checkin(db *d, int64_t id, const char *at, int64_t by, bool *done,
                                    err *e);
err_code store_registration_listings_add(db *d, int64_t registration_id, int64_t listing_id,
                                         err *e);
/* The listings brought by registrations of an event (registration_id 0 = all of them). */
err_code store_registration_listings(db *d, arena *a, int64_t event_id, int64_t registration_id,
                                     registration_listing_rec **out, int *n, err *e);
/* Per-category counts of an event's registrations, only categories with rows, by category. */
err_code store_event_counts(db *d, arena *a, int64_t event_id, event_count_rec **out, int *n,
                            err *e);

err_code store_agenda_insert(db *d, const agenda_rec *s, int64_t *id, err *e);
err_code store_agenda_update(db *d, const agenda_rec *s, err *e);
err_code store_agenda_delete(db *d, int64_t id, err *e);
err_code store_agenda_get(db *d, arena *a, int64_t id, agenda_rec *out, err *e);
/* Sessions of an event by start time. */
err_code store_agenda_list(db *d, arena *a, int64_t event_id, agenda_rec **out, int *n, err *e);

/* ---- 1:1 meetings at events, slots, settings and notices (meeting.c; 006_meetings.sql) ---- */
typedef struct {
    int64_t event_id;
    int tables, expiry_minutes;
    const char *published; /* "none" | "preliminary" | "final" */
} meeting_settings_rec;

typedef struct {
    int64_t id, event_id, session_id;
    const char *start_time, *end_time;                           /* HH:MM */
    const char *session_title, *session_title_en, *session_kind; /* joined */
} meeting_slot_rec;

typedef struct {
    int64_t id, event_id, requester_id, invitee_id;
    const char *message, *status;
    int64_t slot_id; /* 0 = unscheduled */
    int table_no;    /* 0 = unscheduled */
    bool locked;
    const char *expires_at, *answered_at, *created_at, *updated_at; /* UTC ISO; "" when none */
    /* joined */
    const char *requester_name, *requester_org, *requester_email;
    const char *invitee_name, *invitee_org, *invitee_email;
    const char *slot_start, *slot_end; /* "" when unscheduled */
} meeting_rec;

typedef struct {
    int64_t id, event_id, meeting_id;
    const char *kind, *who, *detail, *read_at, *created_at;
    const char *event_title; /* joined, "" when none */
} notice_rec;

/* The event's settings, or the defaults (10 tables, 2880 minutes, "none") when unset. */
err_code store_meeting_settings_get(db *d, arena *a, int64_t event_id, meeting_settings_rec *out,
                                    err *e);
err_code store_meeting_settings_put(db *d, const meeting_settings_rec *s, err *e);
err_code store_meeting_slot_insert(db *d, const meeting_slot_rec *s, int64_t *id, err *e);
/* Deletes the slot, unplaces its meetings and forgets unavailability in it. */
err_code store_meeting_slot_delete(db *d, int64_t id, err *e);
err_code store_meeting_slot_get(db *d, arena *a, int64_t id, meeting_slot_rec *out, err *e);
/* Slots of an event by start time. */
err_code store_meeting_slot_list(db *d, arena *a, int64_t event_id, meeting_slot_rec **out, int *n,
                                 err *e);
err_code store_meeting_insert(db *d, const meeting_rec *m, int64_t *id, err *e);
err_code store_meeting_get(db *d, arena *a, int64_t id, meeting_rec *out, err *e);
/* Meetings of an event, newest first; reg_id 0 = all, else those where it is a party; status
 * NULL = any. */
err_code store_meeting_list(db *d, arena *a, int64_t event_id, int64_t reg_id, const char *status,
                            meeting_rec **out, int *n, err *e);
err_code store_meeting_set_status(db *d, int64_t id, const char *status, err *e);
/* Places meeting id at (slot_id, table) or unplaces it (slot_id 0). */
err_code store_meeting_place(db *d, int64_t id, int64_t slot_id, int table, err *e);
err_code store_meeting_set_locked(db *d, int64_t id, bool locked, err *e);
/* Marks every request of the event whose expires_at <= now (UTC ISO) expired; *n how many. */
err_code store_meeting_expire(db *d, int64_t event_id, const char *now, int64_t *n, err *e);
/* The id of a requested or accepted meeting between registrations x and y (either way), or 0. */
err_code store_meeting_open_between(db *d, int64_t x, int64_t y, int64_t *id, err *e);
/* Unavailable (registration, slot) pairs of an event, as two parallel arena arrays. */
err_code store_meeting_unavailable_list(db *d, arena *a, int64_t event_id, int64_t **regs,
                                        int64_t **slots, int *n, err *e);
err_code store_meeting_unavailable_set(db *d, int64_t reg_id, int64_t slot_id, bool unavailable,
                                       err *e);
/* The approved registration of an event that is linked to user_id or has email (lower-cased). */
err_code store_registration_of_user(db *d, arena *a, int64_t event_id, int64_t user_id,
                                    const char *email, registration_rec *out, err *e);
err_code store_notice_insert(db *d, const char *email, int64_t event_id, int64_t meeting_id,
                             const char *kind, const char *who, const char *detail, err *e);
/* The latest `limit` notices to email, newest first. */
err_code store_notice_list(db *d, arena *a, const char *email, int limit, notice_rec **out, int *n,
                           err *e);
err_code store_notice_unread(db *d, const char *email, int64_t *n, err *e);
err_code store_notice_mark_read(db *d, const char *email, err *e);

/* ---- roadshow judging of an event (roadshow.c, sql 005_roadshow.sql) ---- */
typedef struct {
    int64_t event_id;
    bool normalize, closed, published;
    const char *updated_at;
} roadshow_rec;

typedef struct {
    int64_t id, event_id;
    const char *code, *name, *name_en;
    int64_t weight_milli; /* weight × 1000, > 0 */
    int sort;
} rs_criterion_rec;

typedef struct {
    int64_t id, event_id, listing_id;
    const char *presenter, *presenter_org, *start_time, *end_time, *created_at, *updated_at;
    int sort; /* presentation order */
    /* joined from the listing and its owner organization */
    const char *title, *owner_org, *owner_org_en, *listing_status;
    int64_t owner_org_id;
} rs_project_rec;

typedef struct {
    int64_t event_id, user_id, org_id; /* org_id 0 = none */
    const char *name, *email, *org_name, *created_at;
} rs_judge_rec;

typedef struct {
    int64_t project_id, judge_id, criterion_id;
    int score;
    const char *updated_at;
} rs_score_rec;

err_code store_roadshow_get(db *d, arena *a, int64_t event_id, roadshow_rec *out, err *e);
/* Creates the settings row unless it exists; *created tells whether this call made it. */
err_code store_roadshow_insert(db *d, int64_t event_id, bool *created, err *e);
err_code store_roadshow_set(db *d, const roadshow_rec *r, err *e);
err_code store_roadshow_criteria(db *d, arena *a, int64_t event_id, rs_criterion_rec **out, int *n,
                                 err *e);
err_code store_roadshow_criterion_insert(db *d, const rs_criterion_rec *c, int64_t *id, err *e);
/* Writes name, name_en, weight and sort of criterion c->id. */
err_code store_roadshow_criterion_update(db *d, const rs_criterion_rec *c, err *e);
err_code store_roadshow_criterion_delete(db *d, int64_t id, err *e);
err_code store_roadshow_project_get(db *d, arena *a, int64_t id, rs_project_rec *out, err *e);
/* Projects of an event in presentation order. */
err_code store_roadshow_projects(db *d, arena *a, int64_t event_id, rs_project_rec **out, int *n,
                                 err *e);
/* A second project of the same listing at the event is ERR_CONFLICT, field "listing_id". */
err_code store_roadshow_project_insert(db *d, const rs_project_rec *p, int64_t *id, err *e);
err_code store_roadshow_project_update(db *d, const rs_project_rec *p, err *e);
/* Deletes the project and its scores. */
err_code store_roadshow_project_delete(db *d, int64_t id, err *e);
err_code store_roadshow_judges(db *d, arena *a, int64_t event_id, rs_judge_rec **out, int *n,
                               err *e);
err_code store_roadshow_judge_add(db *d, int64_t event_id, int64_t user_id, bool *added, err *e);
/* Unassigns the judge and deletes their scores at the event. */
err_code store_roadshow_judge_remove(db *d, int64_t event_id, int64_t user_id, err *e);
err_code store_roadshow_is_judge(db *d, int64_t event_id, int64_t user_id, bool *yes, err *e);
/* The events user_id judges, newest date first (arena array of ids). */
err_code store_roadshow_judge_events(db *d, arena *a, int64_t user_id, int64_t **out, int *n,
                                     err *e);
/* Scores at an event; project_id / judge_id 0 = all. */
err_code store_roadshow_scores(db *d, arena *a, int64_t event_id, int64_t project_id,
                               int64_t judge_id, rs_score_rec **out, int *n, err *e);
/* Inserts or replaces one score. */
err_code store_roadshow_score_put(db *d, int64_t project_id, int64_t judge_id, int64_t criterion_id,
                                  int score, err *e);

/* ---- six-month outcomes and published results (outcome.c, sql 009_outcomes.sql) ---- */
/* Sets a follow-up's outcome (a valid code), its note and outcome_at (now), and marks it done. */
err_code store_followup_set_outcome(db *d, int64_t id, const char *outcome, const char *note,
                                    err *e);
/* Six-month follow-ups of the intentions of event_id (0 = all), counted. */
typedef struct {
    int64_t total;   /* six-month follow-ups */
    int64_t pending; /* no outcome yet */
    int64_t overdue; /* no outcome and due before `today` */
    int64_t no_contact, valuable_contact, negotiating, agreement;
    /* held 1:1 meetings (accepted, placed in a slot), those with an outcome, and by outcome */
    int64_t meetings_held, meetings_recorded;
    int64_t m_no_contact, m_valuable_contact, m_negotiating, m_agreement;
} outcome_tally;
err_code store_outcome_tally(db *d, int64_t event_id, const char *today, outcome_tally *out,
                             err *e);
/* A held 1:1 meeting with its outcome ("" when none recorded). */
typedef struct {
    int64_t meeting_id, event_id, table_no;
    bool held; /* accepted and placed in a slot */
    const char *start_time, *end_time;
    const char *requester, *requester_org, *invitee, *invitee_org;
    const char *outcome, *note, *recorded_at;
} meeting_outcome_rec;
/* The held meetings of event_id by slot time and table, with their outcomes. */
err_code store_meeting_outcomes(db *d, arena *a, int64_t event_id, meeting_outcome_rec **out,
                                int *n, err *e);
/* One meeting (held or not) with its outcome; ERR_NOT_FOUND for no meeting. */
err_code store_meeting_outcome_get(db *d, arena *a, int64_t meeting_id, meeting_outcome_rec *out,
                                   err *e);
/* Sets (inserts or replaces) the outcome of a meeting. */
err_code store_meeting_outcome_put(db *d, int64_t meeting_id, const char *outcome, const char *note,
                                   int64_t user_id, err *e);
/* Intentions of one event per stage: counts[i] for stages[i] (n codes). */
err_code store_intention_stage_counts(db *d, int64_t event_id, const char *const *stages, int n,
                                      int64_t *counts, err *e);
/* The results_public flag of an event (ERR_NOT_FOUND for no event) and its setter. */
err_code store_event_results_public(db *d, int64_t event_id, bool *pub, err *e);
err_code store_event_set_results_public(db *d, int64_t event_id, bool pub, err *e);

/* ---- intentions, follow-ups, statistics (intention.c, sql 007_intentions.sql) ---- */
typedef struct {
    int64_t id, event_id, meeting_id, achievement_id, need_id, org_a_id, org_b_id; /* 0 = none */
    int64_t created_by;
    const char *title, *source, *stage, *contract_type, *signed_on; /* "" when none */
    int64_t amount_centi;                                           /* -1 = none; 0.01 万元 */
    const char *terminate_reason, *note, *created_at, *updated_at;
    /* joined, "" when none */
    const char *event_title, *achievement_title, *need_title, *org_a_name, *org_b_name;
} intention_rec;

typedef struct {
    int64_t id, intention_id;
    const char *text, *due_date, *created_at;
    bool done;
    const char *intention_title; /* joined */
    /* 009_outcomes.sql: kind "task" | "six_month"; outcome "" until recorded (six_month only) */
    const char *kind, *outcome, *outcome_note, *outcome_at;
    int64_t event_id; /* joined: the intention's event, 0 = none */
} followup_rec;

typedef struct {
    const char *stage; /* NULL = any */
    int64_t event_id;  /* 0 = any */
    int64_t org_id;    /* 0 = any; else intentions linking this organization */
} intention_filter;

/* The figures of the statistics that come as cells (definitions in domain/stats.c). */
enum { STATS_COLLECTED, STATS_DISPLAYED, STATS_PROMOTED, STATS_INTENTIONS, STATS_CONTRACTS };

/* One aggregated statistics cell: figure (a STATS_* index) counted for one
 * top-level field code and one organization type ("" when unknown); amount for contracts. */
typedef struct {
    int figure;
    const char *field, *org_type;
    int64_t count, amount_centi;
    const char *region, *month; /* owner organization's region; "YYYY-MM" or "" (see stats.c) */
} stats_cell;

/* A new intention at i->stage, without contract data or reason, stamped now (through
 * store_intention_insert_full). */
err_code store_intention_insert(db *d, const intention_rec *i, int64_t *id, err *e);
err_code store_intention_get(db *d, arena *a, int64_t id, intention_rec *out, err *e);
err_code store_intention_list(db *d, arena *a, const intention_filter *f, intention_rec **out,
                              int *n, err *e);
/* Writes stage, contract_type, amount_centi, signed_on and terminate_reason of i. */
err_code store_intention_set_stage(db *d, const intention_rec *i, err *e);
/* The event and the organizations of a meeting's two registrations: the registration's org, else
 * its account's, else the organization named like its org_name; 0 when none. */
err_code store_intention_meeting_parties(db *d, int64_t meeting_id, int64_t *event_id,
                                         int64_t *org1, int64_t *org2, err *e);
err_code store_followup_insert(db *d, const followup_rec *f, int64_t user_id, int64_t *id, err *e);
err_code store_followup_get(db *d, arena *a, int64_t id, followup_rec *out, err *e);
err_code store_followup_set_done(db *d, int64_t id, bool done, err *e);
/* Follow-ups of one intention by due date; or, with intention_id 0, the open follow-ups due
 * before `before` (YYYY-MM-DD) of open intentions. */
err_code store_followups(db *d, arena *a, int64_t intention_id, const char *before,
                         followup_rec **out, int *n, err *e);
/* ---- statistics (store/stats.c; every figure is defined in domain/stats.c) ---- */

/* STATS_MATCHED: a cell figure beside the STATS_* of stats_cell that has no column in v[]. */
enum { STATS_MATCHED = STATS_CONTRACTS + 1 };

/* What the statistics cover: one event (0 = every event) and a period of local dates
 * (YYYY-MM-DD, inclusive; NULL or "" = open). */
typedef struct {
    int64_t event_id;
    const char *from, *to;
} stats_scope;

/* Attendance of one registration category. */
typedef struct {
    const char *category;
    int64_t registered, approved, checked_in;
} stats_attendance_rec;

/* The statistics cells in scope, grouped by figure, top field, organization type, region and
 * month (month set for collected, intentions and contracts only). */
err_code store_stats_cells(db *d, arena *a, const stats_scope *sc, stats_cell **out, int *n,
                           err *e);
/* Meetings in scope: every request, accepted, accepted and placed in a slot. */
err_code store_stats_meetings(db *d, const stats_scope *sc, int64_t *requested, int64_t *accepted,
                              int64_t *held, err *e);
/* Registrations in scope per category, in the order of the category list. */
err_code store_stats_attendance(db *d, arena *a, const stats_scope *sc, stats_attendance_rec **out,
                                int *n, err *e);

/* ---- spreadsheet imports (import.c, sql 008_imports.sql) ---- */
/* An uploaded file waiting for the organizer's confirmation after its preview. */
typedef struct {
    int64_t id, user_id, event_id; /* event_id 0 = none */
    const char *kind, *filename, *expires_at;
    const char *data; /* the file's bytes (NUL-terminated copy) */
    size_t len;
} import_upload_rec;
/* The id of a listing of kind owned by org_id with exactly this title, or *id = 0. */
err_code store_listing_find_title(db *d, const char *kind, int64_t org_id, const char *title,
                                  int64_t *id, err *e);
/* Stores an upload (purging expired ones first); *id is its id. */
err_code store_import_put(db *d, const import_upload_rec *u, int64_t *id, err *e);
/* The unexpired upload id of user_id; ERR_NOT_FOUND otherwise. */
err_code store_import_get(db *d, arena *a, int64_t id, int64_t user_id, import_upload_rec *out,
                          err *e);
/* Deletes upload id of user_id; ERR_NOT_FOUND when no such row was there (already claimed). */
err_code store_import_claim(db *d, int64_t id, int64_t user_id, err *e);

/* Participants' unavailable slots: forgets every unavailable slot of a registration (its
 * event's slots only, since a registration belongs to one event). */
err_code store_meeting_unavailable_clear(db *d, int64_t reg_id, err *e);

/* Import: inserts i as it stands (stage, contract data — type NULL when "", amount NULL when < 0,
 * date NULL when "" — terminate reason, created_at / updated_at, now when ""); *id its id. */
err_code store_intention_insert_full(db *d, const intention_rec *i, int64_t *id, err *e);

#endif
