/* results.h — the public results page of an event (domain/results.c). A header of its own, like
 * report.h, because it needs the whole of domain.h (stats_view, roadshow_view). */
#ifndef DUIJIE_DOMAIN_RESULTS_H
#define DUIJIE_DOMAIN_RESULTS_H

#include "domain/domain.h"

/* ---- public results of an event (results.c) ----
 * An event's results page is public once the event is published and staff set results_public;
 * before that the public gets ERR_NOT_FOUND and staff a preview. It holds aggregates only: the
 * statistics funnel and by-field counts, intentions per stage, six-month outcomes, and the
 * roadshow ranking when the roadshow has published it — never an intention's amount, notes or
 * anyone's contact data. */
extern const char *const results_stages[6]; /* preliminary … completed, terminated */
/* The total contract amount is public only when it sums at least this many contracts: below,
 * the total would be (or nearly be) one contract's amount, which the parties have not agreed to
 * publish. Amounts per field, org type, region or month are never public. */
enum { RESULTS_MIN_CONTRACTS_FOR_AMOUNT = 3 };
typedef struct {
    event_rec ev;
    bool published;       /* results_public is set (and the event is published) */
    bool preview;         /* a staff viewer sees results that are not public */
    stats_view stats;     /* per-row amounts zeroed; the total too when amount_withheld */
    bool amount_withheld; /* fewer than RESULTS_MIN_CONTRACTS_FOR_AMOUNT contracts */
    int64_t stages[6];    /* intentions per results_stages[i] */
    outcome_tally outcomes;
    roadshow_view rs;
    roadshow_rank_row *ranking; /* NULL unless the ranking is published */
} results_view;
/* Whether anyone may see the results page of event_id (published event, results_public set);
 * false for an unknown event. */
bool results_are_public(dctx *c, int64_t event_id);
/* Computes the statistics of event_id for a viewer who may not be staff: checks visibility as
 * above, then computes with organizer rights (stats_compute on a system copy of c); amounts
 * are withheld as in results_view (per-row amounts zeroed, the total below the threshold). */
err_code results_stats(dctx *c, int64_t event_id, stats_view *out, err *e);
/* Everything the results page shows; visibility as above. */
err_code results_compute(dctx *c, int64_t event_id, results_view *out, err *e);
/* Staff: publishes (pub) or withdraws the results page; history (entity "event", action
 * "results_public"). */
err_code results_set_public(dctx *c, int64_t event_id, bool pub, err *e);

#endif
