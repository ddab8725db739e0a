/* listing_json.c — JSON objects to listing_input, shared by the API, imports and the demo. */
#include <string.h>

#include "domain/domain.h"

/* Text of a scalar: string as is, integer/real in decimal, true/false as "1"/"0"; NULL for
 * absent or null; sets *bad for arrays and objects. */
static const char *scalar_text(arena *a, json_t *v, bool *bad)
{
    if (!v || json_is_null(v)) return NULL;
    if (json_is_string(v)) return arena_strndup(a, json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_printf(a, "%g", json_real_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "1" : "0";
    *bad = true;
    return NULL;
}

/* A list given as an array of strings or as one separated string. */
static const char *list_text(arena *a, json_t *v, bool *bad)
{
    if (!json_is_array(v)) return scalar_text(a, v, bad);
    buf b = {0};
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item)) {
            *bad = true;
            break;
        }
        if (strchr(json_string_value(item), ',')) { /* a comma would split one item in two */
            *bad = true;
            break;
        }
        if (i) buf_putc(&b, ',');
        buf_puts(&b, json_string_value(item));
    }
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

static const char *patents_text(arena *a, json_t *v, bool *bad)
{
    if (!json_is_array(v)) return scalar_text(a, v, bad);
    buf b = {0};
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        const char *num = json_string_value(json_object_get(item, "number"));
        const char *st = json_string_value(json_object_get(item, "status"));
        if (!num || strpbrk(num, " ,\n")) {
            *bad = true;
            break;
        }
        buf_printf(&b, "%s%s %s", i ? "\n" : "", num, st ? st : "pending");
    }
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

err_code listing_input_from_json(arena *a, const char *kind, json_t *obj, listing_input *in, err *e)
{
    memset(in, 0, sizeof *in);
    if (!json_is_object(obj))
        return err_set(e, ERR_INVALID, NULL, "err.json_object", "expected a JSON object");
    bool need = str_eq(kind, "need");
    struct {
        const char *key;
        const char **dst;
        int how; /* 0 scalar, 1 list, 2 patents */
    } map[] = {
        {"title", &in->title, 0},
        {"summary", &in->summary, 0},
        {"description", &in->description, 0},
        {"advantages", &in->advantages, 0},
        {"field", &in->field, 0},
        {"keywords", &in->keywords, 1},
        {need ? "trl_min" : "trl", &in->trl, 0},
        {"patents", &in->patents, 2},
        {need ? "cooperation" : "transfer_modes", &in->modes, 1},
        {need ? "budget_wan" : "price_wan", &in->price_wan, 0},
        {"type", &in->need_type, 0},
        {"deadline", &in->deadline, 0},
        {"anonymous", &in->anonymous, 0},
        {"contact_name", &in->contact_name, 0},
        {"contact_phone", &in->contact_phone, 0},
        {"contact_email", &in->contact_email, 0},
        {"lang", &in->lang, 0},
        {"status", &in->status, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(map); i++) {
        json_t *v = json_object_get(obj, map[i].key);
        bool bad = false;
        *map[i].dst = map[i].how == 1   ? list_text(a, v, &bad)
                      : map[i].how == 2 ? patents_text(a, v, &bad)
                                        : scalar_text(a, v, &bad);
        if (bad)
            return err_set(e, ERR_INVALID, map[i].key, "err.type", "%s has the wrong type",
                           map[i].key);
    }
    json_t *contact = json_object_get(obj, "contact");
    if (json_is_object(contact)) {
        bool bad = false;
        in->contact_name = scalar_text(a, json_object_get(contact, "name"), &bad);
        in->contact_phone = scalar_text(a, json_object_get(contact, "phone"), &bad);
        in->contact_email = scalar_text(a, json_object_get(contact, "email"), &bad);
        if (bad)
            return err_set(e, ERR_INVALID, "contact", "err.type", "contact has the wrong type");
    }
    json_t *org = json_object_get(obj, "org");
    if (json_is_object(org)) org = json_object_get(org, "name");
    bool bad = false;
    in->org = scalar_text(a, org, &bad);
    if (bad) return err_set(e, ERR_INVALID, "org", "err.type", "org has the wrong type");
    return ERR_OK;
}
