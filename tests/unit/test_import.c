/* test_import.c — the io/ readers and writers (CSV: UTF-8, BOM, GB18030, UTF-16, quoting, bad
 * bytes; XLSX: shared and inline strings, sparse cells, dates, sheets, broken and hostile
 * files) and the spreadsheet import and export of domain/import.c and export.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unzip.h>
#include <zip.h>

#include "domain/sheet.h"
#include "io/io.h"
#include "test.h"

static err_code csv(arena *a, const char *s, io_table *t, err *e)
{
    return io_csv_read(a, s, strlen(s), t, e);
}

TEST(io_csv_utf8_bom_and_quotes)
{
    arena *a = arena_new();
    io_table t;
    err e = {0};
    const char *s = "\xef\xbb\xbf标题,单位, 备注 \r\n"
                    "\"带,逗号\",\"多行\r\n文本\",\"引号\"\"里\"\"\"\r\n"
                    ",,\r\n"
                    "短行\r\n";
    if (!CHECK_EQ_INT(csv(a, s, &t, &e), ERR_OK)) goto done;
    CHECK_EQ_STR(t.encoding, "utf-8-bom");
    CHECK_EQ_INT(t.ncols, 3);
    CHECK_EQ_STR(t.header[0], "标题");
    CHECK_EQ_STR(t.header[2], "备注");
    CHECK_EQ_INT(t.nrows, 2); /* the empty record is skipped */
    CHECK_EQ_STR(t.rows[0][0], "带,逗号");
    CHECK_EQ_STR(t.rows[0][1], "多行\n文本");
    CHECK_EQ_STR(t.rows[0][2], "引号\"里\"");
    CHECK_EQ_INT(t.rownum[0], 2);
    CHECK_EQ_STR(t.rows[1][0], "短行");
    CHECK_EQ_STR(t.rows[1][2], ""); /* padded */
    CHECK_EQ_INT(t.rownum[1], 4);   /* as the spreadsheet numbers it */
done:
    arena_free(a);
}

TEST(io_csv_gb18030_utf16_and_tabs)
{
    arena *a = arena_new();
    io_table t;
    err e = {0};
    /* "标题,单位\n成果,大学\n" in GB18030 */
    const char gb[] = "\xb1\xea\xcc\xe2,\xb5\xa5\xce\xbb\n\xb3\xc9\xb9\xfb,\xb4\xf3\xd1\xa7\n";
    if (!CHECK_EQ_INT(csv(a, gb, &t, &e), ERR_OK)) goto done;
    CHECK_EQ_STR(t.encoding, "gb18030");
    CHECK_EQ_STR(t.header[0], "标题");
    CHECK_EQ_STR(t.rows[0][1], "大学");
    /* UTF-16 LE with BOM, tab-separated: Excel's "Unicode text" */
    const char u16[] = "\xff\xfe"
                       "a\0\t\0b\0\n\0"
                       "1\0\t\0\x2d\x4e\n\0";
    if (!CHECK_EQ_INT(io_csv_read(a, u16, sizeof u16 - 1, &t, &e), ERR_OK)) goto done;
    CHECK_EQ_STR(t.encoding, "utf-16");
    CHECK_EQ_INT(t.ncols, 2);
    CHECK_EQ_STR(t.rows[0][1], "中");
done:
    arena_free(a);
}

TEST(io_csv_bad_input_is_a_clear_error)
{
    arena *a = arena_new();
    io_table t;
    err e = {0};
    /* neither UTF-8 nor GB18030: 0xff is never a GB18030 lead byte */
    CHECK_EQ_INT(csv(a, "a,b\n\xff\xff,1\n", &t, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "GB18030") != NULL);
    CHECK(strstr(e.msg, "offset 4") != NULL);
    /* a truncated GB18030 sequence at the end */
    CHECK_EQ_INT(csv(a, "a\n\xb1", &t, &e), ERR_INVALID);
    /* an unterminated quote */
    CHECK_EQ_INT(csv(a, "a,b\n\"open,1\n", &t, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "row") != NULL);
    /* NUL bytes: a binary file */
    CHECK_EQ_INT(io_csv_read(a, "a\0b", 3, &t, &e), ERR_INVALID);
    /* a bad UTF-8 sequence after a UTF-8 BOM */
    CHECK_EQ_INT(csv(a,
                     "\xef\xbb\xbf"
                     "a\n\xc3(",
                     &t, &e),
                 ERR_INVALID);
    /* empty */
    CHECK_EQ_INT(csv(a, "", &t, &e), ERR_OK);
    CHECK_EQ_INT(t.ncols, 0);
    CHECK_EQ_INT(t.nrows, 0);
    arena_free(a);
}

TEST(io_csv_write_quotes_and_bom)
{
    buf b = {0};
    const char *h[] = {"名称", "备注"};
    const char *r0[] = {"a,b", "say \"hi\""};
    const char *r1[] = {" lead", "多\n行"};
    const char *const *rows[] = {r0, r1};
    io_csv_write(&b, 2, h, 2, rows);
    CHECK_EQ_STR(b.s,
                 "\xef\xbb\xbf名称,备注\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\" lead\",\"多\n行\"\r\n");
    /* and it reads back */
    arena *a = arena_new();
    io_table t;
    err e = {0};
    if (CHECK_EQ_INT(io_csv_read(a, b.s, b.len, &t, &e), ERR_OK)) {
        CHECK_EQ_STR(t.rows[0][1], "say \"hi\"");
        CHECK_EQ_STR(t.rows[1][0], "lead"); /* cells are trimmed on reading */
        CHECK_EQ_STR(t.rows[1][1], "多\n行");
    }
    arena_free(a);
    buf_free(&b);
}

