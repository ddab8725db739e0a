/* export.c — every row of a kind to XLSX, CSV, JSON or JSON Lines, for organizers.
 * CSV and XLSX carry the import's column headers (sheet.h) and Chinese labels for codes
 * (转让, 已发布, 生物医药/药物研发 …), which the import reads back: export → import into an empty
 * database gives the same data. JSON is the API's shape (transfer.c for listings and orgs). */
#include <string.h>

#include "domain/sheet.h"

typedef struct {
    arena *a;
    int ncols;
    const char **header;
    const char ***rows;
    int nrows, cap;
} table;

static void table_init(table *t, arena *a, const char *const *header, int ncols)
{
    memset(t, 0, sizeof *t);
    t->a = a;
    t->ncols = ncols;
    t->header = arena_alloc(a, (size_t)ncols * sizeof *t->header);
    memcpy(t->header, header, (size_t)ncols * sizeof *t->header);
}

static const char **table_row(table *t)
{
    if (t->nrows == t->cap) {
        int ncap = t->cap ? t->cap * 2 : 256;
        const char ***n = arena_alloc(t->a, (size_t)ncap * sizeof *n);
        if (t->rows) memcpy(n, t->rows, (size_t)t->nrows * sizeof *n);
        t->rows = n;
        t->cap = ncap;
    }
    const char **row = arena_alloc(t->a, (size_t)t->ncols * sizeof *row);
    for (int j = 0; j < t->ncols; j++)
        row[j] = "";
    t->rows[t->nrows++] = row;
    return row;
}

/* The headers of an import kind, in order. */
static const char **kind_header(arena *a, const char *kind, int *n)
{
    const sheet_col *cols = sheet_cols(kind, n);
    const char **h = arena_alloc(a, (size_t)*n * sizeof *h);
    for (int i = 0; i < *n; i++)
        h[i] = cols[i].header;
    return h;
}

static int col_index(const char *kind, const char *field)
{
    int n;
    const sheet_col *cols = sheet_cols(kind, &n);
    for (int i = 0; i < n; i++)
        if (str_eq(cols[i].field, field)) return i;
    return -1;
}

#define SET(kind, field, value)                                                                    \
    do {                                                                                           \
        int ix_ = col_index(kind, field);                                                          \
        if (ix_ >= 0) row[ix_] = (value) ? (value) : "";                                           \
    } while (0)

static const char *join_json_list(arena *a, const char *json, bool patents)
{
    json_t *arr = json_loads(json ? json : "[]", 0, NULL);
    buf b = {0};
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (patents) {
            const char *num = json_string_value(json_object_get(v, "number"));
            const char *st = json_string_value(json_object_get(v, "status"));
            buf_printf(&b, "%s%s %s", i ? "\n" : "", num ? num : "",
                       sheet_label_zh(SHEET_PATENT, st ? st : "pending"));
        } else if (json_is_string(v)) {
            buf_printf(&b, "%s%s", i ? "、" : "", json_string_value(v));
        }
    }
    json_decref(arr);
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

static const char *modes_label(arena *a, const char *modes)
{
    char **items;
    int n = input_split_list(a, modes, &items);
    buf b = {0};
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? "、" : "", sheet_label_zh(SHEET_MODES, items[i]));
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

