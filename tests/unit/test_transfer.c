/* test_transfer.c — import and export of orgs, achievements and needs (domain/transfer.c). */
#include <string.h>

#include "test.h"

static const char orgs_jsonl[] =
    "{\"name\":\"五邑大学\",\"type\":\"university\",\"region\":\"广东省江门市\",\"verified\":true}"
    "\n"
    "{\"name\":\"开平甲药业有限公司\",\"name_en\":\"Jia Pharma\",\"type\":\"enterprise\"}\n";

/* An achievement row of JSON Lines for 五邑大学 with the given title and trl. */
static const char *achievement_row(arena *a, const char *title, int trl)
{
    return arena_printf(a,
                        "{\"title\":\"%s\",\"summary\":\"摘要\",\"description\":\"描述文字\","
                        "\"field\":\"biomed.device\",\"trl\":%d,\"transfer_modes\":[\"license\"],"
                        "\"keywords\":[\"器械\",\"影像\"],\"org\":\"五邑大学\"}\n",
                        title, trl);
}

static err_code import(test_db *t, const char *kind, const char *text, int *count, err *e)
{
    return transfer_import(&t->sys, kind, text, strlen(text), count, e);
}

TEST(transfer_import_bad_row_writes_nothing)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    err e = {0};
    int count = -1;
    if (!CHECK_EQ_INT(import(&t, "orgs", orgs_jsonl, &count, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(count, 2);

    const char *rows =
        arena_printf(t.a, "%s%s%s", achievement_row(t.a, "便携式超声成像仪", 7),
                     achievement_row(t.a, "第二行坏数据", 0), achievement_row(t.a, "第三行", 5));
    CHECK_EQ_INT(import(&t, "achievements", rows, &count, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "row 2") != NULL);
    CHECK(strstr(e.msg, "trl") != NULL);
    CHECK_EQ_STR(e.field, "trl");
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);

    /* the same in a JSON array */
    const char *arr = arena_printf(t.a, "[%s,%s]", achievement_row(t.a, "好的一行", 5),
                                   "{\"title\":\"坏\",\"description\":\"x\",\"field\":\"biomed\","
                                   "\"trl\":\"9\",\"org\":\"五邑大学\"}");
    CHECK_EQ_INT(import(&t, "achievements", arr, &count, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "row 2") != NULL);
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);

    /* a line that is not JSON names its line */
    const char *broken = arena_printf(t.a, "%s\n{not json\n", achievement_row(t.a, "好的一行", 5));
    CHECK_EQ_INT(import(&t, "achievements", broken, &count, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "line 3") != NULL);
    CHECK_EQ_INT(import(&t, "achievements", "\xff\xfe", &count, &e), ERR_INVALID);
    CHECK_EQ_INT(import(&t, "widgets", "", &count, &e), ERR_INVALID);
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);

    /* only organizers import */
    user_rec u = {.id = 1, .role = "inst_member", .org_id = 1};
    dctx member = test_ctx(&t, &u);
    CHECK_EQ_INT(transfer_import(&member, "achievements", rows, strlen(rows), &count, &e),
                 ERR_FORBIDDEN);

    /* and the good rows alone import */
    rows = arena_printf(t.a, "%s\n  \n%s", achievement_row(t.a, "便携式超声成像仪", 7),
                        achievement_row(t.a, "第三行", 5));
    CHECK_EQ_INT(import(&t, "achievements", rows, &count, &e), ERR_OK);
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 2);
done:
    test_db_close(&t);
}

