/* test_utf8.c — strict UTF-8 (RFC 3629) and the string helpers of base/utf8.c. */
#include <string.h>

#include "test.h"

#define VALID(lit) utf8_valid(lit, sizeof(lit) - 1)
#define TEXT(lit) utf8_valid_text(lit, sizeof(lit) - 1)

TEST(utf8_accepts_wellformed)
{
    CHECK(VALID(""));
    CHECK(VALID("plain ascii"));
    CHECK(VALID("科技成果对接"));              /* 3-byte */
    CHECK(VALID("\xc2\x80"));                  /* U+0080, smallest 2-byte */
    CHECK(VALID("\xdf\xbf"));                  /* U+07FF */
    CHECK(VALID("\xe0\xa0\x80"));              /* U+0800, smallest 3-byte */
    CHECK(VALID("\xed\x9f\xbf"));              /* U+D7FF, just below the surrogates */
    CHECK(VALID("\xee\x80\x80"));              /* U+E000, just above */
    CHECK(VALID("\xef\xbf\xbf"));              /* U+FFFF */
    CHECK(VALID("\xf0\x90\x80\x80"));          /* U+10000, smallest 4-byte */
    CHECK(VALID("\xf4\x8f\xbf\xbf"));          /* U+10FFFF, the last code point */
    CHECK(VALID("emoji \xf0\x9f\x98\x80 ok")); /* U+1F600 */
}

TEST(utf8_rejects_overlongs)
{
    CHECK(!VALID("\xc0\x80"));         /* NUL in 2 bytes */
    CHECK(!VALID("\xc1\xbf"));         /* U+007F in 2 bytes */
    CHECK(!VALID("\xc0\xaf"));         /* the classic overlong '/' */
    CHECK(!VALID("\xe0\x80\xaf"));     /* '/' in 3 bytes */
    CHECK(!VALID("\xe0\x9f\xbf"));     /* U+07FF in 3 bytes */
    CHECK(!VALID("\xf0\x80\x80\xaf")); /* '/' in 4 bytes */
    CHECK(!VALID("\xf0\x8f\xbf\xbf")); /* U+FFFF in 4 bytes */
}

TEST(utf8_rejects_surrogates)
{
    CHECK(!VALID("\xed\xa0\x80"));             /* U+D800 */
    CHECK(!VALID("\xed\xaf\xbf"));             /* U+DBFF */
    CHECK(!VALID("\xed\xb0\x80"));             /* U+DC00 */
    CHECK(!VALID("\xed\xbf\xbf"));             /* U+DFFF */
    CHECK(!VALID("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair for U+1F600 */
}

TEST(utf8_rejects_beyond_10ffff)
{
    CHECK(!VALID("\xf4\x90\x80\x80"));         /* U+110000 */
    CHECK(!VALID("\xf5\x80\x80\x80"));         /* lead byte F5 */
    CHECK(!VALID("\xf7\xbf\xbf\xbf"));         /* U+1FFFFF */
    CHECK(!VALID("\xf8\x88\x80\x80\x80"));     /* old 5-byte form */
    CHECK(!VALID("\xfc\x84\x80\x80\x80\x80")); /* old 6-byte form */
    CHECK(!VALID("\xfe"));
    CHECK(!VALID("\xff"));
}

TEST(utf8_rejects_truncated_and_stray)
{
    CHECK(!VALID("\xc3"));         /* lead without continuation */
    CHECK(!VALID("\xe4\xb8"));     /* 中 missing its last byte */
    CHECK(!VALID("\xf0\x9f\x98")); /* 4-byte missing one */
    CHECK(!VALID("ab\xe4\xb8"));   /* truncated at the end of text */
    CHECK(!VALID("\x80"));         /* lone continuation */
    CHECK(!VALID("a\xbf"
                 "b"));            /* continuation between ASCII */
    CHECK(!VALID("\xe4\x41\xad")); /* ASCII where a continuation belongs */
    CHECK(!VALID("\xc3\xc3\xa9")); /* lead where a continuation belongs */
    /* the length argument bounds the scan: a sequence cut by n is truncated */
    CHECK(!utf8_valid("\xe4\xb8\xad", 2));
    CHECK(utf8_valid("\xe4\xb8\xad", 3));
    CHECK(utf8_valid("ab\xff", 2));
}

TEST(utf8_text_rejects_controls)
{
    CHECK(TEXT("tab\tnewline\nreturn\r ok"));
    CHECK(TEXT("中文 text"));
    CHECK(!TEXT("nul\0inside"));
    CHECK(!TEXT("bell\x07"));
    CHECK(!TEXT("\x1b[31mred"));
    CHECK(!TEXT("\x01"));
    CHECK(!TEXT("\x1f"));
    CHECK(!TEXT("del\x7f"));
    CHECK(!TEXT("\xc2\x85")); /* NEL, a C1 control */
    CHECK(!TEXT("\xc2\x9f")); /* last C1 control */
    CHECK(TEXT("\xc2\xa0"));  /* NBSP is text */
    /* controls are fine for plain utf8_valid */
    CHECK(VALID("bell\x07"));
    CHECK(VALID("nul\0inside"));
    /* and the strict rules still apply to text */
    CHECK(!TEXT("\xc0\x80"));
    CHECK(!TEXT("\xed\xa0\x80"));
}

TEST(utf8_count_code_points)
{
    CHECK_EQ_INT(utf8_count(""), 0);
    CHECK_EQ_INT(utf8_count("abc"), 3);
    CHECK_EQ_INT(utf8_count("原料药"), 3);
    CHECK_EQ_INT(utf8_count("a中\xf0\x9f\x98\x80"), 3);
}

TEST(str_trim_ascii_and_ideographic_space)
{
    char a[] = "  \t hello \r\n";
    CHECK_EQ_STR(str_trim(a), "hello");
    char b[] = "\xe3\x80\x80 医疗器械\xe3\x80\x80\xe3\x80\x80";
    CHECK_EQ_STR(str_trim(b), "医疗器械");
    char c[] = "   ";
    CHECK_EQ_STR(str_trim(c), "");
    char d[] = "a b";
    CHECK_EQ_STR(str_trim(d), "a b");
    CHECK(str_trim(NULL) == NULL);
}

TEST(str_to_i64_strict)
{
    int64_t v = 0;
    CHECK(str_to_i64("42", 0, 100, &v) && v == 42);
    CHECK(str_to_i64("-5", -10, 10, &v) && v == -5);
    CHECK(!str_to_i64("", 0, 100, &v));
    CHECK(!str_to_i64(NULL, 0, 100, &v));
    CHECK(!str_to_i64("abc", 0, 100, &v));
    CHECK(!str_to_i64("12abc", 0, 100, &v));
    CHECK(!str_to_i64(" 12", 0, 100, &v));
    CHECK(!str_to_i64("12 ", 0, 100, &v));
    CHECK(!str_to_i64("+12", 0, 100, &v));
    CHECK(!str_to_i64("101", 0, 100, &v));
    CHECK(!str_to_i64("99999999999999999999", INT64_MIN, INT64_MAX, &v));
    CHECK_EQ_INT(v, -5); /* failures leave the output alone */
}

TEST(str_eq_and_starts)
{
    CHECK(str_eq("a", "a"));
    CHECK(!str_eq("a", "b"));
    CHECK(!str_eq(NULL, "a"));
    CHECK(!str_eq(NULL, NULL));
    CHECK(str_starts("biomed.api", "biomed"));
    CHECK(!str_starts("bio", "biomed"));
    CHECK(!str_starts(NULL, "x"));
}
