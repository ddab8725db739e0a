/* listing.c — achievements and needs (one table, see sql/sqlite/001_init.sql), and history. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/row.h"

#define LISTING_COLS                                                                               \
    "l.id, l.kind, l.org_id, l.title, l.summary, l.description, l.advantages, l.field, "           \
    "l.keywords, l.patents, l.modes, COALESCE(l.trl, 0), COALESCE(l.price_wan, -1), "              \
    "COALESCE(l.need_type, ''), COALESCE(l.deadline, ''), l.anonymous, l.contact_name, "           \
    "l.contact_phone, l.contact_email, l.lang, l.status, l.reject_reason, "                        \
    "COALESCE(l.created_by, 0), l.created_at, l.updated_at, COALESCE(l.published_at, ''), "        \
    "o.name, o.name_en, o.type, o.region"
#define LISTING_FROM " FROM listings l JOIN orgs o ON o.id = l.org_id "

static void listing_read(db_stmt *s, arena *a, listing_rec *l)
{
    int i = 0;
    l->id = db_col_int(s, i++);
    l->kind = row_text(a, s, i++);
    l->org_id = db_col_int(s, i++);
    l->title = row_text(a, s, i++);
    l->summary = row_text(a, s, i++);
    l->description = row_text(a, s, i++);
    l->advantages = row_text(a, s, i++);
    l->field = row_text(a, s, i++);
    l->keywords = row_text(a, s, i++);
    l->patents = row_text(a, s, i++);
    l->modes = row_text(a, s, i++);
    l->trl = (int)db_col_int(s, i++);
    l->price_wan = db_col_int(s, i++);
    l->need_type = row_text(a, s, i++);
    l->deadline = row_text(a, s, i++);
    l->anonymous = db_col_int(s, i++) != 0;
    l->contact_name = row_text(a, s, i++);
    l->contact_phone = row_text(a, s, i++);
    l->contact_email = row_text(a, s, i++);
    l->lang = row_text(a, s, i++);
    l->status = row_text(a, s, i++);
    l->reject_reason = row_text(a, s, i++);
    l->created_by = db_col_int(s, i++);
    l->created_at = row_text(a, s, i++);
    l->updated_at = row_text(a, s, i++);
    l->published_at = row_text(a, s, i++);
    l->org_name = row_text(a, s, i++);
    l->org_name_en = row_text(a, s, i++);
    l->org_type = row_text(a, s, i++);
    l->org_region = row_text(a, s, i++);
}

/* Binds the editable columns in the order both INSERT and UPDATE list them; returns next index. */
static int listing_bind_editable(db_stmt *s, const listing_rec *l, int i)
{
    db_bind_text(s, i++, l->title);
    db_bind_text(s, i++, l->summary ? l->summary : "");
    db_bind_text(s, i++, l->description ? l->description : "");
    db_bind_text(s, i++, l->advantages ? l->advantages : "");
    db_bind_text(s, i++, l->field);
    db_bind_text(s, i++, l->keywords ? l->keywords : "[]");
    if (l->trl)
        db_bind_int(s, i++, l->trl);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, l->patents ? l->patents : "[]");
    db_bind_text(s, i++, l->modes ? l->modes : ",");
    if (l->price_wan >= 0)
        db_bind_int(s, i++, l->price_wan);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, row_nz(l->need_type));
    db_bind_text(s, i++, row_nz(l->deadline));
    db_bind_int(s, i++, l->anonymous);
    db_bind_text(s, i++, l->contact_name ? l->contact_name : "");
    db_bind_text(s, i++, l->contact_phone ? l->contact_phone : "");
    db_bind_text(s, i++, l->contact_email ? l->contact_email : "");
    db_bind_text(s, i++, l->lang ? l->lang : "zh-Hans");
    return i;
}