/* The titles of every listing of kind, oldest first, joined by '|' (arena-owned). */
static const char *titles(test_db *t, const char *kind)
{
    listing_filter f = {.kind = kind, .sort = "old", .limit = 1000};
    listing_rec *rows;
    int n = 0;
    int64_t total;
    err e = {0};
    if (store_listing_list(t->db, t->a, &f, &rows, &n, &total, &e)) return "(error)";
    buf b = {0};
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? "|" : "", rows[i].title);
    const char *out = arena_strdup(t->a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

TEST(transfer_export_import_round_trip)
{
    test_db src, dst;
    bool src_ok = test_db_open(&src), dst_ok = test_db_open(&dst);
    buf orgs = {0}, ach = {0}, needs = {0}, ach_arr = {0};
    if (!src_ok || !dst_ok) goto done;
    err e = {0};
    int count = 0;
    const char *extra_org = "{\"name\":\"江门乙器械\",\"type\":\"enterprise\"}\n";
    if (!CHECK_EQ_INT(import(&src, "orgs", orgs_jsonl, &count, &e), ERR_OK) ||
        !CHECK_EQ_INT(import(&src, "orgs", extra_org, &count, &e), ERR_OK))
        goto done;
    buf rows = {0};
    const char *names[] = {"便携式超声成像仪", "Quote \\\"and\\\" <tags> & 符号", "第三项成果",
                           "第四项成果"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        buf_puts(&rows, achievement_row(src.a, names[i], (int)i + 2));
    err_code rc = import(&src, "achievements", rows.s, &count, &e);
    buf_free(&rows);
    if (!CHECK_EQ_STR(rc ? e.msg : "", "")) goto done;
    const char *need = "{\"title\":\"杂质控制\",\"description\":\"描述\",\"field\":\"biomed.api\","
                       "\"type\":\"product_rd\",\"cooperation\":[\"commission\"],"
                       "\"anonymous\":true,\"deadline\":\"2027-01-31\",\"status\":\"submitted\","
                       "\"org\":\"开平甲药业有限公司\"}\n";
    if (!CHECK_EQ_STR(import(&src, "needs", need, &count, &e) ? e.msg : "", "")) goto done;

    CHECK_EQ_INT(transfer_export(&src.sys, "orgs", true, &orgs, &e), ERR_OK);
    CHECK_EQ_INT(transfer_export(&src.sys, "achievements", true, &ach, &e), ERR_OK);
    CHECK_EQ_INT(transfer_export(&src.sys, "needs", true, &needs, &e), ERR_OK);
    CHECK_EQ_INT(transfer_export(&src.sys, "achievements", false, &ach_arr, &e), ERR_OK);
    CHECK(ach_arr.s && ach_arr.s[0] == '[');
    CHECK_EQ_INT(transfer_export(&src.sys, "widgets", true, &orgs, &e), ERR_INVALID);

    /* into a fresh database */
    if (!CHECK_EQ_STR(orgs.s && !import(&dst, "orgs", orgs.s, &count, &e) ? "" : e.msg, ""))
        goto done;
    CHECK_EQ_INT(count, 3);
    if (!CHECK_EQ_STR(ach.s && !import(&dst, "achievements", ach.s, &count, &e) ? "" : e.msg, ""))
        goto done;
    CHECK_EQ_INT(count, 4);
    if (!CHECK_EQ_STR(needs.s && !import(&dst, "needs", needs.s, &count, &e) ? "" : e.msg, ""))
        goto done;
    CHECK_EQ_INT(test_count_listings(&dst, "achievement"), 4);
    CHECK_EQ_INT(test_count_listings(&dst, "need"), 1);
    CHECK_EQ_STR(titles(&dst, "achievement"), titles(&src, "achievement"));
    CHECK_EQ_STR(titles(&dst, "achievement"),
                 "便携式超声成像仪|Quote \"and\" <tags> & 符号|第三项成果|第四项成果");
    CHECK_EQ_STR(titles(&dst, "need"), "杂质控制");

    /* the fields survive too: the need stays anonymous, submitted, with its deadline */
    listing_filter f = {.kind = "need", .limit = 1};
    listing_rec *l;
    int n = 0;
    int64_t total;
    if (CHECK_EQ_INT(store_listing_list(dst.db, dst.a, &f, &l, &n, &total, &e), ERR_OK) &&
        CHECK_EQ_INT(n, 1)) {
        CHECK(l[0].anonymous);
        CHECK_EQ_STR(l[0].status, "submitted");
        CHECK_EQ_STR(l[0].deadline, "2027-01-31");
        CHECK_EQ_STR(l[0].modes, ",commission,");
        CHECK_EQ_STR(l[0].org_name, "开平甲药业有限公司");
    }
    /* a second export of the copy equals the first, up to ids and times */
    CHECK_EQ_STR(titles(&dst, "achievement"), titles(&src, "achievement"));

    /* importing the JSON array form into the copy doubles it */
    if (CHECK(ach_arr.s != NULL)) {
        CHECK_EQ_INT(import(&dst, "achievements", ach_arr.s, &count, &e), ERR_OK);
        CHECK_EQ_INT(count, 4);
        CHECK_EQ_INT(test_count_listings(&dst, "achievement"), 8);
    }
done:
    buf_free(&orgs);
    buf_free(&ach);
    buf_free(&needs);
    buf_free(&ach_arr);
    test_db_close(&src);
    test_db_close(&dst);
}
