/* test_template.c — the template engine (web/template.c) through tpl_render_text. */
#include <string.h>

#include "test.h"
#include "web/http.h"

/* Renders text against ctx (borrowed) in lang and returns the output (arena-owned). */
static const char *render(arena *a, const char *text, json_t *ctx, const char *lang)
{
    buf b = {0};
    tpl_render_text(&b, text, strlen(text), ctx, lang);
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

/* Renders text against the JSON context ctx_json (parsed here). */
static const char *render_json(arena *a, const char *text, const char *ctx_json)
{
    json_error_t je;
    json_t *ctx = json_loads(ctx_json, 0, &je);
    if (!CHECK(ctx != NULL)) return "";
    const char *out = render(a, text, ctx, "zh-CN");
    json_decref(ctx);
    return out;
}

TEST(tpl_escapes_by_default)
{
    arena *a = arena_new();
    CHECK_EQ_STR(
        render_json(a, "<p>{{name}}</p>", "{\"name\":\"<script>alert('x')&\\\"</script>\"}"),
        "<p>&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;</p>");
    CHECK_EQ_STR(render_json(a, "{{ name }}", "{\"name\":\"a&b\"}"), "a&amp;b");
    CHECK_EQ_STR(render_json(a, "{{n}}|{{r}}|{{t}}", "{\"n\":42,\"r\":1.5,\"t\":true}"),
                 "42|1.50|");
    arena_free(a);
}

TEST(tpl_triple_is_raw)
{
    arena *a = arena_new();
    CHECK_EQ_STR(render_json(a, "{{{html}}}", "{\"html\":\"<b>bold</b>&amp;\"}"),
                 "<b>bold</b>&amp;");
    CHECK_EQ_STR(render_json(a, "{{{ html }}}|{{html}}", "{\"html\":\"<i>\"}"), "<i>|&lt;i&gt;");
    arena_free(a);
}

TEST(tpl_sections_over_arrays_and_objects)
{
    arena *a = arena_new();
    CHECK_EQ_STR(render_json(a, "<ul>{{#items}}<li>{{title}}</li>{{/items}}</ul>",
                             "{\"items\":[{\"title\":\"a\"},{\"title\":\"<b>\"}]}"),
                 "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
    CHECK_EQ_STR(render_json(a, "{{#tags}}[{{.}}]{{/tags}}", "{\"tags\":[\"x\",\"y&z\"]}"),
                 "[x][y&amp;z]");
    CHECK_EQ_STR(render_json(a, "{{#org}}{{name}}/{{region}}{{/org}}",
                             "{\"org\":{\"name\":\"甲公司\",\"region\":\"江门\"}}"),
                 "甲公司/江门");
    CHECK_EQ_STR(render_json(a, "{{#flag}}yes{{/flag}}", "{\"flag\":true}"), "yes");
    /* falsy values skip the section */
    CHECK_EQ_STR(render_json(a, "<{{#v}}x{{/v}}>", "{\"v\":false}"), "<>");
    CHECK_EQ_STR(render_json(a, "<{{#v}}x{{/v}}>", "{\"v\":[]}"), "<>");
    CHECK_EQ_STR(render_json(a, "<{{#v}}x{{/v}}>", "{\"v\":\"\"}"), "<>");
    CHECK_EQ_STR(render_json(a, "<{{#v}}x{{/v}}>", "{\"v\":0}"), "<>");
    CHECK_EQ_STR(render_json(a, "<{{#v}}x{{/v}}>", "{\"v\":null}"), "<>");
    CHECK_EQ_STR(render_json(a, "<{{#v}}x{{/v}}>", "{}"), "<>");
    arena_free(a);
}

TEST(tpl_inverted_sections)
{
    arena *a = arena_new();
    CHECK_EQ_STR(render_json(a, "{{^items}}none{{/items}}", "{\"items\":[]}"), "none");
    CHECK_EQ_STR(render_json(a, "{{^items}}none{{/items}}", "{}"), "none");
    CHECK_EQ_STR(render_json(a, "{{^items}}none{{/items}}", "{\"items\":[1]}"), "");
    CHECK_EQ_STR(render_json(a, "{{^n}}zero{{/n}}", "{\"n\":0}"), "zero");
    CHECK_EQ_STR(render_json(a, "{{#ok}}a{{/ok}}{{^ok}}b{{/ok}}", "{\"ok\":false}"), "b");
    arena_free(a);
}

TEST(tpl_nested_sections_and_outer_lookup)
{
    arena *a = arena_new();
    const char *ctx = "{\"sep\":\"-\",\"groups\":[{\"name\":\"A\",\"items\":[\"1\",\"2\"]},"
                      "{\"name\":\"B\",\"items\":[]}]}";
    CHECK_EQ_STR(render_json(a,
                             "{{#groups}}{{name}}:{{#items}}{{.}}{{sep}}{{/items}}"
                             "{{^items}}empty{{/items}};{{/groups}}",
                             ctx),
                 "A:1-2-;B:empty;");
    /* same name nested: the matching close tag is found by level */
    CHECK_EQ_STR(render_json(a, "{{#a}}({{#a}}{{x}}{{/a}}){{/a}}", "{\"a\":{\"x\":\"1\"}}"), "(1)");
    arena_free(a);
}

TEST(tpl_dotted_and_missing_names)
{
    arena *a = arena_new();
    const char *ctx = "{\"org\":{\"name\":\"大学\",\"addr\":{\"city\":\"开平\"}},\"s\":\"str\"}";
    CHECK_EQ_STR(render_json(a, "{{org.name}} {{org.addr.city}}", ctx), "大学 开平");
    CHECK_EQ_STR(render_json(a, "[{{missing}}][{{org.nope}}][{{s.x}}][{{org.addr.city.z}}]", ctx),
                 "[][][][]");
    CHECK_EQ_STR(render_json(a, "[{{{missing}}}]", ctx), "[]");
    CHECK_EQ_STR(render_json(a, "{{#org.addr}}{{city}}{{/org.addr}}", ctx), "开平");
    arena_free(a);
}

TEST(tpl_comments_and_stray_tags)
{
    arena *a = arena_new();
    CHECK_EQ_STR(render_json(a, "a{{! a comment <b> }}b", "{}"), "ab");
    CHECK_EQ_STR(render_json(a, "a{{/nothing}}b", "{}"), "ab");
    CHECK_EQ_STR(render_json(a, "{{> no_such_partial}}x", "{}"), "x");
    arena_free(a);
}

TEST(tpl_unbalanced_tags_do_not_crash)
{
    arena *a = arena_new();
    const char *ctx = "{\"a\":[1,2],\"b\":\"v\"}";
    /* an unterminated tag or an unclosed section prints the rest as text */
    CHECK_EQ_STR(render_json(a, "x{{b", ctx), "x{{b");
    CHECK_EQ_STR(render_json(a, "x{{{b}}", ctx), "x{{{b}}");
    CHECK_EQ_STR(render_json(a, "x{{#a}}never closed", ctx), "x{{#a}}never closed");
    CHECK_EQ_STR(render_json(a, "{{#a}}{{#b}}{{/a}}", ctx), "{{#b}}{{#b}}");
    CHECK_EQ_STR(render_json(a, "{{", ctx), "{{");
    CHECK_EQ_STR(render_json(a, "}}{{}}", ctx), "}}");
    CHECK_EQ_STR(render_json(a, "{{{", ctx), "{{{");
    CHECK_EQ_STR(render_json(a, "{{#}}{{/}}", ctx), "");
    /* text not NUL-terminated: only n bytes are read */
    buf b = {0};
    json_t *c = json_object();
    tpl_render_text(&b, "ab{{b}}cd", 4, c, "zh-CN");
    CHECK_EQ_STR(b.s, "ab{{");
    json_decref(c);
    buf_free(&b);
    /* deep nesting of a truthy object stops at the stack limit instead of overflowing */
    buf deep = {0};
    for (int i = 0; i < 100; i++)
        buf_puts(&deep, "{{#o}}");
    buf_puts(&deep, "x");
    for (int i = 0; i < 100; i++)
        buf_puts(&deep, "{{/o}}");
    const char *out = render_json(a, deep.s, "{\"o\":{\"k\":1}}");
    CHECK(strlen(out) <= 1);
    buf_free(&deep);
    arena_free(a);
}

TEST(tpl_messages_from_catalog)
{
    i18n_init();
    arena *a = arena_new();
    const char *want = i18n_get("zh-CN", "app.name");
    CHECK(strcmp(want, "app.name") != 0); /* the catalog has it */
    CHECK_EQ_STR(render_json(a, "<h1>{{t:app.name}}</h1>", "{}"),
                 arena_printf(a, "<h1>%s</h1>", want));
    /* an unknown key renders as the key itself, escaped */
    CHECK_EQ_STR(render_json(a, "{{t:no.such<key>}}", "{}"), "no.such&lt;key&gt;");
    /* tv: builds the key from a prefix and a value */
    const char *nav = i18n_get("zh-CN", "nav.home");
    CHECK(strcmp(nav, "nav.home") != 0);
    CHECK_EQ_STR(render_json(a, "{{tv:nav. page}}", "{\"page\":\"home\"}"), nav);
    CHECK_EQ_STR(render_json(a, "[{{tv:nav. missing}}]", "{}"), "[]");
    arena_free(a);
}

TEST(tpl_render_unknown_name_renders_nothing)
{
    buf b = {0};
    json_t *ctx = json_object();
    tpl_render(&b, "no_such_template_xyz", ctx, "zh-CN");
    CHECK(b.len == 0);
    tpl_render(&b, "../../etc/passwd", ctx, "zh-CN");
    CHECK(b.len == 0);
    json_decref(ctx);
    buf_free(&b);
}