TEST(io_csv_write_guards_formula_cells)
{
    /* OWASP CSV injection: = + - @ tab CR start a formula in Excel and WPS */
    buf b = {0};
    const char *h[] = {"a", "b", "c", "d"};
    const char *r0[] = {"=1+1", "+86 750 1234567", "-5℃ storage", "@SUM(A1)"};
    const char *r1[] = {"'=already", "plain", "'plain", "=HYPERLINK(\"http://x\",\"y\")"};
    const char *r2[] = {"x\ty", "a=b", "", "''-x"};
    const char *const *rows[] = {r0, r1, r2};
    io_csv_write(&b, 4, h, 3, rows);
    CHECK_EQ_STR(b.s, "\xef\xbb\xbf"
                      "a,b,c,d\r\n"
                      "'=1+1,'+86 750 1234567,'-5℃ storage,'@SUM(A1)\r\n"
                      "''=already,plain,'plain,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"
                      "x\ty,a=b,,'''-x\r\n");
    /* the reader removes exactly the guard: the table reads back as written */
    arena *a = arena_new();
    io_table t;
    err e = {0};
    if (CHECK_EQ_INT(io_csv_read(a, b.s, b.len, &t, &e), ERR_OK) && CHECK_EQ_INT(t.nrows, 3)) {
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                CHECK_EQ_STR(t.rows[i][j], rows[i][j]);
    }
    /* a cell starting with a tab is guarded too */
    buf_reset(&b);
    const char *r3[] = {"\t=x"};
    const char *const *rows3[] = {r3};
    io_csv_write(&b, 1, h, 1, rows3);
    CHECK_EQ_STR(b.s, "\xef\xbb\xbf"
                      "a\r\n'\t=x\r\n");
    /* an apostrophe before ordinary text is the user's own and stays */
    if (CHECK_EQ_INT(csv(a, "x\n'007\n", &t, &e), ERR_OK)) CHECK_EQ_STR(t.rows[0][0], "'007");
    arena_free(a);
    buf_free(&b);
}

TEST(io_xlsx_write_cells_are_strings_never_formulas)
{
    const char *h[] = {"标题", "说明"};
    const char *r0[] = {"=1+1", "=HYPERLINK(\"http://x\",\"y\")"};
    const char *r1[] = {"-5℃ storage", "@SUM(A1)"};
    const char *const *rows[] = {r0, r1};
    io_sheet sh = {.name = "数据", .ncols = 2, .header = h, .nrows = 2, .rows = rows};
    buf b = {0};
    err e = {0};
    if (!CHECK_EQ_INT(io_xlsx_write(&b, &sh, 1, &e), ERR_OK)) return;
    char path[] = "/tmp/duijie-unit-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (!CHECK(fd >= 0)) goto done;
    CHECK(write(fd, b.s, b.len) == (ssize_t)b.len);
    close(fd);
    unzFile z = unzOpen64(path);
    if (!CHECK(z != NULL)) goto gone;
    buf xml = {0};
    if (CHECK_EQ_INT(unzLocateFile(z, "xl/worksheets/sheet1.xml", 2), UNZ_OK) &&
        CHECK_EQ_INT(unzOpenCurrentFile(z), UNZ_OK)) {
        char chunk[4096];
        int n;
        while ((n = unzReadCurrentFile(z, chunk, sizeof chunk)) > 0)
            buf_putn(&xml, chunk, (size_t)n);
        unzCloseCurrentFile(z);
    }
    unzClose(z);
    if (CHECK(xml.s != NULL)) {
        CHECK(strstr(xml.s, "<f>") == NULL && strstr(xml.s, "<f ") == NULL);
        /* every cell, header included, is a string cell: inline (constant memory) or shared */
        int cells = 0, strings = 0;
        for (const char *p = xml.s; (p = strstr(p, "<c ")); p++) {
            const char *end = strchr(p, '>');
            cells++;
            const char *t = strstr(p, " t=\"");
            if (t && t < end && (!strncmp(t, " t=\"inlineStr\"", 14) || !strncmp(t, " t=\"s\"", 6)))
                strings++;
        }
        CHECK_EQ_INT(cells, 6);
        CHECK_EQ_INT(strings, 6);
    }
    buf_free(&xml);
gone:
    unlink(path);
done:
    buf_free(&b);
}

TEST(io_excel_dates)
{
    char d[11];
    CHECK(io_excel_date(1, d) && !strcmp(d, "1900-01-01"));
    CHECK(io_excel_date(59, d) && !strcmp(d, "1900-02-28"));
    CHECK(io_excel_date(61, d) && !strcmp(d, "1900-03-01"));
    CHECK(io_excel_date(45658, d) && !strcmp(d, "2025-01-01"));
    CHECK(io_excel_date(46000.75, d) && !strcmp(d, "2025-12-09"));
    CHECK(!io_excel_date(0, d));
    CHECK(!io_excel_date(-3, d));
}

/* ---- XLSX files crafted part by part with minizip ---- */
typedef struct {
    const char *name, *text;
} part;

/* Writes the parts to a zip and returns its bytes (malloc'd). */
static char *make_zip(const part *parts, int n, size_t *len)
{
    char path[] = "/tmp/duijie-test-zip-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    close(fd);
    zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
    for (int i = 0; i < n; i++) {
        zip_fileinfo zi = {0};
        zipOpenNewFileInZip(z, parts[i].name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6);
        zipWriteInFileInZip(z, parts[i].text, (unsigned)strlen(parts[i].text));
        zipCloseFileInZip(z);
    }
    zipClose(z, NULL);
    FILE *f = fopen(path, "rb");
    buf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_putn(&b, chunk, k);
    fclose(f);
    unlink(path);
    *len = b.len;
    return buf_take(&b);
}

