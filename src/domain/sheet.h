/* sheet.h — private to domain/import.c and domain/export.c: the spreadsheet columns of each
 * kind and the conversions between stored codes and the labels people type in Excel. Import
 * and export share them so that an export reads back as the same data. */
#ifndef DUIJIE_DOMAIN_SHEET_H
#define DUIJIE_DOMAIN_SHEET_H

#include "domain/domain.h"

typedef struct {
    const char *field;   /* the domain's field name (as in err.field), "id" = ignored */
    const char *header;  /* the template / export header: Chinese, the field name in () */
    const char *aliases; /* other accepted headers, normalized, '|'-separated */
    bool required;
    bool export_only; /* written by export, ignored by import */
    const char *note_zh, *note_en;
} sheet_col;

/* The columns of kind (achievements, needs, orgs, participants); NULL when unknown. */
const sheet_col *sheet_cols(const char *kind, int *n);

/* A code ↔ label table: code, Chinese label, then '|'-separated other accepted spellings. */
typedef struct {
    const char *code, *zh, *more;
} sheet_label;

enum {
    SHEET_MODES,
    SHEET_NEED_TYPE,
    SHEET_STATUS,
    SHEET_ORG_TYPE,
    SHEET_CATEGORY,
    SHEET_BRINGS,
    SHEET_REG_STATUS,
    SHEET_PATENT,
    SHEET_STAGE,
    SHEET_SOURCE,
    SHEET_CTYPE,
    SHEET_NTABLES
};
/* The code of label v in table t (code, Chinese, English or another spelling; ASCII case and
 * spaces ignored), or NULL. */
const char *sheet_code(int t, const char *v);
/* The Chinese label of code in table t, or code itself. */
const char *sheet_label_zh(int t, const char *code);
const sheet_label *sheet_labels(int t, int *n);

/* "生物医药/药物研发" for a child field, "生物医药" for a top-level one (arena-owned); code when
 * unknown. */
const char *sheet_field_label(arena *a, const char *code);
/* The field code for a code, a Chinese or English name, or a path "父/子" ("›", ">" too). */
const char *sheet_field_code(const char *v);

#endif
