/* highlight.h — where a query's terms occur in a raw text, for highlighted snippets. */
#ifndef DUIJIE_HIGHLIGHT_H
#define DUIJIE_HIGHLIGHT_H

#include "text/text.h"

typedef struct {
    size_t start, end; /* byte offsets in the raw text */
} hl_span;

/* The query's terms, sorted for lookup. Built from text_analyze output. */
typedef struct {
    char **terms;
    uint8_t *kinds;
    int n;
} hl_query;

/* Analyzes q into a lookup set; ERR_INVALID for invalid UTF-8. Free with hl_query_free. */
err_code hl_query_init(text_analyzer *ta, const char *q, hl_query *out, err *e);
void hl_query_free(hl_query *q);
/* Adds terms already analyzed (e.g. glossary expansions) of the given text_kind values. */
void hl_query_add(hl_query *q, const char *const *terms, const uint8_t *kinds, int n);

/* Writes up to max spans of raw[0..n) that match the query (CJK bigrams, or single characters
 * the query has alone; words by their stem; numbers and codes), in order, merged when adjacent.
 * Returns the count. raw must be valid UTF-8. */
int hl_spans(text_analyzer *ta, const hl_query *q, const char *raw, size_t n, hl_span *out,
             int max);

/* Chooses a window of about `chars` characters of raw[0..n) holding the most spans; sets
 * [*start, *end) on character boundaries. */
void hl_window(const char *raw, size_t n, const hl_span *spans, int ns, size_t chars, size_t *start,
               size_t *end);

#endif