static const char wb_xml[] =
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"数据\" sheetId=\"2\" r:id=\"rId7\"/><sheet name=\"二\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";
static const char rels_xml[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"x\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId7\" Type=\"x\" Target=\"/xl/worksheets/data.xml\"/></Relationships>";
static const char sst_xml[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>成果名称</t></si><si><t>日期</t></si><si><r><t>富</t></r><r><t>文本</t></r>"
    "<rPh><t>ふりがな</t></rPh></si><si><t xml:space=\"preserve\"> 空格 </t></si></sst>";
static const char styles_xml[] =
    "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m"
    "&quot;月&quot;d&quot;日&quot;\"/><numFmt numFmtId=\"165\" formatCode=\"0.00\"/></numFmts>"
    "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/><xf "
    "numFmtId=\"165\"/><xf numFmtId=\"20\"/><xf numFmtId=\"22\"/><xf numFmtId=\"32\"/>"
    "</cellXfs></styleSheet>";
static const char sheet_xml[] =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c>"
    "<c r=\"D1\" t=\"inlineStr\"><is><t>数量</t></is></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"C3\" s=\"1\"><v>45658</v></c>"
    "<c r=\"D3\" s=\"3\"><v>12.5</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>3</v></c><c r=\"B4\" t=\"b\"><v>1</v></c>"
    "<c r=\"C4\" s=\"2\"><v>45659.5</v></c><c r=\"D4\"><v>100</v></c></row>"
    "<row r=\"6\"><c r=\"A6\" t=\"str\"><f>A1</f><v>公式</v></c><c r=\"D6\"><v>1E+20</v></c></row>"
    "<row r=\"7\"><c r=\"A7\" s=\"4\"><v>0.375</v></c><c r=\"B7\" s=\"5\"><v>45658.75</v></c>"
    "<c r=\"C7\" s=\"6\"><v>0.6041782407</v></c></row>"
    "</sheetData></worksheet>";

TEST(io_xlsx_read_crafted_workbook)
{
    part parts[] = {
        {"xl/workbook.xml", wb_xml},
        {"xl/_rels/workbook.xml.rels", rels_xml},
        {"xl/sharedStrings.xml", sst_xml},
        {"xl/styles.xml", styles_xml},
        {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is>"
                                     "<t>wrong sheet</t></is></c></row></sheetData></worksheet>"},
        {"xl/worksheets/data.xml", sheet_xml},
    };
    size_t len;
    char *z = make_zip(parts, ARRAY_LEN(parts), &len);
    if (!CHECK(z != NULL)) return;
    arena *a = arena_new();
    io_table t;
    err e = {0};
    if (!CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_OK)) goto done;
    CHECK_EQ_STR(t.encoding, "xlsx");
    CHECK_EQ_INT(t.ncols, 4);
    CHECK_EQ_STR(t.header[0], "成果名称"); /* the workbook's first sheet, not sheet1.xml */
    CHECK_EQ_STR(t.header[1], "");         /* B1 is absent */
    CHECK_EQ_STR(t.header[2], "日期");
    CHECK_EQ_STR(t.header[3], "数量");
    if (!CHECK_EQ_INT(t.nrows, 4)) goto done;
    CHECK_EQ_INT(t.rownum[0], 3);
    CHECK_EQ_STR(t.rows[0][0], "富文本"); /* rich text runs joined, phonetic text dropped */
    CHECK_EQ_STR(t.rows[0][2], "2025-01-01");
    CHECK_EQ_STR(t.rows[0][3], "12.5");
    CHECK_EQ_STR(t.rows[1][0], "空格");
    CHECK_EQ_STR(t.rows[1][1], "TRUE");
    CHECK_EQ_STR(t.rows[1][2], "2025-01-02");
    CHECK_EQ_STR(t.rows[1][3], "100");
    CHECK_EQ_INT(t.rownum[2], 6);
    CHECK_EQ_STR(t.rows[2][0], "公式");
    CHECK_EQ_STR(t.rows[2][3], "1e+20");
    if (!CHECK_EQ_INT(t.nrows, 4)) goto done;
    CHECK_EQ_STR(t.rows[3][0], "09:00");            /* h:mm */
    CHECK_EQ_STR(t.rows[3][1], "2025-01-01 18:00"); /* m/d/yy h:mm */
    CHECK_EQ_STR(t.rows[3][2], "14:30:01");         /* h"时"mm"分" with seconds */
done:
    arena_free(a);
    free(z);
}

TEST(io_xlsx_hostile_files)
{
    arena *a = arena_new();
    io_table t;
    err e = {0};
    /* not a zip at all, and a truncated one */
    CHECK_EQ_INT(io_xlsx_read(a, "hello", 5, &t, &e), ERR_INVALID);
    CHECK_EQ_INT(io_xlsx_read(a, "PK\3\4garbage", 11, &t, &e), ERR_INVALID);
    /* a zip without a workbook */
    part none[] = {{"hello.txt", "hi"}};
    size_t len;
    char *z = make_zip(none, 1, &len);
    CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "workbook.xml") != NULL);
    free(z);
    /* broken XML in the sheet */
    part broken[] = {{"xl/workbook.xml", "<workbook/>"},
                     {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c><v>1</c>"}};
    z = make_zip(broken, 2, &len);
    CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "broken XML") != NULL);
    free(z);
    /* an entity bomb behind a DOCTYPE */
    part bomb[] = {{"xl/workbook.xml",
                    "<!DOCTYPE w [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                    "<workbook>&b;</workbook>"}};
    z = make_zip(bomb, 1, &len);
    CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_INVALID);
    CHECK(strstr(e.msg, "DOCTYPE") != NULL);
    free(z);
    /* a shared-string index out of range */
    part badsst[] = {{"xl/workbook.xml", "<workbook/>"},
                     {"xl/worksheets/sheet1.xml",
                      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>"
                      "</sheetData></worksheet>"}};
    z = make_zip(badsst, 2, &len);
    CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_INVALID);
    free(z);
    /* a zip bomb: 4 MiB of one repeated row inflate past a lowered cap */
    buf big = {0};
    buf_puts(&big, "<worksheet><sheetData>");
    while (big.len < 4 << 20)
        buf_puts(&big, "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>");
    buf_puts(&big, "</sheetData></worksheet>");
    part zb[] = {{"xl/workbook.xml", "<workbook/>"}, {"xl/worksheets/sheet1.xml", big.s}};
    z = make_zip(zb, 2, &len);
    CHECK(len < 200000); /* it compresses well */
    size_t old = io_xlsx_max_unzipped;
    io_xlsx_max_unzipped = 1 << 20;
    CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_TOO_LARGE);
    io_xlsx_max_unzipped = old;
    free(z);
    buf_free(&big);
    /* a cell beyond the column limit */
    part wide[] = {{"xl/workbook.xml", "<workbook/>"},
                   {"xl/worksheets/sheet1.xml",
                    "<worksheet><sheetData><row r=\"1\"><c r=\"ZZZ1\" t=\"inlineStr\"><is><t>x</t>"
                    "</is></c></row></sheetData></worksheet>"}};
    z = make_zip(wide, 2, &len);
    CHECK_EQ_INT(io_xlsx_read(a, z, len, &t, &e), ERR_INVALID);
    free(z);
    arena_free(a);
}

