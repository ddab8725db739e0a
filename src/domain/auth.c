/* auth.c — passwords (argon2id), sessions, API tokens and the login rate limit. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "domain/domain.h"

enum {
    SESSION_SECONDS = 7 * 24 * 3600,
    RATE_WINDOW = 15 * 60, /* seconds */
    RATE_MAX_FAILS = 10,   /* per key within the window */
    RATE_SLOTS = 1024,
};

unsigned role_parse(const char *name)
{
    static const struct {
        const char *name;
        unsigned bit;
    } roles[] = {{"admin", ROLE_ADMIN},
                 {"organizer", ROLE_ORGANIZER},
                 {"inst_member", ROLE_INST},
                 {"ent_member", ROLE_ENT},
                 {"expert", ROLE_EXPERT}};
    for (size_t i = 0; i < ARRAY_LEN(roles); i++)
        if (str_eq(name, roles[i].name)) return roles[i].bit;
    return 0;
}

unsigned dctx_role(const dctx *c)
{
    if (c->system) return ROLE_ADMIN;
    return c->user ? role_parse(c->user->role) : 0;
}

bool dctx_is_staff(const dctx *c)
{
    return (dctx_role(c) & ROLE_STAFF) != 0;
}

err_code auth_check_password(const char *pw, const char *field, err *e)
{
    if (!pw || !*pw) return err_set(e, ERR_INVALID, field, "err.required", "password is required");
    size_t n = strlen(pw);
    if (!utf8_valid_text(pw, n))
        return err_set(e, ERR_INVALID, field, "err.utf8", "password is not valid UTF-8");
    size_t chars = utf8_count(pw);
    if (chars < 8)
        return err_set(e, ERR_INVALID, field, "err.password_short",
                       "password must have at least 8 characters");
    if (chars > 128)
        return err_set(e, ERR_INVALID, field, "err.too_long",
                       "password must have at most 128 characters");
    return ERR_OK;
}

err_code auth_hash_password(const char *pw, char out[128], err *e)
{
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, NULL, NULL, "libsodium init failed");
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
        return err_set(e, ERR_INTERNAL, NULL, NULL, "password hashing ran out of memory");
    return ERR_OK;
}

bool auth_verify_password(const char *hash, const char *pw)
{
    char h[crypto_pwhash_STRBYTES] = {0}; /* the API reads a fixed-size buffer */
    if (!hash || !*hash || strlen(hash) >= sizeof h) return false;
    memcpy(h, hash, strlen(hash));
    return crypto_pwhash_str_verify(h, pw, strlen(pw)) == 0;
}

const char *auth_random_secret(arena *a)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char *out = arena_alloc(
        a, sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
    sodium_bin2base64(
        out, sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING), raw,
        sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

const char *auth_secret_hash(arena *a, const char *secret)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    char *hex = arena_alloc(a, 65);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return hex;
}

/* ---- rate limit: a fixed table of (key hash, window start, failures); collisions only make
 * the limit stricter for the colliding keys. State is per process (documented). ---- */
typedef struct {
    uint64_t key;
    time_t start;
    int fails;
} rate_slot;
static rate_slot rate_table[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t rate_key(const char *kind, const char *v)
{
    unsigned char h[8];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind));
    crypto_generichash_update(&st, (const unsigned char *)v, strlen(v));
    crypto_generichash_final(&st, h, sizeof h);
    uint64_t k;
    memcpy(&k, h, sizeof k);
    return k | 1;
}

static rate_slot *rate_slot_for(uint64_t key, time_t now)
{
    rate_slot *s = &rate_table[key % RATE_SLOTS];
    /* Only an expired window resets a slot. Evicting on a key mismatch would let a client reset
     * its own (or a victim's) counter by interleaving attempts with a colliding key. */
    if (now - s->start > RATE_WINDOW)
        *s = (rate_slot){key, now, 0};
    else
        s->key = key;
    return s;
}

static bool rate_blocked(uint64_t key)
{
    pthread_mutex_lock(&rate_lock);
    bool blocked = rate_slot_for(key, time(NULL))->fails >= RATE_MAX_FAILS;
    pthread_mutex_unlock(&rate_lock);
    return blocked;
}