err_code store_listing_insert(db *d, const listing_rec *l, int64_t *id, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(
        d,
        "INSERT INTO listings (title, summary, description, advantages, field, keywords, trl, "
        "patents, modes, price_wan, need_type, deadline, anonymous, contact_name, contact_phone, "
        "contact_email, lang, kind, org_id, status, created_by, created_at, updated_at, "
        "published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, "
        "?) RETURNING id",
        e);
    if (!s) return e->code;
    int i = listing_bind_editable(s, l, 1);
    db_bind_text(s, i++, l->kind);
    db_bind_int(s, i++, l->org_id);
    db_bind_text(s, i++, l->status);
    if (l->created_by)
        db_bind_int(s, i++, l->created_by);
    else
        db_bind_null(s, i++);
    db_bind_text(s, i++, now);
    db_bind_text(s, i++, now);
    db_bind_text(s, i++, str_eq(l->status, "published") ? now : NULL);
    db_step_result r = db_step(s, e);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_done(s);
    return r == DB_FAIL ? e->code : ERR_OK;
}

err_code store_listing_update(db *d, const listing_rec *l, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE listings SET title = ?, summary = ?, description = ?, "
                            "advantages = ?, field = ?, keywords = ?, trl = ?, patents = ?, "
                            "modes = ?, price_wan = ?, need_type = ?, deadline = ?, anonymous = ?, "
                            "contact_name = ?, contact_phone = ?, contact_email = ?, lang = ?, "
                            "updated_at = ? WHERE id = ?",
                            e);
    if (!s) return e->code;
    int i = listing_bind_editable(s, l, 1);
    db_bind_text(s, i++, now);
    db_bind_int(s, i++, l->id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "listing %lld not found",
                       (long long)l->id);
    return ERR_OK;
}

err_code store_listing_set_status(db *d, int64_t id, const char *status, const char *reason, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "UPDATE listings SET status = ?, reject_reason = ?, updated_at = ?, "
                            "published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at "
                            "END WHERE id = ?",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, reason ? reason : "");
    db_bind_text(s, 3, now);
    db_bind_text(s, 4, status);
    db_bind_text(s, 5, now);
    db_bind_int(s, 6, id);
    if (db_run(s, e)) return e->code;
    if (db_changes(d) == 0)
        return err_set(e, ERR_NOT_FOUND, NULL, "err.not_found", "listing %lld not found",
                       (long long)id);
    return ERR_OK;
}

err_code store_listing_get(db *d, arena *a, int64_t id, listing_rec *out, err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " LISTING_COLS LISTING_FROM "WHERE l.id = ?", e);
    if (!s) return e->code;
    db_bind_int(s, 1, id);
    err_code rc = row_one(s, e, "listing");
    if (!rc) listing_read(s, a, out);
    db_done(s);
    return rc;
}

/* Parameters collected while the WHERE clause is written, bound afterwards in order. */
typedef struct {
    const char *text[16];
    int64_t num[16];
    bool is_num[16];
    int n;
} params;

static void p_text(params *p, const char *v)
{
    p->is_num[p->n] = false;
    p->text[p->n++] = v;
}

static void p_num(params *p, int64_t v)
{
    p->is_num[p->n] = true;
    p->num[p->n++] = v;
}

static void bind_params(db_stmt *s, const params *p)
{
    for (int i = 0; i < p->n; i++) {
        if (p->is_num[i])
            db_bind_int(s, i + 1, p->num[i]);
        else
            db_bind_text(s, i + 1, p->text[i]);
    }
}

/* The mode test for a known mode code as fixed SQL text (a literal LIKE pattern, which
 * SQLite does not re-prepare for), or NULL for any other value, which is then bound. */
static const char *mode_like_literal(const char *mode)
{
    static const char *const known[][2] = {
        {"transfer", " AND l.modes LIKE '%,transfer,%'"},
        {"license", " AND l.modes LIKE '%,license,%'"},
        {"joint", " AND l.modes LIKE '%,joint,%'"},
        {"equity", " AND l.modes LIKE '%,equity,%'"},
        {"service", " AND l.modes LIKE '%,service,%'"},
        {"commission", " AND l.modes LIKE '%,commission,%'"},
    };
    for (size_t i = 0; i < ARRAY_LEN(known); i++)
        if (str_eq(mode, known[i][0])) return known[i][1];
    return NULL;
}

/* Writes " WHERE …" for f into sql and collects its parameters. Only fixed SQL text is
 * appended: every user value goes through a bound parameter. */