TEST(io_xlsx_write_reads_back)
{
    const char *h[] = {"名称", "编号", "空"};
    const char *r0[] = {"中文", "007", ""};
    const char *r1[] = {"多\n行", "=1+1", "x"};
    const char *const *rows[] = {r0, r1};
    io_sheet sh = {.name = "数据", .ncols = 3, .header = h, .nrows = 2, .rows = rows};
    buf b = {0};
    err e = {0};
    if (!CHECK_EQ_INT(io_xlsx_write(&b, &sh, 1, &e), ERR_OK)) return;
    arena *a = arena_new();
    io_table t;
    if (CHECK_EQ_INT(io_table_read(a, "x.xlsx", b.s, b.len, &t, &e), ERR_OK)) {
        CHECK_EQ_INT(t.ncols, 3);
        CHECK_EQ_INT(t.nrows, 2);
        CHECK_EQ_STR(t.rows[0][1], "007"); /* text keeps leading zeros */
        CHECK_EQ_STR(t.rows[1][0], "多\n行");
        CHECK_EQ_STR(t.rows[1][1], "=1+1"); /* written as text, never a formula */
        CHECK_EQ_STR(t.rows[0][2], "");
    }
    /* by content when the name says nothing */
    CHECK_EQ_INT(io_table_read(a, "upload", b.s, b.len, &t, &e), ERR_OK);
    CHECK_EQ_INT(io_table_read(a, "old.xls", b.s, b.len, &t, &e), ERR_INVALID);
    arena_free(a);
    buf_free(&b);
}

/* ---- the domain import ---- */
static bool setup_orgs(test_db *t)
{
    return test_org(t, "五邑大学", "university") && test_org(t, "开平甲药业有限公司", "enterprise");
}

static err_code import_csv(test_db *t, const char *kind, const char *text, bool dry,
                           import_report *r, err *e)
{
    import_options o = {.kind = kind, .dry_run = dry};
    return import_file(&t->sys, &o, "x.csv", text, strlen(text), r, e);
}

TEST(import_csv_chinese_headers_and_labels)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    const char *s = "成果名称,所属单位,技术领域,成熟度,简介,详细介绍,转化方式,价格,专利,备注\n"
                    "便携式超声成像仪,五邑大学,生物医药/医疗器械,TRL 6,简介,描述文字,"
                    "转让、许可,50万元,\"CN1 已授权\nCN2 申请中\",忽略\n"
                    "第二个成果,五邑大学,Medical devices,中试,简介,描述,合作实施,面议,,\n";
    import_report r;
    err e = {0};
    if (!CHECK_EQ_INT(import_csv(&t, "achievements", s, false, &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.written, 2);
    CHECK_EQ_INT(r.nbad, 0);
    CHECK(r.mapped[9] == NULL); /* 备注 is not a field */
    listing_filter f = {.kind = "achievement", .sort = "old", .limit = 10};
    listing_rec *ls;
    int n;
    int64_t total;
    if (!CHECK_EQ_INT(store_listing_list(t.db, t.a, &f, &ls, &n, &total, &e), ERR_OK)) goto done;
    if (!CHECK_EQ_INT(n, 2)) goto done;
    CHECK_EQ_STR(ls[0].field, "biomed.device");
    CHECK_EQ_INT(ls[0].trl, 6);
    CHECK_EQ_STR(ls[0].modes, ",transfer,license,");
    CHECK_EQ_INT(ls[0].price_wan, 50);
    CHECK(strstr(ls[0].patents, "\"granted\"") != NULL);
    CHECK_EQ_STR(ls[0].status, "published");
    CHECK_EQ_INT(ls[1].price_wan, -1);
    CHECK_EQ_STR(ls[1].modes, ",joint,");
done:
    test_db_close(&t);
}

TEST(import_every_bad_row_and_nothing_written)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    const char *s = "title,organization,field,TRL,summary,description,transfer_modes\n"
                    "好的一行,五邑大学,biomed.device,5,s,d,license\n"
                    "坏的成熟度,五邑大学,biomed.device,12,s,d,license\n"
                    "好的二,五邑大学,biomed.device,5,s,d,license\n"
                    "没有单位,不存在的大学,biomed.device,5,s,d,license\n"
                    "未知领域,五邑大学,火星,5,s,d,license\n";
    import_report r;
    err e = {0};
    CHECK_EQ_INT(import_csv(&t, "achievements", s, true, &r, &e), ERR_OK); /* dry run */
    CHECK_EQ_INT(r.nbad, 3);
    CHECK_EQ_INT(r.nok, 2);
    if (!CHECK_EQ_INT(r.nissues, 3)) goto done;
    CHECK_EQ_INT(r.issues[0].row, 3);
    CHECK_EQ_STR(r.issues[0].column, "TRL");
    CHECK_EQ_STR(r.issues[0].key, "err.trl");
    CHECK_EQ_INT(r.issues[1].row, 5);
    CHECK_EQ_STR(r.issues[1].column, "organization");
    CHECK_EQ_INT(r.issues[2].row, 6);
    CHECK_EQ_STR(r.issues[2].column, "field");
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);
    /* the real run refuses the whole file */
    CHECK_EQ_INT(import_csv(&t, "achievements", s, false, &r, &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "import.err.bad_rows");
    CHECK_EQ_INT(r.nbad, 3);
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);
    /* a file with no known header */
    CHECK_EQ_INT(import_csv(&t, "achievements", "foo,bar\n1,2\n", true, &r, &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "import.err.no_columns");
    /* two columns meaning the same field */
    CHECK_EQ_INT(import_csv(&t, "achievements", "标题,title\n1,2\n", true, &r, &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "import.err.dup_column");
done:
    test_db_close(&t);
}

TEST(import_flags_duplicates)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    const char *h = "标题,单位,领域,成熟度,简介,描述,转化方式\n";
    const char *first = arena_printf(t.a, "%s一号成果,五邑大学,biomed.device,5,s,d,license\n", h);
    import_report r;
    err e = {0};
    if (!CHECK_EQ_INT(import_csv(&t, "achievements", first, false, &r, &e), ERR_OK)) goto done;
    const char *again = arena_printf(t.a,
                                     "%s一号成果,五邑大学,biomed.device,5,s,d,license\n"
                                     "二号成果,五邑大学,biomed.device,5,s,d,license\n"
                                     "二号成果,五邑大学,biomed.device,5,s,d,license\n"
                                     "二号成果,开平甲药业有限公司,biomed.device,5,s,d,license\n",
                                     h);
    CHECK_EQ_INT(import_csv(&t, "achievements", again, true, &r, &e), ERR_OK);
    CHECK_EQ_INT(r.ndup, 2);
    CHECK_EQ_STR(r.rows[0].dup_key, "import.dup.same");
    CHECK(r.rows[0].dup_id > 0); /* in the database */
    CHECK_EQ_STR(r.rows[1].dup_key, "");
    CHECK_EQ_INT(r.rows[2].dup_row, 3);                      /* earlier in the file */
    CHECK_EQ_STR(r.rows[3].dup_key, "");                     /* another organization */
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 1); /* the dry run wrote nothing */
    /* skip_duplicates leaves them out */
    import_options o = {.kind = "achievements", .skip_duplicates = true};
    CHECK_EQ_INT(import_file(&t.sys, &o, "x.csv", again, strlen(again), &r, &e), ERR_OK);
    CHECK_EQ_INT(r.nskipped, 2);
    CHECK_EQ_INT(r.written, 2);
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 3);
done:
    test_db_close(&t);
}

