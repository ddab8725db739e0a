/* test_taxonomy.c — the field taxonomy loaded from the migrated database, and TRL stages. */
#include <string.h>

#include "test.h"

TEST(taxonomy_biomed_children)
{
    test_db t;
    if (!test_db_open(&t)) goto done;
    const field_rec *f = taxonomy_field("biomed");
    if (CHECK(f != NULL)) {
        CHECK_EQ_STR(f->parent, "");
        CHECK_EQ_STR(f->name_zh, "生物医药");
    }
    static const char *const kids[][2] = {
        {"biomed.api", "原料药"},
        {"biomed.excipient", "药用辅料"},
        {"biomed.device", "医疗器械"},
        {"biomed.drug_rd", "药物研发"},
        {"biomed.biomanufacturing", "生物制造"},
        {"biomed.chemical_drug", "化学药"},
    };
    for (size_t i = 0; i < ARRAY_LEN(kids); i++) {
        f = taxonomy_field(kids[i][0]);
        if (!CHECK(f != NULL)) continue;
        CHECK_EQ_STR(f->parent, "biomed");
        CHECK_EQ_STR(f->name_zh, kids[i][1]);
        CHECK(*f->name_en != 0);
    }
    CHECK(taxonomy_field("biomed.nope") == NULL);
    CHECK(taxonomy_field("") == NULL);
    CHECK(taxonomy_field(NULL) == NULL);
    /* every child's parent is itself a field, and parents come before their children */
    int n = 0;
    const field_rec *all = taxonomy_fields(&n);
    CHECK(n >= 10);
    for (int i = 0; i < n; i++) {
        if (!*all[i].parent) continue;
        const field_rec *p = taxonomy_field(all[i].parent);
        CHECK(p != NULL && p < &all[i]);
    }
    /* loading again is free and keeps the same table */
    err e = {0};
    CHECK_EQ_INT(taxonomy_load(t.db, &e), ERR_OK);
    CHECK(taxonomy_fields(&n) == all);
done:
    test_db_close(&t);
}

TEST(taxonomy_trl_stage)
{
    static const int want[] = {0, 1, 1, 1, 2, 2, 3, 3, 4, 4};
    for (int trl = 0; trl <= 9; trl++)
        CHECK_EQ_INT(trl_stage(trl), want[trl]);
    CHECK_EQ_INT(trl_stage(-1), 0);
}
