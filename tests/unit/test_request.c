/* test_request.c — form/query decoding and cookie parsing (web/request.c). */
#include <string.h>

#include "test.h"
#include "web/http.h"

static bool parse(arena *a, const char *s, kv **out, int *n)
{
    *out = NULL;
    *n = -1;
    return req_parse_urlencoded(a, s, strlen(s), out, n);
}

TEST(req_urlencoded_plus_and_percent)
{
    arena *a = arena_new();
    kv *kv_list;
    int n;
    if (!CHECK(parse(a, "a=1&b=hello+world&c=%E4%B8%AD%e6%96%87&d=%2B%26%3D", &kv_list, &n)))
        goto done;
    if (!CHECK_EQ_INT(n, 4)) goto done;
    CHECK_EQ_STR(kv_list[0].key, "a");
    CHECK_EQ_STR(kv_list[0].val, "1");
    CHECK_EQ_STR(kv_list[1].val, "hello world");
    CHECK_EQ_STR(kv_list[2].val, "中文");
    CHECK_EQ_STR(kv_list[3].val, "+&=");
    /* keys are decoded too; a key without '=' has an empty value */
    if (CHECK(parse(a, "my+key%21=v&flag&=novalue", &kv_list, &n)) && CHECK_EQ_INT(n, 3)) {
        CHECK_EQ_STR(kv_list[0].key, "my key!");
        CHECK_EQ_STR(kv_list[1].key, "flag");
        CHECK_EQ_STR(kv_list[1].val, "");
        CHECK_EQ_STR(kv_list[2].key, "");
        CHECK_EQ_STR(kv_list[2].val, "novalue");
    }
    /* empty pairs are skipped; '=' inside a value stays */
    if (CHECK(parse(a, "&&x=a=b&&", &kv_list, &n)) && CHECK_EQ_INT(n, 1)) {
        CHECK_EQ_STR(kv_list[0].val, "a=b");
    }
    CHECK(parse(a, "", &kv_list, &n) && n == 0);
done:
    arena_free(a);
}

TEST(req_urlencoded_rejects_bad_escapes)
{
    arena *a = arena_new();
    kv *kv_list;
    int n;
    CHECK(!parse(a, "a=%", &kv_list, &n));
    CHECK(!parse(a, "a=%4", &kv_list, &n));
    CHECK(!parse(a, "a=%zz", &kv_list, &n));
    CHECK(!parse(a, "a=%g1", &kv_list, &n));
    CHECK(!parse(a, "a=%%41", &kv_list, &n));
    CHECK(!parse(a, "%x=1", &kv_list, &n));
    CHECK(!parse(a, "ok=1&bad=%4&x=2", &kv_list, &n));
    /* the length bounds the scan: "%4" cut after the '%' is bad, the whole escape is fine */
    CHECK(!req_parse_urlencoded(a, "a=%41", 3, &kv_list, &n));
    if (CHECK(req_parse_urlencoded(a, "a=%41&b=2", 5, &kv_list, &n)) && CHECK_EQ_INT(n, 1))
        CHECK_EQ_STR(kv_list[0].val, "A");
    arena_free(a);
}

TEST(req_urlencoded_rejects_invalid_utf8)
{
    arena *a = arena_new();
    kv *kv_list;
    int n;
    CHECK(!parse(a, "a=%FF", &kv_list, &n));
    CHECK(!parse(a, "a=%C0%80", &kv_list, &n));    /* overlong NUL */
    CHECK(!parse(a, "a=%ED%A0%80", &kv_list, &n)); /* surrogate */
    CHECK(!parse(a, "a=%E4%B8", &kv_list, &n));    /* truncated */
    CHECK(!parse(a, "%FF=1", &kv_list, &n));
    CHECK(!parse(a, "a=\xff", &kv_list, &n)); /* raw bytes are checked as well */
    /* a NUL would cut the value short as a C string: refused, raw or escaped */
    CHECK(!parse(a, "password=abc%00def", &kv_list, &n));
    CHECK(!parse(a, "a%00b=1", &kv_list, &n));
    CHECK(!req_parse_urlencoded(a, "a=b\0c", 5, &kv_list, &n));
    CHECK(parse(a, "a=%01", &kv_list, &n)); /* other controls are the domain's business */
    CHECK(parse(a, "a=%E4%B8%AD", &kv_list, &n));
    arena_free(a);
}

TEST(req_urlencoded_many_pairs)
{
    arena *a = arena_new();
    buf b = {0};
    for (int i = 0; i < 300; i++)
        buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
    kv *kv_list;
    int n;
    if (CHECK(parse(a, b.s, &kv_list, &n)) && CHECK_EQ_INT(n, 300)) {
        CHECK_EQ_STR(kv_list[0].key, "k0");
        CHECK_EQ_STR(kv_list[299].key, "k299");
        CHECK_EQ_STR(kv_list[299].val, "299");
    }
    /* more than 1000 pairs is refused */
    buf_reset(&b);
    for (int i = 0; i < 1001; i++)
        buf_printf(&b, "%sk=%d", i ? "&" : "", i);
    CHECK(!parse(a, b.s, &kv_list, &n));
    buf_free(&b);
    arena_free(a);
}

TEST(req_cookies)
{
    arena *a = arena_new();
    kv *c;
    int n = -1;
    if (CHECK(req_parse_cookies(a, "sid=abc; csrf=x=y;lang=en;  junk; empty=", &c, &n)) &&
        CHECK_EQ_INT(n, 4)) {
        CHECK_EQ_STR(c[0].key, "sid");
        CHECK_EQ_STR(c[0].val, "abc");
        CHECK_EQ_STR(c[1].key, "csrf");
        CHECK_EQ_STR(c[1].val, "x=y");
        CHECK_EQ_STR(c[2].key, "lang");
        CHECK_EQ_STR(c[2].val, "en");
        CHECK_EQ_STR(c[3].key, "empty");
        CHECK_EQ_STR(c[3].val, "");
    }
    CHECK(req_parse_cookies(a, "", &c, &n) && n == 0);
    CHECK(req_parse_cookies(a, ";;; ;", &c, &n) && n == 0);
    CHECK(req_parse_cookies(a, "novalue", &c, &n) && n == 0);
    /* more cookies than the table holds: the rest are dropped, nothing overflows */
    buf b = {0};
    for (int i = 0; i < 40; i++)
        buf_printf(&b, "c%d=%d; ", i, i);
    CHECK(req_parse_cookies(a, b.s, &c, &n) && n == 16 && str_eq(c[15].key, "c15"));
    buf_free(&b);
    arena_free(a);
}
