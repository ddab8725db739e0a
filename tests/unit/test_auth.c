/* test_auth.c — password hashing (argon2id via libsodium), verification and the policy. */
#include <string.h>

#include "test.h"

TEST(auth_hash_verify_round_trip)
{
    char hash[128];
    err e = {0};
    if (!CHECK_EQ_INT(auth_hash_password("correct horse 电池 staple", hash, &e), ERR_OK)) return;
    CHECK(str_starts(hash, "$argon2id$"));
    CHECK(strlen(hash) < 128);
    CHECK(auth_verify_password(hash, "correct horse 电池 staple"));
    CHECK(!auth_verify_password(hash, "correct horse 电池 stapl"));
    CHECK(!auth_verify_password(hash, "Correct horse 电池 staple"));
    CHECK(!auth_verify_password(hash, ""));
    /* salted: the same password hashes differently each time, and both verify */
    char again[128];
    if (!CHECK_EQ_INT(auth_hash_password("correct horse 电池 staple", again, &e), ERR_OK)) return;
    CHECK(strcmp(hash, again) != 0);
    CHECK(auth_verify_password(again, "correct horse 电池 staple"));
}

TEST(auth_verify_rejects_junk_hashes)
{
    CHECK(!auth_verify_password(NULL, "password1"));
    CHECK(!auth_verify_password("", "password1"));
    CHECK(!auth_verify_password("password1", "password1"));
    CHECK(!auth_verify_password("$argon2id$v=19$m=65536,t=2,p=1$garbage", "password1"));
    char huge[300];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = 0;
    CHECK(!auth_verify_password(huge, "password1"));
}

TEST(auth_password_policy)
{
    err e = {0};
    CHECK_EQ_INT(auth_check_password("12345678", "password", &e), ERR_OK);
    CHECK_EQ_INT(auth_check_password("科技成果对接平台", "password", &e), ERR_OK); /* 8 chars */
    CHECK_EQ_INT(auth_check_password("1234567", "password", &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "err.password_short");
    CHECK_EQ_STR(e.field, "password");
    CHECK_EQ_INT(auth_check_password("科技成果对接平", "new_password", &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "new_password"); /* the field name is the caller's */
    CHECK_EQ_INT(auth_check_password("", "password", &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "err.required");
    CHECK_EQ_INT(auth_check_password(NULL, "password", &e), ERR_INVALID);
    CHECK_EQ_INT(auth_check_password("abcdefg\xff", "password", &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "err.utf8");
    CHECK_EQ_INT(auth_check_password("abcdefgh\x01", "password", &e), ERR_INVALID);
    char pw[200];
    memset(pw, 'x', 128);
    pw[128] = 0;
    CHECK_EQ_INT(auth_check_password(pw, "password", &e), ERR_OK);
    pw[128] = 'x';
    pw[129] = 0;
    CHECK_EQ_INT(auth_check_password(pw, "password", &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "err.too_long");
}

TEST(auth_secrets)
{
    arena *a = arena_new();
    const char *s1 = auth_random_secret(a), *s2 = auth_random_secret(a);
    CHECK_EQ_INT(strlen(s1), 43);
    CHECK(strcmp(s1, s2) != 0);
    CHECK(strspn(s1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43);
    const char *h1 = auth_secret_hash(a, s1);
    CHECK_EQ_INT(strlen(h1), 64);
    CHECK_EQ_STR(auth_secret_hash(a, s1), h1);
    CHECK(strcmp(auth_secret_hash(a, s2), h1) != 0);
    arena_free(a);
}

TEST(auth_roles)
{
    CHECK_EQ_INT(role_parse("admin"), ROLE_ADMIN);
    CHECK_EQ_INT(role_parse("inst_member"), ROLE_INST);
    CHECK_EQ_INT(role_parse("ent_member"), ROLE_ENT);
    CHECK_EQ_INT(role_parse("Admin"), 0);
    CHECK_EQ_INT(role_parse(NULL), 0);
    user_rec org = {.role = "organizer"}, ent = {.role = "ent_member"};
    dctx staff = {.user = &org}, member = {.user = &ent}, anon = {0}, sys = {.system = true};
    CHECK(dctx_is_staff(&staff));
    CHECK(!dctx_is_staff(&member));
    CHECK(!dctx_is_staff(&anon));
    CHECK(dctx_is_staff(&sys));
}
