/* fuzz_template.c — libFuzzer target for the template engine: the input is template text,
 * rendered against a fixed context in both languages.
 *
 * The context's arrays hold one item each on purpose: a section nested k deep over an array of
 * m items renders m^k times, which is fine for the trusted, embedded templates but would only
 * make the fuzzer report slow inputs. Invariant checked: the output holds no raw '<' that came
 * from a context value (all values here contain "<x>", escaped unless {{{…}}} is used), so the
 * only place "<x>" may appear is a raw tag or the template text itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

static json_t *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    i18n_init();
    ctx = json_loads("{\"title\":\"<x>&'\\\"\",\"n\":42,\"r\":2.5,\"yes\":true,\"no\":false,"
                     "\"nil\":null,\"empty\":\"\",\"zero\":0,"
                     "\"items\":[{\"title\":\"<x>item\",\"id\":1,\"tags\":[\"<x>tag\"]}],"
                     "\"org\":{\"name\":\"<x>甲公司\",\"addr\":{\"city\":\"开平<x>\"}},"
                     "\"status\":\"published\",\"page\":\"home\",\"list\":[]}",
                     0, NULL);
    if (!ctx) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1); /* exact size: reading past n is an ASan error */
    memcpy(text, data, size);
    buf out = {0};
    tpl_render_text(&out, text, size, ctx, (size & 1) ? "en" : "zh-CN");
    /* escaped by default: "<x>" from a value can only appear if the template asked for raw
     * output with "{{{" or wrote "<x>" itself */
    if (out.s && strstr(out.s, "<x>") && !memmem(text, size, "{{{", 3) &&
        !memmem(text, size, "<x>", 3) && !memmem(text, size, "{{>", 3))
        abort();
    buf_free(&out);
    free(text);
    return 0;
}