static void rate_fail(uint64_t key)
{
    pthread_mutex_lock(&rate_lock);
    rate_slot_for(key, time(NULL))->fails++;
    pthread_mutex_unlock(&rate_lock);
}

void auth_rate_reset(void)
{
    pthread_mutex_lock(&rate_lock);
    memset(rate_table, 0, sizeof rate_table);
    pthread_mutex_unlock(&rate_lock);
}

err_code auth_login(dctx *c, const char *client, const char *email, const char *password,
                    const char **token, user_rec *user, err *e)
{
    if (!email || !*email)
        return err_set(e, ERR_INVALID, "email", "err.required", "email is required");
    if (!password || !*password)
        return err_set(e, ERR_INVALID, "password", "err.required", "password is required");
    uint64_t kip = rate_key("ip", client ? client : ""), kmail = rate_key("email", email);
    if (rate_blocked(kip) || rate_blocked(kmail))
        return err_set(e, ERR_RATE, NULL, "err.rate_limited",
                       "too many failed sign-ins; try again in 15 minutes");
    err_code rc = store_user_by_email(c->db, c->a, email, user, e);
    bool ok = rc == ERR_OK && !user->disabled && auth_verify_password(user->pw_hash, password);
    if (rc && rc != ERR_NOT_FOUND) return rc;
    if (!ok) {
        if (rc == ERR_NOT_FOUND) { /* spend the same time as a real check */
            static const char dummy[128] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzYWx0"
                                           "$RdescudvJCsgt3ub+b+dWRWJTmaaJObGxxxxxxxxxxx";
            auth_verify_password(dummy, password);
        }
        rate_fail(kip);
        rate_fail(kmail);
        return err_set(e, ERR_UNAUTH, "password", "err.bad_login", "wrong email or password");
    }
    const char *secret = auth_random_secret(c->a);
    const char *csrf = auth_random_secret(c->a);
    char exp[21];
    time_iso_after(exp, SESSION_SECONDS);
    if (store_session_insert(c->db, auth_secret_hash(c->a, secret), user->id, csrf, exp, e))
        return e->code;
    *token = secret;
    return ERR_OK;
}

err_code auth_logout(dctx *c, const char *token, err *e)
{
    return store_session_delete(c->db, auth_secret_hash(c->a, token), e);
}

err_code auth_session(dctx *c, const char *token, user_rec *user, const char **csrf, err *e)
{
    if (!token || strlen(token) > 100) return err_set(e, ERR_UNAUTH, NULL, NULL, "no session");
    return store_session_get(c->db, c->a, auth_secret_hash(c->a, token), user, csrf, e);
}

err_code auth_bearer(dctx *c, const char *token, user_rec *user, err *e)
{
    if (!token || !str_starts(token, "dj_") || strlen(token) > 100)
        return err_set(e, ERR_UNAUTH, NULL, "err.bad_token", "invalid API token");
    err_code rc = store_token_user(c->db, c->a, auth_secret_hash(c->a, token), user, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_UNAUTH, NULL, "err.bad_token", "invalid or revoked API token");
    return rc;
}

err_code auth_token_create(dctx *c, const char *name, const char **secret, int64_t *id, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!name || !*name) return err_set(e, ERR_INVALID, "name", "err.required", "name is required");
    if (!utf8_valid_text(name, strlen(name)))
        return err_set(e, ERR_INVALID, "name", "err.utf8", "name is not valid UTF-8");
    if (utf8_count(name) > 60)
        return err_set(e, ERR_INVALID, "name", "err.too_long", "name is longer than 60 characters");
    const char *s = arena_printf(c->a, "dj_%s", auth_random_secret(c->a));
    const char *prefix = arena_strndup(c->a, s, 9);
    if (store_token_insert(c->db, c->user->id, name, auth_secret_hash(c->a, s), prefix, id, e))
        return e->code;
    *secret = s;
    return ERR_OK;
}

err_code auth_token_revoke(dctx *c, int64_t id, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    return store_token_revoke(c->db, c->user->id, id, e);
}
