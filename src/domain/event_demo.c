/* event_demo.c — the demo event: a biomedicine 对接会 in Kaiping modeled on the one in
 * DESIGN.md §1 — five co-organizers, an agenda, ~90 registrations from universities, institutes,
 * companies and government, most approved and many already checked in. Generated people are
 * fictional; the date is the day the demo is loaded, so the event is "today". */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/domain.h"

/* The demo organizations of one type, by name, in file order (data/demo/orgs.jsonl). */
typedef struct {
    const char *names[32];
    int n;
} org_names;

static err_code demo_org_names(arena *a, org_names by_type[5], const char *gov_names[5], err *e)
{
    static const char *types[] = {"university", "institute", "enterprise", "government", "service"};
    const asset *f = asset_get("data/demo/orgs.jsonl");
    if (!f) return err_set(e, ERR_INTERNAL, NULL, NULL, "demo file data/demo/orgs.jsonl missing");
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *row = n > 1 ? json_loadb(p, n, 0, NULL) : NULL;
        p += n + 1;
        if (!row) continue;
        const char *key = json_string_value(json_object_get(row, "key"));
        const char *name = json_string_value(json_object_get(row, "name"));
        const char *type = json_string_value(json_object_get(row, "type"));
        if (key && name && type) {
            static const char *gov_keys[] = {"gov01", "gov02", "gov03", "gov04", "gov05"};
            for (int k = 0; k < 5; k++)
                if (str_eq(key, gov_keys[k])) gov_names[k] = arena_strdup(a, name);
            for (int t = 0; t < 5; t++)
                if (str_eq(type, types[t]) && by_type[t].n < 32)
                    by_type[t].names[by_type[t].n++] = arena_strdup(a, name);
        }
        json_decref(row);
    }
    for (int k = 0; k < 5; k++)
        if (!gov_names[k])
            return err_set(e, ERR_INTERNAL, NULL, NULL, "demo org gov0%d missing", k + 1);
    return ERR_OK;
}

static const char *surnames[] = {"陈", "李", "王", "张", "刘", "黄", "吴", "周", "徐", "孙",
                                 "梁", "何", "郭", "林", "罗", "谢", "邓", "冯", "曾", "彭"};
static const char *given[] = {"志强", "晓梅", "建华", "丽娟", "伟",   "敏", "海峰", "静",
                              "国栋", "雪",   "思远", "嘉怡", "明辉", "婷", "子豪", "文博",
                              "佳琪", "永康", "振宇", "欣然", "立新", "慧", "俊杰"};

err_code event_demo_load(dctx *c, err *e)
{
    org_names by_type[5] = {0};
    const char *gov[5] = {0};
    if (demo_org_names(c->a, by_type, gov, e)) return e->code;
    char today[17];
    event_now_local(today);
    today[10] = 0;

    buf orgs = {0};
    for (int k = 0; k < 5; k++)
        buf_printf(&orgs, "%s%s", k ? "," : "", gov[k]);
    event_input in = {
        .title = "2026年开平市生物医药科技成果对接会",
        .title_en = "Kaiping Biomedicine Technology Matchmaking Conference 2026",
        .orgs = orgs.s,
        .venue = "开平市潭江半岛酒店三楼会议厅",
        .date = today,
        .start_time = "09:00",
        .end_time = "17:00",
        .fields = "biomed,biomed.drug_rd,biomed.biomanufacturing,biomed.chemical_drug,biomed.api,"
                  "biomed.excipient,biomed.device",
        .description =
            "本次对接会聚焦生物医药产业，面向药物研发、生物制造、化学药、原料药、药用辅料和医疗器械"
            "等细分领域，征集、展示、推介高校院所科技成果，发布企业在产品研发、技术攻关和产业升级中"
            "的“卡脖子”难题，组织项目路演和一对一洽谈，促成产学研合作。\n"
            "路演项目将从独特性、新颖性、先进性等方面接受专家评议。",
        .capacity = "150",
        .needs_approval = "1",
    };
    int64_t id;
    err_code rc = event_create(c, &in, &id, e);
    buf_free(&orgs);
    if (rc || event_transition(c, id, "publish", e)) return e->code;

    static const agenda_input agenda[] = {
        {"opening", "开幕致辞", "Opening speeches", "09:00", "09:30", "主会场",
         "开平市科学技术局领导；江门市投资促进局领导"},
        {"opening", "生物医药产业政策解读", "Biomedicine industry policy briefing", "09:30",
         "10:00", "主会场", "江门五邑科技成果转化服务中心"},
        {"roadshow", "高校院所科技成果路演（6个项目）", "Roadshow: six university projects",
         "10:15", "12:00", "主会场", "南粤医科大学、粤海药科大学、深湾生物医药研究院等项目负责人"},
        {"matchmaking", "企业技术需求发布与一对一洽谈", "Company needs and 1:1 matchmaking",
         "14:00", "16:30", "洽谈区 A–F 桌", "参会企业与专家"},
        {"other", "合作意向签约与总结", "Signing of intentions and closing", "16:30", "17:00",
         "主会场", "组织方"},
    };
    for (size_t i = 0; i < ARRAY_LEN(agenda); i++)
        if (agenda_create(c, id, &agenda[i], NULL, e)) return e->code;

    /* about 90 participants: who comes to such a day, in proportion */
    static const struct {
        const char *category;
        int type; /* index into by_type */
        int count;
        const char *brings;
    } mix[] = {
        {"university", 0, 20, "achievements"},
        {"institute", 1, 16, "achievements"},
        {"enterprise", 2, 34, "needs"},
        {"government", 3, 12, "neither"},
        {"other", 4, 8, "neither"},
    };
    int n = 0, checked = 0;
    for (size_t m = 0; m < ARRAY_LEN(mix); m++) {
        for (int k = 0; k < mix[m].count; k++, n++) {
            const org_names *on = &by_type[mix[m].type];
            const char *org = on->n ? on->names[k % on->n] : "开平市生物医药行业协会";
            const char *brings = mix[m].brings;
            if (str_eq(mix[m].category, "enterprise") && k % 5 == 0) brings = "both";
            registration_input ri = {
                .name = arena_printf(c->a, "%s%s", surnames[(n * 7) % ARRAY_LEN(surnames)],
                                     given[(n * 11) % ARRAY_LEN(given)]),
                .org_name = org,
                .category = mix[m].category,
                .brings = brings,
                .phone = arena_printf(c->a, "139%08d", 27500000 + n * 37),
                .email = arena_printf(c->a, "guest%03d@kaiping-event.example.cn", n + 1),
            };
            int64_t rid;
            if (registration_create(c, id, &ri, &rid, NULL, e)) return e->code;
            /* the organizer approved most; a few wait, two were declined */
            if (n % 23 == 5) continue;
            if (n % 41 == 7) {
                if (registration_decide(c, id, rid, "reject", e)) return e->code;
                continue;
            }
            if (registration_decide(c, id, rid, "approve", e)) return e->code;
            if (n % 3 != 2) {
                registration_rec g;
                if (event_checkin(c, id, rid, NULL, &g, e)) return e->code;
                checked++;
            }
        }
    }
    printf("demo event: %s, %d registrations (%d checked in), 5 agenda sessions\n", in.title, n,
           checked);
    if (roadshow_demo_load(c, e)) return e->code;
    return ERR_OK;
}