TEST(import_template_headers_map_back)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    const char *kinds[] = {"achievements", "needs", "orgs", "participants", "events"};
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        buf b = {0};
        err e = {0};
        if (!CHECK_EQ_INT(import_template(&t.sys, kinds[k], "csv", &b, &e), ERR_OK)) break;
        io_table tb;
        CHECK_EQ_INT(io_csv_read(t.a, b.s, b.len, &tb, &e), ERR_OK);
        buf_reset(&b);
        CHECK_EQ_INT(import_template(&t.sys, kinds[k], "xlsx", &b, &e), ERR_OK);
        io_table tx;
        if (CHECK_EQ_INT(io_xlsx_read(t.a, b.s, b.len, &tx, &e), ERR_OK))
            CHECK_EQ_INT(tx.ncols, tb.ncols);
        buf_free(&b);
        /* every template header is known: an empty import maps all columns */
        import_report r;
        import_options o = {.kind = kinds[k], .dry_run = true, .event_id = 1};
        if (str_eq(kinds[k], "participants")) continue; /* needs an event */
        if (CHECK_EQ_INT(import_table(&t.sys, &o, &tb, &r, &e), ERR_OK))
            for (int j = 0; j < r.ncols; j++)
                CHECK(r.mapped[j] != NULL);
    }
done:
    test_db_close(&t);
}

TEST(import_needs_only_staff)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    user_rec u;
    if (!test_user(&t, "m@wyu.edu.cn", "inst_member", "五邑大学", &u)) goto done;
    dctx c = test_ctx(&t, &u);
    import_options o = {.kind = "achievements"};
    import_report r;
    err e = {0};
    const char *s = "标题\nx\n";
    CHECK_EQ_INT(import_file(&c, &o, "x.csv", s, strlen(s), &r, &e), ERR_FORBIDDEN);
    buf b = {0};
    CHECK_EQ_INT(export_kind(&c, "achievements", 0, "csv", &b, &e), ERR_FORBIDDEN);
    buf_free(&b);
done:
    test_db_close(&t);
}

TEST(export_csv_imports_back_the_same)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    const char *s = "需求名称,企业名称,需求类型,技术领域,需求描述,合作方式,预算,截止日期,是否匿名\n"
                    "原料药连续化生产,开平甲药业有限公司,技术攻关,原料药,描述,委托开发、许可,"
                    "200,2027年6月30日,是\n";
    import_report r;
    err e = {0};
    if (!CHECK_EQ_INT(import_csv(&t, "needs", s, false, &r, &e), ERR_OK)) goto done;
    buf one = {0}, two = {0};
    CHECK_EQ_INT(export_kind(&t.sys, "needs", 0, "csv", &one, &e), ERR_OK);
    CHECK(strstr(one.s, "技术攻关") && strstr(one.s, "委托开发、许可") &&
          strstr(one.s, "2027-06-30") && strstr(one.s, "生物医药/原料药"));
    /* import the export again as a dry run: all of it maps and is valid (and a duplicate) */
    CHECK_EQ_INT(import_csv(&t, "needs", one.s, true, &r, &e), ERR_OK);
    CHECK_EQ_INT(r.nbad, 0);
    CHECK_EQ_INT(r.ndup, 1);
    CHECK_EQ_INT(export_kind(&t.sys, "needs", 0, "json", &two, &e), ERR_OK);
    CHECK(strstr(two.s, "\"tech_breakthrough\"") != NULL);
    CHECK_EQ_INT(export_kind(&t.sys, "widgets", 0, "csv", &two, &e), ERR_INVALID);
    CHECK_EQ_INT(export_kind(&t.sys, "needs", 0, "pdf", &two, &e), ERR_INVALID);
    CHECK_EQ_INT(export_kind(&t.sys, "participants", 0, "csv", &two, &e), ERR_INVALID);
    buf_free(&one);
    buf_free(&two);
done:
    test_db_close(&t);
}