static err_code listings_table(dctx *c, const char *kind, table *t, err *e)
{
    arena *a = c->a;
    int n;
    const char **h = kind_header(a, kind, &n);
    table_init(t, a, h, n);
    bool need = str_eq(kind, "needs");
    listing_filter f = {.kind = need ? "need" : "achievement", .sort = "old", .limit = 500};
    for (;;) {
        listing_rec *ls;
        int cnt;
        int64_t total;
        if (store_listing_list(c->db, a, &f, &ls, &cnt, &total, e)) return e->code;
        for (int i = 0; i < cnt; i++) {
            const listing_rec *l = &ls[i];
            const char **row = table_row(t);
            SET(kind, "id", arena_printf(a, "%lld", (long long)l->id));
            SET(kind, "title", l->title);
            SET(kind, "org", l->org_name);
            SET(kind, "field", sheet_field_label(a, l->field));
            SET(kind, "trl", l->trl ? arena_printf(a, "%d", l->trl) : "");
            SET(kind, "keywords", join_json_list(a, l->keywords, false));
            SET(kind, "summary", l->summary);
            SET(kind, "description", l->description);
            SET(kind, "advantages", l->advantages);
            SET(kind, "patents", join_json_list(a, l->patents, true));
            SET(kind, need ? "cooperation" : "transfer_modes", modes_label(a, l->modes));
            SET(kind, need ? "budget_wan" : "price_wan",
                l->price_wan < 0 ? "面议" : arena_printf(a, "%lld", (long long)l->price_wan));
            SET(kind, "type", *l->need_type ? sheet_label_zh(SHEET_NEED_TYPE, l->need_type) : "");
            SET(kind, "deadline", l->deadline);
            SET(kind, "anonymous", l->anonymous ? "是" : "否");
            SET(kind, "contact_name", l->contact_name);
            SET(kind, "contact_phone", l->contact_phone);
            SET(kind, "contact_email", l->contact_email);
            SET(kind, "status", sheet_label_zh(SHEET_STATUS, l->status));
            SET(kind, "lang", l->lang);
        }
        if (cnt < f.limit) break;
        f.offset += cnt;
    }
    return ERR_OK;
}

static err_code orgs_table(dctx *c, table *t, err *e)
{
    int n;
    const char **h = kind_header(c->a, "orgs", &n);
    table_init(t, c->a, h, n);
    org_rec *orgs;
    int cnt;
    if (store_org_list(c->db, c->a, NULL, &orgs, &cnt, e)) return e->code;
    for (int i = 0; i < cnt; i++) {
        const char **row = table_row(t);
        SET("orgs", "id", arena_printf(c->a, "%lld", (long long)orgs[i].id));
        SET("orgs", "name", orgs[i].name);
        SET("orgs", "name_en", orgs[i].name_en);
        SET("orgs", "type", sheet_label_zh(SHEET_ORG_TYPE, orgs[i].type));
        SET("orgs", "region", orgs[i].region);
        SET("orgs", "verified", orgs[i].verified ? "是" : "否");
    }
    return ERR_OK;
}

static err_code participants_table(dctx *c, int64_t event_id, table *t, err *e)
{
    int n;
    const char **h = kind_header(c->a, "participants", &n);
    table_init(t, c->a, h, n);
    registration_rec *regs;
    int cnt;
    if (registration_list(c, event_id, NULL, &regs, &cnt, e)) return e->code;
    for (int i = 0; i < cnt; i++) {
        const registration_rec *r = &regs[i];
        const char **row = table_row(t);
        SET("participants", "id", arena_printf(c->a, "%lld", (long long)r->id));
        SET("participants", "name", r->name);
        SET("participants", "org_name", r->org_name);
        SET("participants", "category", sheet_label_zh(SHEET_CATEGORY, r->category));
        SET("participants", "brings", sheet_label_zh(SHEET_BRINGS, r->brings));
        SET("participants", "phone", r->phone);
        SET("participants", "email", r->email);
        SET("participants", "status", sheet_label_zh(SHEET_REG_STATUS, r->status));
        SET("participants", "checked_in_at", event_local_time(c->a, r->checked_in_at));
    }
    return ERR_OK;
}

