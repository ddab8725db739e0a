/* validate.c — the input checks every domain module shares: trimmed text with a length limit in
 * characters, lists, dates, email and phone shapes. One rule, one place. */
#include <stdio.h>
#include <string.h>

#include "domain/domain.h"

char *input_clean(arena *a, const char *v)
{
    return v ? str_trim(arena_strdup(a, v)) : NULL;
}

err_code input_check_text(const char *field, const char *v, bool required, size_t max, err *e)
{
    if (!v || !*v) {
        if (required)
            return err_set(e, ERR_INVALID, field, "err.required", "%s is required", field);
        return ERR_OK;
    }
    if (!utf8_valid_text(v, strlen(v)))
        return err_set(e, ERR_INVALID, field, "err.utf8", "%s is not valid UTF-8 text", field);
    if (utf8_count(v) > max)
        return err_set(e, ERR_INVALID, field, "err.too_long", "%s is longer than %zu characters",
                       field, max);
    return ERR_OK;
}

int input_split_list(arena *a, const char *v, char ***items)
{
    int n = 0, cap = 8;
    char **out = arena_alloc(a, sizeof(char *) * (size_t)cap);
    char *s = arena_strdup(a, v ? v : "");
    char *start = s;
    for (char *p = s;; p++) {
        size_t sep = 0;
        if (*p == ',' || *p == ';' || *p == '\n' || *p == 0)
            sep = 1;
        else if (!strncmp(p, "，", 3) || !strncmp(p, "、", 3) || !strncmp(p, "；", 3))
            sep = 3;
        if (!sep) continue;
        bool end = *p == 0;
        *p = 0;
        char *item = str_trim(start);
        if (*item) {
            if (n == cap) {
                char **grown = arena_alloc(a, sizeof(char *) * (size_t)cap * 2);
                memcpy(grown, out, sizeof(char *) * (size_t)cap);
                out = grown;
                cap *= 2;
            }
            out[n++] = item;
        }
        if (end) break;
        p += sep - 1;
        start = p + 1;
    }
    *items = out;
    return n;
}

bool input_truthy(const char *v)
{
    return v && (str_eq(v, "1") || str_eq(v, "true") || str_eq(v, "on") || str_eq(v, "yes"));
}

bool input_date_valid(const char *s)
{
    /* exactly DDDD-DD-DD: sscanf alone would also take signs and spaces ("2027-+1-01") */
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9')) return false;
    int y, m, d;
    if (s[10] || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

bool input_email_plausible(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at != s && strchr(at + 1, '.') && !strchr(at + 1, '@') && !strpbrk(s, " \t<>\"'");
}

bool input_phone_plausible(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-() ", *p)) return false;
    return strlen(s) >= 5;
}
