/* test_buf.c — buffers, the HTML and URL escapes, the arena and error values. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

TEST(buf_html_escapes_all_five)
{
    buf b = {0};
    const char *s = "<a href=\"x\" title='y'>Tom & Jerry</a>";
    buf_put_html(&b, s, strlen(s));
    CHECK_EQ_STR(b.s, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    CHECK_EQ_INT(b.len, strlen(b.s));
    buf_free(&b);
}

TEST(buf_html_leaves_text_alone_and_respects_n)
{
    buf b = {0};
    buf_put_html(&b, "科技成果 ok", strlen("科技成果 ok"));
    CHECK_EQ_STR(b.s, "科技成果 ok");
    buf_reset(&b);
    buf_put_html(&b, "a<b>c", 2); /* only "a<" */
    CHECK_EQ_STR(b.s, "a&lt;");
    buf_reset(&b);
    buf_put_html(&b, "&&", 2);
    CHECK_EQ_STR(b.s, "&amp;&amp;");
    buf_reset(&b);
    buf_put_html(&b, "", 0);
    CHECK_EQ_STR(b.s, "");
    buf_free(&b);
}

TEST(buf_urlenc)
{
    buf b = {0};
    buf_put_urlenc(&b, "a b&c=d/e?f#g+h%~_.-");
    CHECK_EQ_STR(b.s, "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25~_.-");
    buf_reset(&b);
    buf_put_urlenc(&b, "中");
    CHECK_EQ_STR(b.s, "%E4%B8%AD");
    buf_reset(&b);
    buf_put_urlenc(&b, "AZaz09");
    CHECK_EQ_STR(b.s, "AZaz09");
    buf_free(&b);
}

TEST(buf_grows_and_hands_over)
{
    buf b = {0};
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d,", i);
    CHECK_EQ_INT(b.len, 5000);
    CHECK(b.cap > b.len);
    CHECK(strncmp(b.s, "0000,0001,", 10) == 0);
    CHECK_EQ_STR(b.s + 4995, "0999,");
    buf_putc(&b, 'x');
    buf_putn(&b, "yz", 1);
    CHECK_EQ_STR(b.s + 5000, "xy");
    char *s = buf_take(&b);
    CHECK(b.s == NULL && b.len == 0 && b.cap == 0);
    CHECK_EQ_INT(strlen(s), 5002);
    free(s);
    s = buf_take(&b); /* an empty buffer hands over "" */
    CHECK_EQ_STR(s, "");
    free(s);
}

TEST(arena_alignment_zeroing_and_large_blocks)
{
    arena *a = arena_new();
    for (int i = 1; i < 200; i++) {
        unsigned char *p = arena_alloc(a, (size_t)i * 7);
        CHECK(((uintptr_t)p & 15) == 0);
        bool zero = true;
        for (int k = 0; k < i * 7; k++)
            zero = zero && p[k] == 0;
        CHECK(zero);
        memset(p, 0xab, (size_t)i * 7);
    }
    /* larger than a block, then small ones again: both stay usable */
    char *big = arena_alloc(a, 100000);
    memset(big, 'x', 100000);
    char *small = arena_strdup(a, "after");
    CHECK(big[99999] == 'x');
    CHECK_EQ_STR(small, "after");
    arena_free(a);
    arena_free(NULL);
}

TEST(arena_strings)
{
    arena *a = arena_new();
    CHECK_EQ_STR(arena_strdup(a, "原料药"), "原料药");
    CHECK(arena_strdup(a, NULL) == NULL);
    CHECK_EQ_STR(arena_strndup(a, "abcdef", 3), "abc");
    CHECK_EQ_STR(arena_printf(a, "%s-%d", "row", 7), "row-7");
    char *long_s = arena_printf(a, "%5000d", 1);
    CHECK_EQ_INT(strlen(long_s), 5000);
    arena_free(a);
}

TEST(err_set_fills_and_returns)
{
    err e = {0};
    CHECK_EQ_INT(err_set(&e, ERR_INVALID, "title", "err.required", "%s is required", "title"),
                 ERR_INVALID);
    CHECK_EQ_INT(e.code, ERR_INVALID);
    CHECK_EQ_STR(e.field, "title");
    CHECK_EQ_STR(e.key, "err.required");
    CHECK_EQ_STR(e.msg, "title is required");
    CHECK_EQ_INT(err_set(NULL, ERR_CONFLICT, NULL, NULL, "x"), ERR_CONFLICT);
    err_set(&e, ERR_NOT_FOUND, NULL, NULL, "gone");
    CHECK_EQ_STR(e.field, "");
    CHECK_EQ_STR(err_code_name(ERR_NOT_FOUND), "not_found");
    CHECK_EQ_STR(err_code_name((err_code)99), "internal");
}