static err_code events_table(dctx *c, table *t, err *e)
{
    int n;
    const char **h = kind_header(c->a, "events", &n);
    table_init(t, c->a, h, n);
    event_rec *evs;
    int cnt;
    if (event_list(c, &evs, &cnt, e)) return e->code;
    for (int i = cnt - 1; i >= 0; i--) { /* oldest first, like the other kinds */
        const event_rec *ev = &evs[i];
        event_org_rec *orgs;
        int norgs;
        if (store_event_orgs_list(c->db, c->a, ev->id, &orgs, &norgs, e)) return e->code;
        buf ob = {0};
        for (int k = 0; k < norgs; k++)
            buf_printf(&ob, "%s%s", k ? "、" : "", orgs[k].name);
        char **fs;
        int nf = input_split_list(c->a, ev->fields, &fs);
        buf fb = {0};
        for (int k = 0; k < nf; k++)
            buf_printf(&fb, "%s%s", k ? "、" : "", sheet_field_label(c->a, fs[k]));
        registration_rec *regs;
        int nregs = 0;
        if (registration_list(c, ev->id, NULL, &regs, &nregs, e)) {
            buf_free(&ob);
            buf_free(&fb);
            return e->code;
        }
        const char **row = table_row(t);
        SET("events", "id", arena_printf(c->a, "%lld", (long long)ev->id));
        SET("events", "title", ev->title);
        SET("events", "title_en", ev->title_en);
        SET("events", "date", ev->date);
        SET("events", "start_time", ev->start_time);
        SET("events", "end_time", ev->end_time);
        SET("events", "venue", ev->venue);
        SET("events", "orgs", arena_strdup(c->a, ob.s ? ob.s : ""));
        SET("events", "fields", arena_strdup(c->a, fb.s ? fb.s : ""));
        SET("events", "capacity",
            ev->capacity ? arena_printf(c->a, "%lld", (long long)ev->capacity) : "");
        SET("events", "reg_deadline", ev->reg_deadline);
        SET("events", "needs_approval", ev->needs_approval ? "是" : "否");
        SET("events", "status", sheet_label_zh(SHEET_STATUS, ev->status));
        SET("events", "description", ev->description);
        SET("events", "registrations", arena_printf(c->a, "%d", nregs));
        buf_free(&ob);
        buf_free(&fb);
    }
    return ERR_OK;
}

static err_code intentions_table(dctx *c, table *t, err *e)
{
    int n;
    const char **h = kind_header(c->a, "intentions", &n);
    table_init(t, c->a, h, n);
    intention_rec *ins;
    int cnt;
    if (intention_list(c, "", "", &ins, &cnt, e)) return e->code;
    for (int i = cnt - 1; i >= 0; i--) {
        const intention_rec *in = &ins[i];
        const char **row = table_row(t);
        SET("intentions", "id", arena_printf(c->a, "%lld", (long long)in->id));
        SET("intentions", "title", in->title);
        SET("intentions", "source", sheet_label_zh(SHEET_SOURCE, in->source));
        SET("intentions", "stage", sheet_label_zh(SHEET_STAGE, in->stage));
        SET("intentions", "event", in->event_title);
        SET("intentions", "achievement", in->achievement_title);
        SET("intentions", "need", in->need_title);
        SET("intentions", "org_a", in->org_a_name);
        SET("intentions", "org_b", in->org_b_name);
        SET("intentions", "contract_type",
            *in->contract_type ? sheet_label_zh(SHEET_CTYPE, in->contract_type) : "");
        SET("intentions", "amount_wan",
            in->amount_centi >= 0 ? intention_amount_text(c->a, in->amount_centi) : "");
        SET("intentions", "signed_on", in->signed_on);
        SET("intentions", "terminate_reason", in->terminate_reason);
        SET("intentions", "note", in->note);
        SET("intentions", "created_at", event_local_time(c->a, in->created_at));
        SET("intentions", "updated_at", event_local_time(c->a, in->updated_at));
    }
    return ERR_OK;
}

bool export_kind_valid(const char *kind)
{
    return import_kind_valid(kind);
}

