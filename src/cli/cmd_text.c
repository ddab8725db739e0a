/* cmd_text.c — `duijie analyze TEXT`: shows how text is normalized and split into search
 * terms, to answer "why does (not) my search match?". */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "text/text.h"

int cmd_analyze(int argc, char **argv)
{
    cli_args a;
    if (!cli_parse(argc, argv, NULL, &a)) return EXIT_USAGE;
    if (a.help || a.npos != 1) {
        fprintf(a.help ? stdout : stderr,
                "usage: duijie analyze TEXT\n\nPrints the normalized text (NFKC, case folded, "
                "Simplified Chinese) and its search terms with their kind and position.\n");
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    err e = {0};
    text_analyzer *ta = text_analyzer_new(&e);
    if (!ta) return cli_fail(&e);
    buf norm = {0};
    text_tokens t = {0};
    static const char *kinds[] = {"", "word", "num", "code", "cjk1", "cjk2", "phrase"};
    int rc = EXIT_OK;
    if (text_normalize(ta, a.pos[0], strlen(a.pos[0]), &norm, &e) ||
        text_analyze(ta, a.pos[0], strlen(a.pos[0]), &t, &e)) {
        rc = cli_fail(&e);
    } else {
        printf("normalized: %s\n", norm.s ? norm.s : "");
        for (size_t i = 0; i < t.n; i++)
            printf("%u\t%s\t%.*s\n", t.toks[i].pos, kinds[t.toks[i].kind], (int)t.toks[i].len,
                   t.bytes.s + t.toks[i].off);
    }
    buf_free(&norm);
    text_tokens_free(&t);
    text_analyzer_free(ta);
    return rc;
}