static void listing_where(arena *a, const listing_filter *f, buf *sql, params *p)
{
    buf_puts(sql, " WHERE l.kind = ?");
    p_text(p, f->kind);
    if (f->status) {
        buf_puts(sql, " AND l.status = ?");
        p_text(p, f->status);
    }
    if (f->org_id) {
        buf_puts(sql, " AND l.org_id = ?");
        p_num(p, f->org_id);
    }
    /* Neither test below binds a parameter on the right of LIKE: SQLite re-prepares a statement
     * whenever such a parameter is rebound, which cost every list request a full parse and plan
     * of both of its queries. field is a code (the domain accepts only known ones; stored values
     * are codes by foreign key), so "the field or a sub-field" is an exact prefix test. */
    if (row_nz(f->field)) {
        buf_puts(sql, " AND (l.field = ? OR substr(l.field, 1, ?) = ?)");
        p_text(p, f->field);
        p_num(p, (int64_t)utf8_count(f->field) + 1);
        p_text(p, arena_printf(a, "%s.", f->field));
    }
    static const int stage_lo[] = {0, 1, 4, 6, 8}, stage_hi[] = {0, 3, 5, 7, 9};
    if (f->stage >= 1 && f->stage <= 4) {
        buf_puts(sql, " AND l.trl BETWEEN ? AND ?");
        p_num(p, stage_lo[f->stage]);
        p_num(p, stage_hi[f->stage]);
    }
    if (row_nz(f->mode)) { /* modes is stored as ",a,b," */
        const char *lit = mode_like_literal(f->mode);
        if (lit) {
            buf_puts(sql, lit);
        } else {
            buf_puts(sql, " AND l.modes LIKE ?");
            p_text(p, arena_printf(a, "%%,%s,%%", f->mode));
        }
    }
    if (row_nz(f->org_type)) {
        buf_puts(sql, " AND o.type = ?");
        p_text(p, f->org_type);
    }
    if (row_nz(f->region)) { /* a prefix: the user's % and _ are literal */
        buf esc = {0};
        for (const char *c = f->region; *c; c++) {
            if (*c == '%' || *c == '_' || *c == '\\') buf_putc(&esc, '\\');
            buf_putc(&esc, *c);
        }
        buf_puts(sql, " AND o.region LIKE ? ESCAPE '\\'");
        p_text(p, arena_printf(a, "%s%%", esc.s ? esc.s : ""));
        buf_free(&esc);
    }
    if (row_nz(f->need_type)) {
        buf_puts(sql, " AND l.need_type = ?");
        p_text(p, f->need_type);
    }
    if (row_nz(f->q)) {
        /* escape LIKE wildcards in the user's text */
        buf esc = {0};
        for (const char *c = f->q; *c; c++) {
            if (*c == '%' || *c == '_' || *c == '\\') buf_putc(&esc, '\\');
            buf_putc(&esc, *c);
        }
        const char *pat = arena_printf(a, "%%%s%%", esc.s ? esc.s : "");
        buf_free(&esc);
        buf_puts(sql, " AND (l.title LIKE ? ESCAPE '\\' OR l.summary LIKE ? ESCAPE '\\' OR "
                      "l.keywords LIKE ? ESCAPE '\\' OR l.description LIKE ? ESCAPE '\\')");
        for (int i = 0; i < 4; i++)
            p_text(p, pat);
    }
}

/* ---- totals cache ----
 * COUNT(*) of a filtered list costs a scan of every matching index entry (~10 ms for 100,000
 * listings), far more than the page of rows itself. Totals are therefore cached per process,
 * keyed by the WHERE clause and its parameter values, and stamped with listing_generation.gen
 * (003_listing_speed.sql), which triggers change on every change to listings or orgs. An entry
 * is used only while the database's generation still equals its stamp, so a total is never
 * staler than one computed afresh would be; this holds across connections, processes and nodes
 * sharing the database. The stamp and the count are read by one statement, hence one snapshot.
 * The cache has a fixed number of slots, TOTALS_WAYS-way set associative with least-recently-used
 * replacement within a set, so its memory is bounded and a few hundred distinct filters (the
 * combinations users actually click) all stay cached; it is owned by this file and lives until
 * the process ends. */
enum { TOTALS_SLOTS = 1024, TOTALS_WAYS = 8, TOTALS_KEY_MAX = 2048 };

typedef struct {
    uint64_t hash, used; /* used: tick of the last hit or store, for replacement */
    char *key;           /* malloc'd; NULL for an empty slot */
    int64_t gen, total;
} totals_slot;

