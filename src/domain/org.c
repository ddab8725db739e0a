/* org.c — organizations and user accounts. */
#include <string.h>

#include "domain/domain.h"

static const char *org_types[] = {"university", "institute", "enterprise", "government", "service"};

bool org_type_valid(const char *t)
{
    for (size_t i = 0; i < ARRAY_LEN(org_types); i++)
        if (str_eq(t, org_types[i])) return true;
    return false;
}

/* ---- organization input: one check per rule, in org_create's order ----
 * org_create stops at the first problem; org_check_all runs every check so that an import can
 * show all the problems of a row. */
static err_code ochk_name(const org_input *in, err *e)
{
    return input_check_text("name", in->name, true, 100, e);
}

static err_code ochk_name_en(const org_input *in, err *e)
{
    return input_check_text("name_en", in->name_en, false, 200, e);
}

static err_code ochk_region(const org_input *in, err *e)
{
    return input_check_text("region", in->region, false, 100, e);
}

static err_code ochk_type(const org_input *in, err *e)
{
    if (!org_type_valid(in->type))
        return err_set(e, ERR_INVALID, "type", "err.choice",
                       "type must be university, institute, enterprise, government or service");
    return ERR_OK;
}

static err_code (*const org_checks[])(const org_input *, err *) = {
    ochk_name,
    ochk_name_en,
    ochk_region,
    ochk_type,
};

static err_code org_need_staff(const dctx *c, err *e)
{
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden",
                       "only organizers add organizations");
    return ERR_OK;
}

int org_check_all(dctx *c, const org_input *in, void (*report)(void *ctx, const err *e), void *ctx)
{
    err e = {0};
    if (org_need_staff(c, &e)) {
        report(ctx, &e);
        return 1;
    }
    int n = 0;
    for (size_t i = 0; i < ARRAY_LEN(org_checks); i++) {
        e = (err){0};
        if (org_checks[i](in, &e)) {
            report(ctx, &e);
            n++;
        }
    }
    return n;
}

err_code org_create(dctx *c, const org_input *in, int64_t *id, err *e)
{
    if (org_need_staff(c, e)) return e->code;
    for (size_t i = 0; i < ARRAY_LEN(org_checks); i++)
        if (org_checks[i](in, e)) return e->code;
    org_rec o = {.name = in->name,
                 .name_en = in->name_en,
                 .type = in->type,
                 .region = in->region,
                 .verified =
                     in->verified && (str_eq(in->verified, "1") || str_eq(in->verified, "true") ||
                                      str_eq(in->verified, "on"))};
    return store_org_insert(c->db, &o, id, e);
}

json_t *org_to_json(const org_rec *o)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:s}", "id", (json_int_t)o->id, "name", o->name,
                     "name_en", o->name_en, "type", o->type, "region", o->region, "verified",
                     o->verified, "created_at", o->created_at);
}

err_code user_create(dctx *c, const user_input *in, int64_t *id, err *e)
{
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers add users");
    if (input_check_text("email", in->email, true, 200, e) ||
        input_check_text("name", in->name, true, 100, e))
        return e->code;
    if (!input_email_plausible(in->email))
        return err_set(e, ERR_INVALID, "email", "err.email", "email is not a valid address");
    unsigned role = role_parse(in->role);
    if (!role)
        return err_set(e, ERR_INVALID, "role", "err.choice",
                       "role must be admin, organizer, inst_member, ent_member or expert");
    if (role == ROLE_ADMIN && !c->system && dctx_role(c) != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "role", "err.forbidden", "only admins add admins");
    if (auth_check_password(in->password, "password", e)) return e->code;
    user_rec u = {.email = in->email, .name = in->name, .role = in->role};
    if (in->org && *in->org) {
        org_rec o;
        int64_t oid;
        err_code rc = str_to_i64(in->org, 1, INT64_MAX, &oid)
                          ? store_org_get(c->db, c->a, oid, &o, e)
                          : store_org_find_name(c->db, c->a, in->org, &o, e);
        if (rc == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "org", "err.unknown_org", "no organization '%s'",
                           in->org);
        if (rc) return rc;
        u.org_id = o.id;
        bool inst = str_eq(o.type, "university") || str_eq(o.type, "institute");
        if ((role == ROLE_INST && !inst) || (role == ROLE_ENT && !str_eq(o.type, "enterprise")))
            return err_set(e, ERR_INVALID, "org", "err.org_role",
                           "an institution member belongs to a university or institute, an "
                           "enterprise member to an enterprise");
    } else if (role & (ROLE_INST | ROLE_ENT)) {
        return err_set(e, ERR_INVALID, "org", "err.required",
                       "institution and enterprise members need an organization");
    }
    char hash[128];
    if (auth_hash_password(in->password, hash, e)) return e->code;
    u.pw_hash = hash;
    return store_user_insert(c->db, &u, id, e);
}

static err_code user_find(dctx *c, const char *email, user_rec *u, err *e)
{
    err_code rc = store_user_by_email(c->db, c->a, email ? email : "", u, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "email", "err.not_found", "no user with email '%s'",
                       email ? email : "");
    return rc;
}

err_code user_set_password(dctx *c, const char *email, const char *password, err *e)
{
    user_rec u;
    if (user_find(c, email, &u, e)) return e->code;
    if (!dctx_is_staff(c) && !(c->user && c->user->id == u.id))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "not your account");
    if (auth_check_password(password, "password", e)) return e->code;
    char hash[128];
    if (auth_hash_password(password, hash, e)) return e->code;
    if (store_user_set_password(c->db, u.id, hash, e)) return e->code;
    return store_sessions_delete_user(c->db, u.id, e); /* sign out everywhere */
}

err_code user_set_disabled(dctx *c, const char *email, bool disabled, err *e)
{
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers disable users");
    user_rec u;
    if (user_find(c, email, &u, e)) return e->code;
    if (store_user_set_disabled(c->db, u.id, disabled, e)) return e->code;
    return disabled ? store_sessions_delete_user(c->db, u.id, e) : ERR_OK;
}

json_t *user_to_json(const user_rec *u)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:b,s:s}", "id", (json_int_t)u->id, "email",
                     u->email, "name", u->name, "role", u->role, "org_id", (json_int_t)u->org_id,
                     "org_name", u->org_name, "disabled", u->disabled, "created_at", u->created_at);
}
