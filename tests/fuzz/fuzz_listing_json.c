/* fuzz_listing_json.c — libFuzzer target for listing_input_from_json, then listing_validate
 * (which writes nothing) against the real taxonomy of an in-memory database.
 * Invariants: a failure always names a key; validated records hold well-formed UTF-8 and the
 * JSON arrays they promise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/domain.h"

static store *st;
static db *conn;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_quiet = true;
    err e = {0};
    st = store_open(":memory:", 1, &e);
    conn = st ? store_acquire(st, &e) : NULL;
    if (!conn || taxonomy_load(conn, &e)) abort();
    return 0;
}

static void check_json_array(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!json_is_array(j)) abort();
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *obj = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!obj) return 0;
    arena *a = arena_new();
    static const char *const kinds[] = {"achievement", "need"};
    for (int k = 0; k < 2; k++) {
        listing_input in;
        err e = {0};
        if (listing_input_from_json(a, kinds[k], obj, &in, &e)) {
            if (e.code != ERR_INVALID) abort();
            continue;
        }
        dctx c = {.db = conn, .a = a, .system = true};
        listing_rec l;
        e = (err){0};
        err_code rc = listing_validate(&c, kinds[k], &in, &l, &e);
        if (rc) {
            if (rc != ERR_INVALID || !*e.field) abort();
            continue;
        }
        if (!utf8_valid_text(l.title, strlen(l.title)) || !taxonomy_field(l.field)) abort();
        if (l.trl < 0 || l.trl > 9) abort();
        check_json_array(l.keywords);
        check_json_array(l.patents);
        if (l.modes[0] != ',') abort();
    }
    arena_free(a);
    json_decref(obj);
    return 0;
}