TEST(import_lists_every_problem_of_a_row)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    const char *s = "标题,单位,领域,成熟度,简介,描述,转化方式,联系电话\n"
                    "好的一行,五邑大学,biomed.device,5,s,d,license,0750-1234567\n"
                    "三处错误,五邑大学,biomed.device,12,s,d,赠送,电话abc\n"
                    "两处错误,不存在的大学,火星,5,s,d,license,\n";
    import_report r;
    err e = {0};
    if (!CHECK_EQ_INT(import_csv(&t, "achievements", s, true, &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.nbad, 2);
    CHECK_EQ_INT(r.nok, 1);
    if (!CHECK_EQ_INT(r.nissues, 5)) goto done;
    CHECK_EQ_INT(r.issues[0].row, 3);
    CHECK_EQ_STR(r.issues[0].column, "成熟度");
    CHECK_EQ_STR(r.issues[0].key, "err.trl");
    CHECK_EQ_INT(r.issues[1].row, 3);
    CHECK_EQ_STR(r.issues[1].column, "转化方式");
    CHECK_EQ_STR(r.issues[1].key, "err.choice");
    CHECK_EQ_INT(r.issues[2].row, 3);
    CHECK_EQ_STR(r.issues[2].column, "联系电话");
    CHECK_EQ_STR(r.issues[2].key, "err.phone");
    CHECK_EQ_INT(r.issues[3].row, 4); /* the field's rule, then the owner (cross-field) */
    CHECK_EQ_STR(r.issues[3].column, "领域");
    CHECK_EQ_INT(r.issues[4].row, 4);
    CHECK_EQ_STR(r.issues[4].column, "单位");
    CHECK_EQ_STR(r.issues[4].key, "err.unknown_org");
    /* empty required cells are problems too (and nothing trips over the missing text) */
    const char *empty = "标题,单位,领域,成熟度,简介,描述,转化方式,语言\n"
                        ",五邑大学,,12,,,license,\n";
    if (CHECK_EQ_INT(import_csv(&t, "achievements", empty, true, &r, &e), ERR_OK) &&
        CHECK_EQ_INT(r.nissues, 5)) {
        CHECK_EQ_STR(r.issues[0].column, "标题");
        CHECK_EQ_STR(r.issues[0].key, "err.required");
        CHECK_EQ_STR(r.issues[1].column, "简介");
        CHECK_EQ_STR(r.issues[2].column, "描述");
        CHECK_EQ_STR(r.issues[3].column, "领域");
        CHECK_EQ_STR(r.issues[4].column, "成熟度");
    }
    /* the domain's own check still stops at the first problem */
    listing_input in = {.title = "三处错误",
                        .org = "五邑大学",
                        .field = "biomed.device",
                        .trl = "12",
                        .summary = "s",
                        .description = "d",
                        .modes = "gift",
                        .contact_phone = "abc"};
    listing_rec l;
    CHECK_EQ_INT(listing_validate(&t.sys, "achievement", &in, &l, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "trl");
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);
done:
    test_db_close(&t);
}

/* orgs, events and participants: a row with three bad cells gives three problems, each with
 * its column; the domain's own create still stops at the first */
static void collect_err(void *ctx, const err *e);

TEST(import_lists_every_problem_of_org_event_and_participant_rows)
{
    test_db t;
    buf b = {0};
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    import_report r;
    err e = {0};
    char long_region[160];
    memset(long_region, 'x', 101);
    long_region[101] = 0;
    const char *orgs = arena_printf(t.a,
                                    "单位名称,英文名称,单位类型,所在地区\n"
                                    "好的单位,Good,企业,江门\n"
                                    ",Bad,外星机构,%s\n",
                                    long_region);
    if (!CHECK_EQ_INT(import_csv(&t, "orgs", orgs, true, &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.nbad, 1);
    CHECK_EQ_INT(r.nok, 1);
    if (CHECK_EQ_INT(r.nissues, 3)) {
        CHECK_EQ_INT(r.issues[0].row, 3);
        CHECK_EQ_STR(r.issues[0].column, "单位名称");
        CHECK_EQ_STR(r.issues[0].key, "err.required");
        CHECK_EQ_INT(r.issues[1].row, 3);
        CHECK_EQ_STR(r.issues[1].column, "所在地区");
        CHECK_EQ_STR(r.issues[1].key, "err.too_long");
        CHECK_EQ_INT(r.issues[2].row, 3);
        CHECK_EQ_STR(r.issues[2].column, "单位类型");
        CHECK_EQ_STR(r.issues[2].key, "err.choice");
    }
    org_input oin = {.name = "", .name_en = "Bad", .type = "alien", .region = long_region};
    int64_t id;
    CHECK_EQ_INT(org_create(&t.sys, &oin, &id, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "name");
    CHECK_EQ_INT(org_check_all(&t.sys, &oin, collect_err, &b), 3);
    CHECK_EQ_STR(b.s, "name:err.required;region:err.too_long;type:err.choice;");
    buf_free(&b);

    /* events: a bad date, an end before the start and an unknown organization; then a bad
     * status cell first, as the import checks it before the event */
    const char *evs = "活动名称,日期,开始时间,结束时间,地点,主办单位,状态\n"
                      "好的活动,2026-12-01,09:00,17:00,江门,五邑大学,草稿\n"
                      "坏的活动,2026-13-01,14:00,09:00,江门,不存在的大学,\n"
                      "坏的状态,2026-12-01,9点,17:00,,五邑大学,取消\n";
    if (!CHECK_EQ_INT(import_csv(&t, "events", evs, true, &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.nbad, 2);
    CHECK_EQ_INT(r.nok, 1);
    if (CHECK_EQ_INT(r.nissues, 6)) {
        CHECK_EQ_INT(r.issues[0].row, 3);
        CHECK_EQ_STR(r.issues[0].column, "主办单位");
        CHECK_EQ_STR(r.issues[0].key, "err.unknown_org");
        CHECK_EQ_STR(r.issues[1].column, "日期");
        CHECK_EQ_STR(r.issues[1].key, "err.date");
        CHECK_EQ_STR(r.issues[2].column, "结束时间");
        CHECK_EQ_STR(r.issues[2].key, "event.err.end_before_start");
        CHECK_EQ_INT(r.issues[3].row, 4);
        CHECK_EQ_STR(r.issues[3].column, "状态");
        CHECK_EQ_STR(r.issues[3].key, "err.choice");
        CHECK_EQ_STR(r.issues[4].column, "地点");
        CHECK_EQ_STR(r.issues[4].key, "err.required");
        CHECK_EQ_STR(r.issues[5].column, "开始时间");
        CHECK_EQ_STR(r.issues[5].key, "event.err.time");
    }
    event_input ein = {.title = "坏的活动",
                       .orgs = "不存在的大学",
                       .venue = "江门",
                       .date = "2026-13-01",
                       .start_time = "14:00",
                       .end_time = "09:00"};
    CHECK_EQ_INT(event_create(&t.sys, &ein, &id, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "orgs");
    CHECK_EQ_INT(event_check_all(&t.sys, &ein, collect_err, &b), 3);
    CHECK_EQ_STR(b.s, "orgs:err.unknown_org;date:err.date;end_time:event.err.end_before_start;");
    buf_free(&b);

    /* participants: a missing organization, an unknown category and a bad email */
    event_input good = {.title = "参会导入测试",
                        .orgs = "五邑大学",
                        .venue = "江门",
                        .date = "2026-12-01",
                        .start_time = "09:00",
                        .end_time = "17:00"};
    int64_t ev;
    if (!CHECK_EQ_INT(event_create(&t.sys, &good, &ev, &e), ERR_OK)) goto done;
    const char *ps = "姓名,单位,类别,电话,邮箱,状态,签到时间\n"
                     "好的参会人,五邑大学,高校,0750-1234567,good@example.cn,,\n"
                     "坏的参会人,,外星人,0750-1234567,not-an-email,,\n"
                     "坏的状态,五邑大学,高校,电话abc,x@example.cn,未知,昨天\n";
    import_options po = {.kind = "participants", .dry_run = true, .event_id = ev};
    if (!CHECK_EQ_INT(import_file(&t.sys, &po, "p.csv", ps, strlen(ps), &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.nbad, 2);
    CHECK_EQ_INT(r.nok, 1);
    if (CHECK_EQ_INT(r.nissues, 6)) {
        CHECK_EQ_INT(r.issues[0].row, 3);
        CHECK_EQ_STR(r.issues[0].column, "单位");
        CHECK_EQ_STR(r.issues[0].key, "err.required");
        CHECK_EQ_STR(r.issues[1].column, "类别");
        CHECK_EQ_STR(r.issues[1].key, "err.choice");
        CHECK_EQ_STR(r.issues[2].column, "邮箱");
        CHECK_EQ_STR(r.issues[2].key, "err.email");
        CHECK_EQ_INT(r.issues[3].row, 4); /* the status cell first, as before */
        CHECK_EQ_STR(r.issues[3].column, "状态");
        CHECK_EQ_STR(r.issues[4].column, "电话");
        CHECK_EQ_STR(r.issues[4].key, "err.phone");
        CHECK_EQ_STR(r.issues[5].column, "签到时间");
        CHECK_EQ_STR(r.issues[5].key, "err.date");
    }
    registration_input rin = {.name = "坏的参会人",
                              .org_name = "",
                              .category = "alien",
                              .brings = "neither",
                              .email = "not-an-email"};
    const char *token;
    CHECK_EQ_INT(registration_create(&t.sys, ev, &rin, &id, &token, &e), ERR_INVALID);
    CHECK_EQ_STR(e.field, "org_name");
    CHECK_EQ_INT(registration_check_all(&t.sys, ev, &rin, collect_err, &b), 3);
    CHECK_EQ_STR(b.s, "org_name:err.required;category:err.choice;email:err.email;");
    buf_free(&b);
    CHECK_EQ_INT(registration_check_all(&t.sys, ev + 100, &rin, collect_err, &b), 1);
    buf_free(&b);
    /* a good row costs no second look: nothing was written by the dry runs */
    registration_rec *regs;
    int nregs;
    if (CHECK_EQ_INT(registration_list(&t.sys, ev, NULL, &regs, &nregs, &e), ERR_OK))
        CHECK_EQ_INT(nregs, 0);
done:
    buf_free(&b);
    test_db_close(&t);
}

TEST(import_preview_keeps_first_rows_and_every_flagged_row)
{
    test_db t;
    buf b = {0};
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    buf_puts(&b, "标题,单位,领域,成熟度,简介,描述,转化方式\n");
    for (int i = 1; i <= IMPORT_PREVIEW_ROWS + 100; i++)
        buf_printf(&b, "预览成果%d,五邑大学,biomed.device,%d,s,d,license\n", i,
                   i == IMPORT_PREVIEW_ROWS + 50 ? 12 : 5);
    buf_puts(&b, "预览成果7,五邑大学,biomed.device,5,s,d,license\n"); /* a duplicate of row 8 */
    import_report r;
    err e = {0};
    if (!CHECK_EQ_INT(import_csv(&t, "achievements", b.s, true, &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.nrows, IMPORT_PREVIEW_ROWS + 101);
    CHECK_EQ_INT(r.nbad, 1);
    CHECK_EQ_INT(r.ndup, 1);
    if (!CHECK_EQ_INT(r.npreview, IMPORT_PREVIEW_ROWS + 2)) goto done;
    CHECK_EQ_INT(r.rows[IMPORT_PREVIEW_ROWS - 1].row, IMPORT_PREVIEW_ROWS + 1);
    CHECK(r.rows[IMPORT_PREVIEW_ROWS].bad);
    CHECK_EQ_INT(r.rows[IMPORT_PREVIEW_ROWS].row, IMPORT_PREVIEW_ROWS + 51);
    CHECK_EQ_STR(r.rows[IMPORT_PREVIEW_ROWS + 1].title, "预览成果7");
    CHECK_EQ_INT(r.rows[IMPORT_PREVIEW_ROWS + 1].dup_row, 8);
    /* a broken file after good rows: an error, an empty report, nothing written */
    buf_puts(&b, "\"unbalanced,五邑大学\n");
    CHECK_EQ_INT(import_csv(&t, "achievements", b.s, false, &r, &e), ERR_INVALID);
    CHECK_EQ_STR(e.key, "import.err.csv");
    CHECK_EQ_INT(r.nrows, 0);
    CHECK_EQ_INT(test_count_listings(&t, "achievement"), 0);
done:
    buf_free(&b);
    test_db_close(&t);
}

/* ---- intentions ---- */
static void collect_err(void *ctx, const err *e)
{
    buf *b = ctx;
    buf_printf(b, "%s:%s;", e->field, e->key);
}

TEST(intention_check_recorded_lists_every_problem)
{
    buf b = {0};
    int64_t centi;
    intention_recorded ok = {.stage = "signed",
                             .contract_type = "transfer",
                             .amount = "12.5",
                             .signed_on = "2026-11-21"};
    CHECK_EQ_INT(intention_check_recorded(&ok, &centi, collect_err, &b), 0);
    CHECK_EQ_INT(centi, 1250);
    intention_recorded pre = {.stage = "preliminary"};
    CHECK_EQ_INT(intention_check_recorded(&pre, &centi, collect_err, &b), 0);
    CHECK_EQ_INT(centi, -1);
    /* signed without its contract: every missing piece */
    intention_recorded bare = {.stage = "completed"};
    CHECK_EQ_INT(intention_check_recorded(&bare, &centi, collect_err, &b), 3);
    CHECK_EQ_STR(b.s, "contract_type:err.required;amount_wan:err.required;signed_on:err.required;");
    buf_free(&b);
    intention_recorded bad = {.stage = "implementing",
                              .contract_type = "gift",
                              .amount = "-5",
                              .signed_on = "2026-13-01",
                              .reason = "x"};
    CHECK_EQ_INT(intention_check_recorded(&bad, &centi, collect_err, &b), 4);
    CHECK_EQ_STR(b.s, "contract_type:err.choice;amount_wan:intention.err.amount;signed_on:err.date;"
                      "terminate_reason:intention.err.reason_open;");
    buf_free(&b);
    /* terminated: the reason; a contract only when signed before, then whole */
    intention_recorded term = {.stage = "terminated", .amount = "3"};
    CHECK_EQ_INT(intention_check_recorded(&term, &centi, collect_err, &b), 3);
    CHECK_EQ_STR(
        b.s, "contract_type:err.required;signed_on:err.required;terminate_reason:err.required;");
    buf_free(&b);
    intention_recorded early = {.stage = "negotiating", .amount = "3"};
    CHECK_EQ_INT(intention_check_recorded(&early, &centi, collect_err, &b), 1);
    CHECK_EQ_STR(b.s, "amount_wan:intention.err.contract_early;");
    buf_free(&b);
    intention_recorded unknown = {.stage = "maybe"};
    CHECK_EQ_INT(intention_check_recorded(&unknown, &centi, collect_err, &b), 1);
    CHECK_EQ_STR(b.s, "stage:err.choice;");
    buf_free(&b);
}

TEST(import_intentions_columns_rows_and_followup)
{
    test_db t;
    if (!test_db_open(&t) || !setup_orgs(&t)) goto done;
    err e = {0};
    /* the columns: Chinese (the export's), English field names and aliases, labels and codes */
    int n;
    const sheet_col *cols = sheet_cols("intentions", &n);
    if (!CHECK(cols != NULL)) goto done;
    CHECK_EQ_STR(cols[0].field, "id");
    CHECK(cols[0].export_only);
    CHECK_EQ_STR(sheet_code(SHEET_STAGE, "已签约"), "signed");
    CHECK_EQ_STR(sheet_code(SHEET_STAGE, "terminated"), "terminated");
    CHECK_EQ_STR(sheet_code(SHEET_SOURCE, "来自洽谈"), "meeting");
    CHECK_EQ_STR(sheet_code(SHEET_CTYPE, "技术许可"), "license");
    const char *ach = "成果名称,所属单位,技术领域,成熟度,简介,详细介绍,转化方式\n"
                      "便携式超声成像仪,五邑大学,biomed.device,6,s,d,转让\n";
    import_report r;
    if (!CHECK_EQ_INT(import_csv(&t, "achievements", ach, false, &r, &e), ERR_OK)) goto done;
    event_input ein = {.title = "生物医药对接会",
                       .orgs = "五邑大学",
                       .venue = "开平",
                       .date = "2026-11-29",
                       .start_time = "09:00",
                       .end_time = "17:00",
                       .fields = "biomed"};
    int64_t ev = 0;
    if (!CHECK_EQ_INT(event_create(&t.sys, &ein, &ev, &e), ERR_OK)) goto done;
    const char *s =
        "标题(title),source,阶段,对接会(event),成果,供给方单位(org_a),需求方,合同类型,合同金额,"
        "签约日期,终止原因,备注,登记时间(created_at)\n"
        "超声合作,来自洽谈,已签约,生物医药对接会,便携式超声成像仪,五邑大学,开平甲药业有限公司,"
        "技术转让,50万元,2026年11月20日,,会上谈成,2026-11-29 18:20\n"
        "终止合作,,terminated,,,,开平甲药业有限公司,,,,资金未到位,,\n";
    if (!CHECK_EQ_INT(import_csv(&t, "intentions", s, false, &r, &e), ERR_OK)) goto done;
    CHECK_EQ_INT(r.written, 2);
    CHECK_EQ_STR(r.mapped[1], "source");
    CHECK_EQ_STR(r.mapped[6], "org_b");
    CHECK_EQ_STR(r.mapped[8], "amount_wan");
    intention_rec *ins;
    int ni;
    if (!CHECK_EQ_INT(intention_list(&t.sys, "", "", &ins, &ni, &e), ERR_OK) ||
        !CHECK_EQ_INT(ni, 2))
        goto done;
    const intention_rec *a = &ins[1], *b = &ins[0]; /* newest first */
    CHECK_EQ_STR(a->title, "超声合作");
    CHECK_EQ_STR(a->source, "meeting"); /* kept, without a meeting link */
    CHECK_EQ_INT(a->meeting_id, 0);
    CHECK_EQ_STR(a->stage, "signed");
    CHECK_EQ_INT(a->event_id, ev);
    CHECK(a->achievement_id > 0);
    CHECK_EQ_STR(a->contract_type, "transfer");
    CHECK_EQ_INT(a->amount_centi, 5000);
    CHECK_EQ_STR(a->signed_on, "2026-11-20");
    CHECK_EQ_STR(a->created_at, "2026-11-29T10:20:00Z"); /* Beijing time → UTC */
    CHECK_EQ_STR(b->source, "manual");
    CHECK_EQ_STR(b->stage, "terminated");
    CHECK_EQ_STR(b->terminate_reason, "资金未到位");
    CHECK_EQ_INT(b->org_a_id, 0);
    /* the intention for an event got its six-month follow-up; the other none; one history entry */
    followup_rec *fs;
    int nf;
    if (CHECK_EQ_INT(store_followups(t.db, t.a, a->id, NULL, &fs, &nf, &e), ERR_OK) &&
        CHECK_EQ_INT(nf, 1))
        CHECK_EQ_STR(fs[0].kind, "six_month");
    if (CHECK_EQ_INT(store_followups(t.db, t.a, b->id, NULL, &fs, &nf, &e), ERR_OK))
        CHECK_EQ_INT(nf, 0);
    history_rec *h;
    int nh;
    if (CHECK_EQ_INT(store_history_list(t.db, t.a, "intention", a->id, &h, &nh, &e), ERR_OK) &&
        CHECK_EQ_INT(nh, 1))
        CHECK_EQ_STR(h[0].action, "import");
    /* the same file again: both rows are likely duplicates */
    if (CHECK_EQ_INT(import_csv(&t, "intentions", s, true, &r, &e), ERR_OK))
        CHECK_EQ_INT(r.ndup, 2);
    /* a bad row: every problem, with its column */
    const char *bad = "标题,阶段,对接会,成果,供给方单位,合同金额\n"
                      "坏行,已完成,没有的会,没有的成果,没有的单位,abc\n";
    if (!CHECK_EQ_INT(import_csv(&t, "intentions", bad, true, &r, &e), ERR_OK) ||
        !CHECK_EQ_INT(r.nissues, 5))
        goto done;
    CHECK_EQ_STR(r.issues[0].column, "供给方单位");
    CHECK_EQ_STR(r.issues[0].key, "err.unknown_org");
    CHECK_EQ_STR(r.issues[1].column, "对接会");
    CHECK_EQ_STR(r.issues[1].key, "intention.err.no_event");
    CHECK_EQ_STR(r.issues[2].column,
                 "合同类型(contract_type)"); /* not in the file: the template's */
    CHECK_EQ_STR(r.issues[3].column, "合同金额");
    CHECK_EQ_STR(r.issues[3].key, "intention.err.amount");
    CHECK_EQ_STR(r.issues[4].column, "签约日期(signed_on)");
    CHECK_EQ_INT(r.issues[4].row, 2); /* the achievement is not looked up without an owner */
done:
    test_db_close(&t);
}