static void emit(buf *out, json_t *o, bool jsonl, bool *first)
{
    char *s = json_dumps(o, JSON_COMPACT);
    if (!jsonl) buf_puts(out, *first ? "[\n" : ",\n");
    buf_puts(out, s);
    if (jsonl) buf_putc(out, '\n');
    *first = false;
    free(s);
    json_decref(o);
}

static err_code export_json(dctx *c, const char *kind, int64_t event_id, bool jsonl, buf *out,
                            err *e)
{
    if (str_eq(kind, "achievements") || str_eq(kind, "needs") || str_eq(kind, "orgs"))
        return transfer_export(c, kind, jsonl, out, e);
    bool first = true;
    if (str_eq(kind, "participants")) {
        registration_rec *regs;
        int n;
        if (registration_list(c, event_id, NULL, &regs, &n, e)) return e->code;
        for (int i = 0; i < n; i++)
            emit(out, registration_to_json(&regs[i], NULL, 0), jsonl, &first);
    } else if (str_eq(kind, "events")) {
        event_rec *evs;
        int n;
        if (event_list(c, &evs, &n, e)) return e->code;
        for (int i = n - 1; i >= 0; i--) {
            json_t *o = event_to_json(c, &evs[i], e);
            if (!o) return e->code;
            emit(out, o, jsonl, &first);
        }
    } else {
        intention_rec *ins;
        int n;
        if (intention_list(c, "", "", &ins, &n, e)) return e->code;
        for (int i = n - 1; i >= 0; i--)
            emit(out, intention_to_json(c->a, &ins[i]), jsonl, &first);
    }
    if (!jsonl) buf_puts(out, first ? "[]\n" : "\n]\n");
    return ERR_OK;
}

err_code export_kind(dctx *c, const char *kind, int64_t event_id, const char *format, buf *out,
                     err *e)
{
    if (!export_kind_valid(kind))
        return err_set(e, ERR_INVALID, "kind", "err.choice",
                       "kind must be achievements, needs, orgs, participants, events or "
                       "intentions");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers export");
    bool json = str_eq(format, "json"), jsonl = str_eq(format, "jsonl");
    if (!json && !jsonl && !str_eq(format, "csv") && !str_eq(format, "xlsx"))
        return err_set(e, ERR_INVALID, "format", "err.choice",
                       "format must be xlsx, csv, json or jsonl");
    if (str_eq(kind, "participants")) {
        event_rec ev;
        if (!event_id)
            return err_set(e, ERR_INVALID, "event", "import.err.event",
                           "participants belong to an event: give --event ID");
        if (event_get(c, event_id, &ev, e)) return e->code;
    }
    if (json || jsonl) return export_json(c, kind, event_id, jsonl, out, e);
    table t;
    err_code rc = str_eq(kind, "orgs")           ? orgs_table(c, &t, e)
                  : str_eq(kind, "participants") ? participants_table(c, event_id, &t, e)
                  : str_eq(kind, "events")       ? events_table(c, &t, e)
                  : str_eq(kind, "intentions")   ? intentions_table(c, &t, e)
                                                 : listings_table(c, kind, &t, e);
    if (rc) return rc;
    if (str_eq(format, "csv")) {
        io_csv_write(out, t.ncols, t.header, t.nrows, (const char *const *const *)t.rows);
        return ERR_OK;
    }
    static const struct {
        const char *kind, *sheet;
    } names[] = {{"achievements", "科技成果"}, {"needs", "技术需求"}, {"orgs", "单位"},
                 {"participants", "参会人员"}, {"events", "对接会"},  {"intentions", "合作意向"}};
    const char *sheet = kind;
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (str_eq(names[i].kind, kind)) sheet = names[i].sheet;
    io_sheet sh = {.name = sheet,
                   .ncols = t.ncols,
                   .header = t.header,
                   .nrows = t.nrows,
                   .rows = (const char *const *const *)t.rows};
    return io_xlsx_write(out, &sh, 1, e);
}
