/* fuzz_template.c — libFuzzer target for the template engine: the input is template text,
 * rendered against a fixed context in both languages.
 *
 * The context's arrays hold one item each on purpose: a section nested k deep over an array of
 * m items renders m^k times, which is fine for the trusted, embedded templates but would only
 * make the fuzzer report slow inputs. Invariant checked: values never add a raw '<' to the
 * output. The template is rendered twice, against values holding "<x>" and against the same
 * values with "[x]" instead (same lengths, same truthiness); unless the template asks for raw
 * output ({{{…}}}) or includes a partial, both outputs hold the same number of '<'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

static json_t *ctx, *ctx_safe;

static size_t count_lt(const buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->s[i] == '<';
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    i18n_init();
    static const char json[] =
        "{\"title\":\"<x>&'\\\"\",\"n\":42,\"r\":2.5,\"yes\":true,\"no\":false,"
        "\"nil\":null,\"empty\":\"\",\"zero\":0,"
        "\"items\":[{\"title\":\"<x>item\",\"id\":1,\"tags\":[\"<x>tag\"]}],"
        "\"org\":{\"name\":\"<x>甲公司\",\"addr\":{\"city\":\"开平<x>\"}},"
        "\"status\":\"published\",\"page\":\"home\",\"list\":[]}";
    ctx = json_loads(json, 0, NULL);
    char *safe = strdup(json);
    for (char *p = strstr(safe, "<x>"); p; p = strstr(p, "<x>"))
        p[0] = '[', p[2] = ']';
    ctx_safe = json_loads(safe, 0, NULL);
    free(safe);
    if (!ctx || !ctx_safe) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1); /* exact size: reading past n is an ASan error */
    memcpy(text, data, size);
    buf out = {0}, ref = {0};
    const char *lang = (size & 1) ? "en" : "zh-CN";
    tpl_render_text(&out, text, size, ctx, lang);
    tpl_render_text(&ref, text, size, ctx_safe, lang);
    if (count_lt(&out) != count_lt(&ref) && !memmem(text, size, "{{{", 3) &&
        !memmem(text, size, "{{>", 3))
        abort(); /* a value's '<' reached the output unescaped */
    buf_free(&out);
    buf_free(&ref);
    free(text);
    return 0;
}