static totals_slot totals[TOTALS_SLOTS];
static uint64_t totals_tick;
static pthread_mutex_t totals_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t totals_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Writes the cache key of a WHERE clause and its parameters into key: the SQL, then each value
 * length-prefixed so that no two parameter lists produce the same text. False when the key
 * would exceed TOTALS_KEY_MAX (such lists are simply not cached). */
static bool totals_key(const char *where, const params *p, buf *key)
{
    buf_puts(key, where);
    for (int i = 0; i < p->n; i++) {
        if (p->is_num[i])
            buf_printf(key, "\x1f#%lld", (long long)p->num[i]);
        else
            buf_printf(key, "\x1f%zu:%s", strlen(p->text[i]), p->text[i]);
        if (key->len > TOTALS_KEY_MAX) return false;
    }
    return true;
}

/* The slot holding key in its set, or NULL. Called with totals_lock held. */
static totals_slot *totals_find(const char *key, uint64_t h)
{
    totals_slot *set = &totals[(h % (TOTALS_SLOTS / TOTALS_WAYS)) * TOTALS_WAYS];
    for (int w = 0; w < TOTALS_WAYS; w++)
        if (set[w].key && set[w].hash == h && strcmp(set[w].key, key) == 0) return &set[w];
    return NULL;
}

/* True with *total set when key holds a total stamped with generation gen. */
static bool totals_get(const char *key, uint64_t h, int64_t gen, int64_t *total)
{
    bool hit = false;
    pthread_mutex_lock(&totals_lock);
    totals_slot *t = totals_find(key, h);
    if (t && t->gen == gen) {
        *total = t->total;
        t->used = ++totals_tick;
        hit = true;
    }
    pthread_mutex_unlock(&totals_lock);
    return hit;
}

static void totals_put(const char *key, uint64_t h, int64_t gen, int64_t total)
{
    pthread_mutex_lock(&totals_lock);
    totals_slot *t = totals_find(key, h);
    if (!t) { /* an empty way, else the least recently used one */
        totals_slot *set = &totals[(h % (TOTALS_SLOTS / TOTALS_WAYS)) * TOTALS_WAYS];
        t = &set[0];
        for (int w = 0; w < TOTALS_WAYS && t->key; w++)
            if (!set[w].key || set[w].used < t->used) t = &set[w];
        free(t->key);
        t->key = xstrdup(key);
        t->hash = h;
    }
    t->gen = gen;
    t->total = total;
    t->used = ++totals_tick;
    pthread_mutex_unlock(&totals_lock);
}

/* Sets *total to the number of rows matching where/p, from the cache when it is current. */
static err_code listing_total(db *d, const char *where, const params *p, int64_t *total, err *e)
{
    buf key = {0}, sql = {0};
    err_code rc = ERR_OK;
    bool cacheable = totals_key(where, p, &key);
    uint64_t h = cacheable ? totals_hash(key.s) : 0;
    db_stmt *s;
    if (cacheable) {
        s = db_prepare(d, "SELECT gen FROM listing_generation WHERE id = 1", e);
        if (!s) goto fail;
        db_step_result r = db_step(s, e);
        int64_t gen = r == DB_ROW ? db_col_int(s, 0) : 0;
        db_done(s);
        if (r == DB_FAIL) goto fail;
        if (r == DB_ROW && totals_get(key.s, h, gen, total)) goto done;
    }
    buf_printf(&sql,
               "SELECT (SELECT gen FROM listing_generation WHERE id = 1), COUNT(*)" LISTING_FROM
               "%s",
               where);
    s = db_prepare(d, sql.s, e);
    if (!s) goto fail;
    bind_params(s, p);
    if (db_step(s, e) != DB_ROW) {
        db_done(s);
        goto fail;
    }
    bool stamped = !db_col_null(s, 0);
    int64_t gen = db_col_int(s, 0);
    *total = db_col_int(s, 1);
    db_done(s);
    if (cacheable && stamped) totals_put(key.s, h, gen, *total);
    goto done;
fail:
    rc = e->code ? e->code : ERR_INTERNAL;
done:
    buf_free(&key);
    buf_free(&sql);
    return rc;
}

err_code store_listing_list(db *d, arena *a, const listing_filter *f, listing_rec **out, int *n,
                            int64_t *total, err *e)
{
    buf where = {0}, sql = {0};
    params p = {0};
    listing_where(a, f, &where, &p);
    err_code rc = ERR_OK;
    db_stmt *s;

    if (listing_total(d, where.s, &p, total, e)) goto fail;

    const char *order = str_eq(f->sort, "old")     ? "l.id ASC"
                        : str_eq(f->sort, "title") ? "l.title ASC, l.id DESC"
                                                   : "l.id DESC";
    buf_reset(&sql);
    buf_printf(&sql, "SELECT " LISTING_COLS LISTING_FROM "%s ORDER BY %s LIMIT ? OFFSET ?", where.s,
               order);
    s = db_prepare(d, sql.s, e);
    if (!s) goto fail;
    bind_params(s, &p);
    db_bind_int(s, p.n + 1, f->limit > 0 ? f->limit : 20);
    db_bind_int(s, p.n + 2, f->offset);
    listing_rec *arr = NULL;
    int cnt = 0, cap = 0;
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        arr = row_grow(a, arr, cnt, &cap, sizeof *arr);
        listing_read(s, a, &arr[cnt++]);
    }
    db_done(s);
    if (r == DB_FAIL) goto fail;
    *out = arr;
    *n = cnt;
    goto done;
fail:
    rc = e->code ? e->code : ERR_INTERNAL;
done:
    buf_free(&where);
    buf_free(&sql);
    return rc;
}

err_code store_counts(db *d, catalog_counts *c, err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT (SELECT COUNT(*) FROM listings WHERE kind = 'achievement' AND status = "
        "'published'), (SELECT COUNT(*) FROM listings WHERE kind = 'need' AND status = "
        "'published'), (SELECT COUNT(*) FROM orgs), (SELECT COUNT(*) FROM orgs WHERE type IN "
        "('university','institute')), (SELECT COUNT(*) FROM orgs WHERE type = 'enterprise')",
        e);
    if (!s) return e->code;
    err_code rc = row_one(s, e, "counts");
    if (!rc) {
        c->achievements = db_col_int(s, 0);
        c->needs = db_col_int(s, 1);
        c->orgs = db_col_int(s, 2);
        c->institutions = db_col_int(s, 3);
        c->enterprises = db_col_int(s, 4);
    }
    db_done(s);
    return rc;
}

err_code store_history_add(db *d, const char *entity, int64_t entity_id, int64_t user_id,
                           const char *action, const char *detail, err *e)
{
    char now[21];
    time_now_iso(now);
    db_stmt *s = db_prepare(d,
                            "INSERT INTO history (entity, entity_id, user_id, action, detail, at) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, entity);
    db_bind_int(s, 2, entity_id);
    if (user_id)
        db_bind_int(s, 3, user_id);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, action);
    db_bind_text(s, 5, detail ? detail : "");
    db_bind_text(s, 6, now);
    return db_run(s, e);
}

err_code store_history_list(db *d, arena *a, const char *entity, int64_t entity_id,
                            history_rec **out, int *n, err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT h.id, h.entity_id, COALESCE(h.user_id, 0), h.entity, h.action, "
                            "h.detail, h.at, COALESCE(u.name, '') FROM history h LEFT JOIN users "
                            "u ON u.id = h.user_id WHERE h.entity = ? AND h.entity_id = ? "
                            "ORDER BY h.id",
                            e);
    if (!s) return e->code;
    db_bind_text(s, 1, entity);
    db_bind_int(s, 2, entity_id);
    history_rec *arr = NULL;
    int cnt = 0, cap = 0;
    db_step_result r;
    while ((r = db_step(s, e)) == DB_ROW) {
        arr = row_grow(a, arr, cnt, &cap, sizeof *arr);
        arr[cnt++] = (history_rec){db_col_int(s, 0),  db_col_int(s, 1),  db_col_int(s, 2),
                                   row_text(a, s, 3), row_text(a, s, 4), row_text(a, s, 5),
                                   row_text(a, s, 6), row_text(a, s, 7)};
    }
    db_done(s);
    *out = arr;
    *n = cnt;
    return r == DB_FAIL ? e->code : ERR_OK;
}
