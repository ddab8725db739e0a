/* import.c — spreadsheet import (CSV, XLSX; JSON and JSON Lines through transfer.c) of
 * achievements, needs, organizations, events, an event's participants and cooperation
 * intentions (intention_row: organizations, listings and the event named, not numbered; the
 * recorded stage written as it stands once intention_check_recorded accepts it).
 *
 * A file is a header row plus data rows. Headers are matched to fields in Chinese or English
 * (sheet_cols: "成果名称", "标题", "title", "成果名称(title)" …); values may be codes or the labels
 * people type (转让, 产品研发, 生物医药/药物研发, TRL 5, 面议, 是/否, 2025年6月30日 …) and are
 * converted to codes here; every rule after that is the domain's own (listing_create,
 * org_create, registration_create), so one rule lives in one place.
 *
 * The run: one transaction for the whole file; each row is created in its own savepoint, so a
 * bad row is recorded (row number as the spreadsheet shows it, column header, reason) and the
 * run goes on to find every bad row. At the end a dry run, or a run with any bad row, rolls
 * everything back; otherwise it commits: everything or nothing.
 *
 * Likely duplicates are flagged, not refused: (1) a listing of the same kind with the same
 * title and the same organization, already in the database or earlier in the file; (2) when
 * the search index runs, a published listing whose title + summary terms overlap the row's
 * by a Jaccard similarity of at least IMPORT_SIMILAR (0.8) — the matching engine finds the
 * candidates, the text analyzer gives the terms; (3) participants: the same name and
 * organization at the event; (4) organizations: the same name; (5) intentions: the same title,
 * organizations and event. With skip_duplicates flagged
 * rows are left out; otherwise they are written when the domain accepts them. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "domain/sheet.h"
#include "io/io.h"
#include "text/text.h"

#define IMPORT_SIMILAR 0.8

/* ---- columns of each kind ---- */
#define CONTACT_COLS                                                                               \
    {"contact_name", "联系人(contact_name)", "联系人|contact", false, false, "", ""},              \
        {"contact_phone", "联系电话(contact_phone)", "电话|手机|phone|联系方式", false,            \
         false,           "数字、空格和 + - ( )",    "digits, spaces, + - ( )"},                   \
    {                                                                                              \
        "contact_email", "联系邮箱(contact_email)", "邮箱|电子邮箱|email|e-mail", false, false,    \
            "", ""                                                                                 \
    }

static const sheet_col achievement_cols[] = {
    {"id", "编号(id)", "序号|id|no", false, true, "导出时的编号，导入时忽略", "ignored on import"},
    {"title", "成果名称(title)", "成果|名称|标题|项目名称|成果标题|name", true, false, "2–120 字",
     "2–120 characters"},
    {"org", "所属单位(organization)", "单位|单位名称|完成单位|机构|所属机构|org|owner|organization",
     true, false, "平台上已有单位的名称（高校、科研院所或企业）",
     "name of a registered university, institute or enterprise"},
    {"field", "技术领域(field)", "领域|行业领域|所属领域|行业", true, false,
     "领域名称，如 生物医药/药物研发 或 药物研发", "field name, e.g. 生物医药/药物研发"},
    {"trl", "成熟度(trl)", "技术成熟度|成熟度trl|maturity", true, false,
     "TRL 1–9，或 研发/小试/中试/产业化（取该阶段最低级）", "TRL 1–9, or a stage (its lowest TRL)"},
    {"keywords", "关键词(keywords)", "关键字|keyword", false, false, "用、或逗号分隔，最多 10 个",
     "separated by 、 or commas, at most 10"},
    {"summary", "简介(summary)", "摘要|成果简介|abstract", true, false, "最多 500 字",
     "at most 500 characters"},
    {"description", "详细介绍(description)", "成果介绍|介绍|描述|详细描述|成果描述", true, false,
     "最多 20000 字", "at most 20,000 characters"},
    {"advantages", "技术优势(advantages)", "优势|创新点|技术特点", false, false, "", ""},
    {"patents", "专利(patents)", "专利情况|知识产权|ip", false, false,
     "每行一项：专利号 已授权|申请中|PCT", "one per line: NUMBER granted|pending|pct"},
    {"transfer_modes", "转化方式(transfer_modes)", "转让方式|合作方式|modes", true, false,
     "转让、许可、合作实施、作价投资、技术服务", "transfer, license, joint, equity, service"},
    {"price_wan", "价格(万元)(price_wan)", "价格|转让价格|意向价格|price|价格万元", false, false,
     "整数万元；空或“面议”为面议", "whole 万元; empty or 面议 = negotiable"},
    CONTACT_COLS,
    {"status", "状态(status)", "发布状态", false, false, "草稿、待审核、已发布（默认）、已归档",
     "draft, submitted, published (default), archived"},
    {"lang", "语言(lang)", "language", false, false, "zh-Hans、zh-Hant、en；空则自动判断",
     "empty = detected"},
};

static const sheet_col need_cols[] = {
    {"id", "编号(id)", "序号|id|no", false, true, "导出时的编号，导入时忽略", "ignored on import"},
    {"title", "需求名称(title)", "需求|名称|标题|需求标题|name", true, false, "2–120 字",
     "2–120 characters"},
    {"org", "企业名称(organization)", "企业|单位|单位名称|所属单位|公司|org|company|organization",
     true, false, "平台上已有企业的名称", "name of a registered enterprise"},
    {"type", "需求类型(type)", "类型|need_type", true, false, "产品研发、技术攻关、产业升级",
     "product_rd, tech_breakthrough, industry_upgrade"},
    {"field", "技术领域(field)", "领域|行业领域|所属领域|行业", true, false,
     "领域名称，如 生物医药/医疗器械", "field name"},
    {"trl", "最低成熟度(trl_min)", "成熟度|trl|技术成熟度", false, false, "TRL 1–9，可空",
     "TRL 1–9, optional"},
    {"keywords", "关键词(keywords)", "关键字|keyword", false, false, "用、或逗号分隔，最多 10 个",
     "separated by 、 or commas"},
    {"summary", "简介(summary)", "摘要|abstract", false, false, "最多 500 字",
     "at most 500 characters"},
    {"description", "需求描述(description)", "需求内容|描述|详细描述|介绍", true, false,
     "最多 20000 字", "at most 20,000 characters"},
    {"cooperation", "合作方式(cooperation)", "合作模式|modes", false, false,
     "转让、许可、合作实施、作价投资、技术服务、委托开发", "modes, separated by 、"},
    {"budget_wan", "预算(万元)(budget_wan)", "预算|投入预算|budget|预算万元", false, false,
     "整数万元；空或“面议”", "whole 万元; empty = negotiable"},
    {"deadline", "截止日期(deadline)", "截止时间|期限", false, false, "YYYY-MM-DD", "YYYY-MM-DD"},
    {"anonymous", "是否匿名(anonymous)", "匿名", false, false, "是/否", "yes/no"},
    CONTACT_COLS,
    {"status", "状态(status)", "发布状态", false, false, "草稿、待审核、已发布（默认）、已归档",
     "draft, submitted, published (default), archived"},
    {"lang", "语言(lang)", "language", false, false, "zh-Hans、zh-Hant、en；空则自动判断",
     "empty = detected"},
};

static const sheet_col org_cols[] = {
    {"id", "编号(id)", "序号|id|no", false, true, "导出时的编号，导入时忽略", "ignored on import"},
    {"name", "单位名称(name)", "名称|单位|机构名称|机构|organization", true, false, "唯一",
     "unique"},
    {"name_en", "英文名称(name_en)", "英文名|english_name", false, false, "", ""},
    {"type", "单位类型(type)", "类型|性质|单位性质", true, false,
     "高校、科研院所、企业、政府部门、服务机构",
     "university, institute, enterprise, government, service"},
    {"region", "所在地区(region)", "地区|区域|所在地|城市", false, false, "如 广东省江门市",
     "e.g. 广东省江门市"},
    {"verified", "已认证(verified)", "认证|是否认证", false, false, "是/否", "yes/no"},
};

static const sheet_col participant_cols[] = {
    {"id", "编号(id)", "序号|id|no", false, true, "导出时的编号，导入时忽略", "ignored on import"},
    {"name", "姓名(name)", "名字|参会人", true, false, "", ""},
    {"org_name", "单位(organization)", "单位名称|工作单位|org|org_name|公司|organization", true,
     false, "", ""},
    {"category", "类别(category)", "身份|参会类别|单位类型", false, false,
     "高校、科研院所、企业、政府部门、其他（默认）",
     "university, institute, enterprise, government, other (default)"},
    {"brings", "携带(brings)", "带来|参会内容", false, false,
     "科技成果、技术需求、成果与需求、仅参会交流（默认）",
     "achievements, needs, both, neither (default)"},
    {"phone", "电话(phone)", "手机|联系电话|mobile", false, false, "", ""},
    {"email", "邮箱(email)", "电子邮箱|e-mail", true, false, "同一活动内唯一",
     "unique within the event"},
    {"status", "状态(status)", "审核状态", false, false, "待审核、已通过、已拒绝",
     "pending, approved, rejected"},
    {"checked_in_at", "签到时间(checked_in_at)", "签到", false, false,
     "YYYY-MM-DD HH:MM（北京时间），空为未签到", "local time; empty = not checked in"},
};

static const sheet_col event_cols[] = {
    {"id", "编号(id)", "序号|id|no", false, true, "导出时的编号，导入时忽略", "ignored on import"},
    {"title", "活动名称(title)", "名称|标题|对接会|会议名称|name", true, false, "", ""},
    {"title_en", "英文名称(title_en)", "英文名|english_title", false, false, "", ""},
    {"date", "日期(date)", "举办日期|活动日期|时间", true, false, "YYYY-MM-DD", "YYYY-MM-DD"},
    {"start_time", "开始时间(start_time)", "开始", true, false, "HH:MM", "HH:MM"},
    {"end_time", "结束时间(end_time)", "结束", true, false, "HH:MM", "HH:MM"},
    {"venue", "地点(venue)", "举办地点|会场", true, false, "", ""},
    {"orgs", "主办单位(orgs)", "主办方|联合主办|承办单位|organizers", true, false,
     "平台上已有单位的名称，用、分隔", "registered organizations, separated by 、"},
    {"fields", "领域(fields)", "技术领域|行业领域", false, false, "领域名称，用、分隔",
     "field names, separated by 、"},
    {"capacity", "容量(capacity)", "人数上限|名额", false, false, "空为不限", "empty = unlimited"},
    {"reg_deadline", "报名截止(reg_deadline)", "报名截止时间|截止", false, false,
     "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM"},
    {"needs_approval", "需要审核(needs_approval)", "报名审核|审核", false, false, "是/否",
     "yes/no"},
    {"status", "状态(status)", "发布状态", false, false, "草稿（默认）、已发布",
     "draft (default), published"},
    {"description", "简介(description)", "介绍|活动简介|描述", false, false, "", ""},
    {"registrations", "报名人数(registrations)", "", false, true, "导入时忽略",
     "ignored on import"},
};

static const sheet_col intention_cols[] = {
    {"id", "编号(id)", "序号|id|no", false, true, "导出时的编号，导入时忽略", "ignored on import"},
    {"title", "标题(title)", "意向名称|名称|意向标题|name", true, false, "最多 200 字",
     "at most 200 characters"},
    {"source", "来源(source)", "意向来源", false, false,
     "来自洽谈、来自匹配、手工登记（默认）；不带洽谈记录", "meeting, match, manual (default)"},
    {"stage", "阶段(stage)", "意向阶段|状态|status", true, false,
     "初步意向、洽谈中、已签约、实施中、已完成、已终止", "stage code or label"},
    {"event", "对接会(event)", "活动|活动名称|对接会名称|event_title", false, false,
     "平台上已有活动的名称，可空", "title of an event on the platform, optional"},
    {"achievement", "成果(achievement)", "成果名称|achievement_title", false, false,
     "供给方单位的成果名称", "title of an achievement of org_a"},
    {"need", "需求(need)", "需求名称|need_title", false, false, "需求方单位的需求名称",
     "title of a need of org_b"},
    {"org_a", "供给方单位(org_a)", "供给方|供方|org_a_name", false, false,
     "平台上已有单位的名称；与需求方至少填一个", "a registered organization; org_a or org_b"},
    {"org_b", "需求方单位(org_b)", "需求方|需方|org_b_name", false, false, "平台上已有单位的名称",
     "a registered organization"},
    {"contract_type", "合同类型(contract_type)", "合同类别", false, false,
     "已签约及以后必填：技术开发、技术转让、技术许可、技术咨询、技术服务",
     "required from signed on"},
    {"amount_wan", "合同金额(万元)(amount_wan)", "合同金额|金额|amount", false, false,
     "已签约及以后必填；万元，≥ 0，最多两位小数", "required from signed on; 万元, ≥ 0"},
    {"signed_on", "签约日期(signed_on)", "签约时间|签订日期", false, false,
     "已签约及以后必填；YYYY-MM-DD", "required from signed on; YYYY-MM-DD"},
    {"terminate_reason", "终止原因(terminate_reason)", "终止理由|reason", false, false,
     "已终止必填", "required when terminated"},
    {"note", "备注(note)", "说明|notes", false, false, "最多 2000 字", "at most 2000 characters"},
    {"created_at", "登记时间(created_at)", "创建时间", false, false,
     "YYYY-MM-DD HH:MM（北京时间），空为导入时间", "local time; empty = now"},
    {"updated_at", "更新时间(updated_at)", "修改时间", false, false,
     "YYYY-MM-DD HH:MM（北京时间），空为导入时间", "local time; empty = now"},
};

const sheet_col *sheet_cols(const char *kind, int *n)
{
    if (str_eq(kind, "events")) return *n = ARRAY_LEN(event_cols), event_cols;
    if (str_eq(kind, "achievements")) return *n = ARRAY_LEN(achievement_cols), achievement_cols;
    if (str_eq(kind, "needs")) return *n = ARRAY_LEN(need_cols), need_cols;
    if (str_eq(kind, "orgs")) return *n = ARRAY_LEN(org_cols), org_cols;
    if (str_eq(kind, "participants")) return *n = ARRAY_LEN(participant_cols), participant_cols;
    if (str_eq(kind, "intentions")) return *n = ARRAY_LEN(intention_cols), intention_cols;
    *n = 0;
    return NULL;
}

/* ---- code ↔ label tables ---- */
static const sheet_label modes_t[] = {
    {"transfer", "转让", "技术转让|成果转让"},
    {"license", "许可", "技术许可|licence|授权"},
    {"joint", "合作实施", "合作|联合实施|joint implementation"},
    {"equity", "作价投资", "作价入股|技术入股"},
    {"service", "技术服务", "服务"},
    {"commission", "委托开发", "委托研发|合作开发"},
};
static const sheet_label need_type_t[] = {
    {"product_rd", "产品研发", "新产品研发|product r&d"},
    {"tech_breakthrough", "技术攻关", "卡脖子|技术难题|technical breakthrough"},
    {"industry_upgrade", "产业升级", "转型升级|industrial upgrading"},
};
static const sheet_label status_t[] = {
    {"draft", "草稿", ""},
    {"submitted", "待审核", "已提交|审核中"},
    {"published", "已发布", "发布|公开"},
    {"archived", "已归档", "归档|下架"},
};
static const sheet_label org_type_t[] = {
    {"university", "高校", "大学|学院|高等院校"}, {"institute", "科研院所", "研究院|研究所|院所"},
    {"enterprise", "企业", "公司|company"},       {"government", "政府部门", "政府|机关"},
    {"service", "服务机构", "中介|服务|中心"},
};
static const sheet_label category_t[] = {
    {"university", "高校", "大学|学院"},
    {"institute", "科研院所", "研究院|研究所|院所"},
    {"enterprise", "企业", "公司|company"},
    {"government", "政府部门", "政府|机关"},
    {"other", "其他", "其它"},
};
static const sheet_label brings_t[] = {
    {"achievements", "科技成果", "成果"},
    {"needs", "技术需求", "需求"},
    {"both", "成果与需求", "成果和需求|两者"},
    {"neither", "仅参会交流", "无|交流|none"},
};
static const sheet_label reg_status_t[] = {
    {"pending", "待审核", "审核中"},
    {"approved", "已通过", "通过|已批准|批准"},
    {"rejected", "已拒绝", "拒绝|未通过"},
};
static const sheet_label patent_t[] = {
    {"granted", "已授权", "授权"},
    {"pending", "申请中", "受理|实审|在审|已受理"},
    {"pct", "PCT", "国际申请"},
};
static const sheet_label stage_t[] = {
    {"preliminary", "初步意向", "意向|preliminary intention"},
    {"negotiating", "洽谈中", "谈判中|negotiation"},
    {"signed", "已签约", "签约|contract signed"},
    {"implementing", "实施中", "执行中|in progress"},
    {"completed", "已完成", "完成|done"},
    {"terminated", "已终止", "终止|cancelled|canceled"},
};
static const sheet_label source_t[] = {{"meeting", "来自洽谈", "洽谈|1:1 meeting|from meeting"},
                                       {"match", "来自匹配", "匹配|from match"},
                                       {"manual", "手工登记", "手工|by hand"}};
static const sheet_label ctype_t[] = {
    {"development", "技术开发", "开发"},     {"transfer", "技术转让", "转让"},
    {"license", "技术许可", "许可|licence"}, {"consulting", "技术咨询", "咨询"},
    {"service", "技术服务", "服务"},
};

static const struct {
    const sheet_label *t;
    int n;
} tables[SHEET_NTABLES] = {
    {modes_t, ARRAY_LEN(modes_t)},           {need_type_t, ARRAY_LEN(need_type_t)},
    {status_t, ARRAY_LEN(status_t)},         {org_type_t, ARRAY_LEN(org_type_t)},
    {category_t, ARRAY_LEN(category_t)},     {brings_t, ARRAY_LEN(brings_t)},
    {reg_status_t, ARRAY_LEN(reg_status_t)}, {patent_t, ARRAY_LEN(patent_t)},
    {stage_t, ARRAY_LEN(stage_t)},           {source_t, ARRAY_LEN(source_t)},
    {ctype_t, ARRAY_LEN(ctype_t)},
};

const sheet_label *sheet_labels(int t, int *n)
{
    *n = tables[t].n;
    return tables[t].t;
}

/* Lower-cases ASCII and drops spaces, '*', '_' and '-' into out (size n). */
static void norm(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '*' || ch == '\t' || ch == '_' || ch == '-') continue;
        out[k++] = (char)tolower(ch);
    }
    out[k] = 0;
}

/* Whether normalized v is one of the '|'-separated normalized words of list. */
static bool in_list(const char *v, const char *list)
{
    size_t n = strlen(v);
    for (const char *p = list; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t k = bar ? (size_t)(bar - p) : strlen(p);
        char w[128];
        char raw[128];
        if (k < sizeof raw) {
            memcpy(raw, p, k);
            raw[k] = 0;
            norm(raw, w, sizeof w);
            if (strlen(w) == n && !memcmp(w, v, n)) return true;
        }
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

const char *sheet_code(int t, const char *v)
{
    if (!v) return NULL;
    char n[256];
    norm(v, n, sizeof n);
    for (int i = 0; i < tables[t].n; i++) {
        const sheet_label *l = &tables[t].t[i];
        if (in_list(n, l->code) || in_list(n, l->zh) || in_list(n, l->more)) return l->code;
    }
    return NULL;
}

const char *sheet_label_zh(int t, const char *code)
{
    for (int i = 0; i < tables[t].n; i++)
        if (str_eq(tables[t].t[i].code, code)) return tables[t].t[i].zh;
    return code;
}

const char *sheet_field_label(arena *a, const char *code)
{
    const field_rec *f = taxonomy_field(code);
    if (!f) return code;
    const field_rec *p = *f->parent ? taxonomy_field(f->parent) : NULL;
    return p ? arena_printf(a, "%s/%s", p->name_zh, f->name_zh) : f->name_zh;
}

const char *sheet_field_code(const char *v)
{
    if (!v || !*v) return NULL;
    if (taxonomy_field(v)) return v;
    /* the last segment of a path */
    const char *last = v;
    for (const char *p = v; *p; p++) {
        if (*p == '/' || *p == '>') last = p + 1;
        if (!strncmp(p, "›", strlen("›"))) last = p + strlen("›");
        if (!strncmp(p, "＞", strlen("＞"))) last = p + strlen("＞");
        if (!strncmp(p, "／", strlen("／"))) last = p + strlen("／");
    }
    while (*last == ' ')
        last++;
    char want[256];
    norm(last, want, sizeof want);
    int n;
    const field_rec *fs = taxonomy_fields(&n);
    for (int i = 0; i < n; i++) {
        char zh[256], en[256];
        norm(fs[i].name_zh, zh, sizeof zh);
        norm(fs[i].name_en, en, sizeof en);
        if (str_eq(want, zh) || str_eq(want, en) || str_eq(want, fs[i].code)) return fs[i].code;
    }
    return NULL;
}

/* ---- header mapping ---- */
/* The column spec index for a header, or -1. Tries the whole header, the text before "(" and
 * each parenthesized part: "价格(万元)(price_wan)" → 价格 … price_wan. */
static int map_header(const sheet_col *cols, int ncols, const char *h)
{
    char hb[256];
    size_t k = 0;
    for (const char *p = h; *p && k + 4 < sizeof hb; p++) { /* full-width () → () */
        if (!strncmp(p, "（", 3)) {
            hb[k++] = '(';
            p += 2;
        } else if (!strncmp(p, "）", 3)) {
            hb[k++] = ')';
            p += 2;
        } else {
            hb[k++] = *p;
        }
    }
    hb[k] = 0;
    char cand[8][128];
    int nc = 0;
    norm(hb, cand[nc++], sizeof cand[0]);
    char *open = strchr(hb, '(');
    if (open) {
        char pre[128];
        size_t m = (size_t)(open - hb) < sizeof pre - 1 ? (size_t)(open - hb) : sizeof pre - 1;
        memcpy(pre, hb, m);
        pre[m] = 0;
        norm(pre, cand[nc++], sizeof cand[0]);
        for (char *p = open; p && nc < 8; p = strchr(p + 1, '(')) {
            char *close = strchr(p, ')');
            if (!close) break;
            char part[128];
            size_t pl = (size_t)(close - p - 1) < sizeof part - 1 ? (size_t)(close - p - 1)
                                                                  : sizeof part - 1;
            memcpy(part, p + 1, pl);
            part[pl] = 0;
            norm(part, cand[nc++], sizeof cand[0]);
        }
    }
    for (int c = 0; c < nc; c++) {
        if (!*cand[c]) continue;
        for (int i = 0; i < ncols; i++) {
            char hn[128], fn[128], hpre[128];
            norm(cols[i].header, hn, sizeof hn);
            norm(cols[i].field, fn, sizeof fn);
            const char *o = strchr(cols[i].header, '(');
            size_t m = o ? (size_t)(o - cols[i].header) : strlen(cols[i].header);
            char raw[128];
            if (m >= sizeof raw) m = sizeof raw - 1;
            memcpy(raw, cols[i].header, m);
            raw[m] = 0;
            norm(raw, hpre, sizeof hpre);
            if (str_eq(cand[c], hn) || str_eq(cand[c], fn) || str_eq(cand[c], hpre) ||
                in_list(cand[c], cols[i].aliases))
                return i;
        }
    }
    return -1;
}

/* ---- value conversions (label → code); on failure the text passes through unchanged so the
 * domain's own check names the problem ---- */
static const char *conv_list(arena *a, int table, const char *v)
{
    if (!v || !*v) return v;
    char **items;
    int n = input_split_list(a, v, &items);
    buf b = {0};
    for (int i = 0; i < n; i++) {
        const char *code = sheet_code(table, items[i]);
        buf_printf(&b, "%s%s", i ? "," : "", code ? code : items[i]);
    }
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

static const char *conv_one(int table, const char *v)
{
    const char *code = v && *v ? sheet_code(table, v) : NULL;
    return code ? code : v;
}

static const char *conv_bool(const char *v)
{
    if (!v || !*v) return v;
    char n[64];
    norm(v, n, sizeof n);
    if (in_list(n, "是|y|yes|true|1|√|✓|匿名|已认证")) return "1";
    if (in_list(n, "否|n|no|false|0|×|不匿名|未认证")) return "0";
    return v;
}

static const char *conv_trl(arena *a, const char *v)
{
    if (!v || !*v) return v;
    const char *p = v;
    if (!strncasecmp(p, "trl", 3)) p += 3;
    while (*p == ' ' || *p == ':' || *p == '-')
        p++;
    if (*p >= '1' && *p <= '9') {
        const char *q = p + 1;
        if (!strcmp(q, "") || !strcmp(q, "级") || !strcmp(q, ".0")) return arena_strndup(a, p, 1);
    }
    static const struct {
        const char *word, *trl;
    } stages[] = {{"研发", "1"}, {"小试", "4"}, {"中试", "6"}, {"产业化", "8"}};
    for (size_t i = 0; i < ARRAY_LEN(stages); i++)
        if (strstr(v, stages[i].word) && strlen(v) <= strlen(stages[i].word) + strlen("阶段"))
            return stages[i].trl;
    return v;
}

static const char *conv_amount(arena *a, const char *v)
{
    if (!v || !*v) return v;
    char n[128];
    norm(v, n, sizeof n);
    if (in_list(n, "面议|议价|待定|negotiable|/")) return "";
    buf b = {0};
    for (const char *p = v; *p; p++) {
        if (*p == ',' || *p == ' ') continue;
        if (!strncmp(p, "万元", strlen("万元"))) break;
        if (!strncmp(p, "万", strlen("万"))) break;
        buf_putc(&b, *p);
    }
    char *s = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    size_t L = strlen(s);
    if (L > 2 && !strcmp(s + L - 2, ".0")) s[L - 2] = 0;
    return s;
}

static const char *conv_date(arena *a, const char *v)
{
    if (!v || !*v) return v;
    int y, m, d;
    char tail[8];
    if (sscanf(v, "%d-%d-%d%1s", &y, &m, &d, tail) == 3 ||
        sscanf(v, "%d/%d/%d%1s", &y, &m, &d, tail) == 3 ||
        sscanf(v, "%d.%d.%d%1s", &y, &m, &d, tail) == 3 ||
        sscanf(v, "%d年%d月%d日%1s", &y, &m, &d, tail) == 3) {
        if (y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
            return arena_printf(a, "%04d-%02d-%02d", y, m, d);
    }
    return v;
}

/* Patent lines "NUMBER 已授权" → "NUMBER granted". */
static const char *conv_patents(arena *a, const char *v)
{
    if (!v || !*v) return v;
    char **items;
    int n = input_split_list(a, v, &items);
    buf b = {0};
    for (int i = 0; i < n; i++) {
        char *sp = strrchr(items[i], ' ');
        const char *code = sp ? sheet_code(SHEET_PATENT, sp + 1) : NULL;
        if (code) *sp = 0;
        buf_printf(&b, "%s%s%s%s", i ? "\n" : "", str_trim(items[i]), code ? " " : "",
                   code ? code : "");
    }
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

/* ---- the report ---- */
static void add_issue(import_report *r, arena *a, int row, const char *column, const err *e)
{
    if (r->nissues == r->capissues) {
        int ncap = r->capissues ? r->capissues * 2 : 64;
        import_issue *n = arena_alloc(a, (size_t)ncap * sizeof *n);
        if (r->issues) memcpy(n, r->issues, (size_t)r->nissues * sizeof *n);
        r->issues = n;
        r->capissues = ncap;
    }
    r->issues[r->nissues++] = (import_issue){
        .row = row,
        .column = arena_strdup(a, column ? column : ""),
        .field = arena_strdup(a, e->field),
        .key = arena_strdup(a, e->key),
        .msg = arena_strdup(a, e->msg),
    };
}

/* The header of the column holding field (as the file spells it), else the template's. */
static const char *column_of(const import_report *r, const sheet_col *cols, int ncols,
                             const char *field)
{
    if (!field || !*field) return "";
    for (int j = 0; j < r->ncols; j++)
        if (r->mapped[j] && str_eq(r->mapped[j], field)) return r->columns[j];
    for (int i = 0; i < ncols; i++)
        if (str_eq(cols[i].field, field)) return cols[i].header;
    return field;
}

/* ---- near-duplicates by the matching engine ---- */
typedef struct {
    char **terms;
    int n;
} termset;

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static bool terms_of(arena *a, text_analyzer *ta, const char *s, termset *out)
{
    text_tokens tk = {0};
    err e = {0};
    if (text_analyze(ta, s, strlen(s), &tk, &e)) {
        text_tokens_free(&tk);
        return false;
    }
    out->terms = arena_alloc(a, (tk.n ? tk.n : 1) * sizeof *out->terms);
    out->n = 0;
    for (size_t i = 0; i < tk.n; i++)
        out->terms[out->n++] = arena_strndup(a, tk.bytes.s + tk.toks[i].off, tk.toks[i].len);
    text_tokens_free(&tk);
    qsort(out->terms, (size_t)out->n, sizeof *out->terms, cmp_str);
    int k = 0;
    for (int i = 0; i < out->n; i++)
        if (!k || strcmp(out->terms[k - 1], out->terms[i])) out->terms[k++] = out->terms[i];
    out->n = k;
    return true;
}

static double jaccard(const termset *x, const termset *y)
{
    int i = 0, j = 0, both = 0;
    while (i < x->n && j < y->n) {
        int c = strcmp(x->terms[i], y->terms[j]);
        if (!c) {
            both++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    int uni = x->n + y->n - both;
    return uni ? (double)both / uni : 0;
}

/* The id and title of a published listing of kind whose title + summary is near-identical to
 * the row's, or 0, ignoring listings for which skip(ctx, id) is true (the rows this import wrote:
 * a dry run writes them as drafts, so the index never sees them, and a real run must flag what
 * its preview flagged). Needs the search index (matching_start); without it, 0. */
static int64_t similar_listing(dctx *c, const char *kind, const char *title, const char *summary,
                               bool (*skip)(const void *, int64_t), const void *ctx,
                               const char **other)
{
    text_analyzer *ta;
    err e = {0};
    if (!title || !*title || !(ta = matching_analyzer(&e))) return 0;
    const char *q = arena_printf(c->a, "%s %s", title, summary ? summary : "");
    listing_filter f = {.kind = kind};
    match_result *res;
    int n;
    int64_t total;
    if (matching_search(c, q, &f, 0, 4, &res, &n, &total, NULL, &e)) return 0;
    termset mine;
    if (!n || !terms_of(c->a, ta, q, &mine)) return 0;
    for (int i = 0; i < n; i++) {
        if (skip(ctx, res[i].l.id)) continue;
        termset theirs;
        const char *t = arena_printf(c->a, "%s %s", res[i].l.title, res[i].l.summary);
        if (terms_of(c->a, ta, t, &theirs) && jaccard(&mine, &theirs) >= IMPORT_SIMILAR) {
            *other = res[i].l.title;
            return res[i].l.id;
        }
    }
    return 0;
}

/* ---- the run ---- */
typedef struct {
    int64_t id;
    int row;
} written;

typedef struct {
    dctx *c;
    const import_options *o; /* &opt */
    import_options opt;      /* the caller's, with similar turned off for big files */
    import_report *r;
    arena *keep; /* the caller's arena (c->a outside rows): the report lives here */
    const sheet_col *cols;
    int ncols;
    bool part;  /* participants */
    bool began; /* the transaction is open */
    int cappreview;
    err *extra; /* every problem of the current row, when the domain lists them (row arena) */
    int nextra, capextra;
    written *w; /* ids written by this run, ascending */
    int nw, capw;
    /* participants: "name\x1forg" of the event's registrations and earlier rows (in keep) */
    char **seen;
    int nseen, capseen;
} run;

static void remember(run *u, int64_t id, int row)
{
    if (u->nw == u->capw) {
        u->capw = u->capw ? u->capw * 2 : 256;
        u->w = xrealloc(u->w, (size_t)u->capw * sizeof *u->w);
    }
    u->w[u->nw++] = (written){id, row};
}

/* The row of this run that wrote id, or 0. */
static int written_row(const run *u, int64_t id)
{
    int lo = 0, hi = u->nw - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (u->w[mid].id == id) return u->w[mid].row;
        if (u->w[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

static bool written_here(const void *u, int64_t id)
{
    return written_row(u, id) != 0;
}

static const char *cell(const run *u, const char *const *row, const char *field)
{
    for (int j = 0; j < u->r->ncols; j++)
        if (u->r->mapped[j] && str_eq(u->r->mapped[j], field)) return *row[j] ? row[j] : NULL;
    return NULL;
}

static void flag_dup(run *u, import_row *ir, const char *key, int64_t id, const char *title)
{
    int row = id ? written_row(u, id) : 0;
    ir->dup_key = key;
    ir->dup_row = row;
    ir->dup_id = row ? 0 : id;
    ir->dup_title = title ? arena_strdup(u->c->a, title) : "";
    u->r->ndup++;
}

/* The report of listing_check_all and the other *_check_all: one more problem of the current
 * row. */
static void add_extra(void *ctx, const err *e)
{
    run *u = ctx;
    if (u->nextra == u->capextra) {
        int ncap = u->capextra ? u->capextra * 2 : 8;
        err *n = arena_alloc(u->c->a, (size_t)ncap * sizeof *n);
        if (u->extra) memcpy(n, u->extra, (size_t)u->nextra * sizeof *n);
        u->extra = n;
        u->capextra = ncap;
    }
    u->extra[u->nextra++] = *e;
}

static err_code listing_row(run *u, const char *const *row, import_row *ir, err *re)
{
    dctx *c = u->c;
    arena *a = c->a;
    bool need = str_eq(u->o->kind, "needs");
    const char *lkind = need ? "need" : "achievement";
    listing_input in = {0};
    in.title = cell(u, row, "title");
    in.org = cell(u, row, "org");
    in.summary = cell(u, row, "summary");
    in.description = cell(u, row, "description");
    in.advantages = cell(u, row, "advantages");
    const char *fv = cell(u, row, "field");
    const char *fc = sheet_field_code(fv);
    in.field = fc ? fc : fv;
    in.keywords = cell(u, row, "keywords");
    in.trl = conv_trl(a, cell(u, row, "trl"));
    in.patents = conv_patents(a, cell(u, row, "patents"));
    in.modes = conv_list(a, SHEET_MODES, cell(u, row, need ? "cooperation" : "transfer_modes"));
    in.price_wan = conv_amount(a, cell(u, row, need ? "budget_wan" : "price_wan"));
    in.need_type = conv_one(SHEET_NEED_TYPE, cell(u, row, "type"));
    in.deadline = conv_date(a, cell(u, row, "deadline"));
    in.anonymous = conv_bool(cell(u, row, "anonymous"));
    in.contact_name = cell(u, row, "contact_name");
    in.contact_phone = cell(u, row, "contact_phone");
    in.contact_email = cell(u, row, "contact_email");
    in.lang = cell(u, row, "lang");
    const char *st = cell(u, row, "status");
    in.status = st ? conv_one(SHEET_STATUS, st) : "published";
    /* A dry run writes valid rows as drafts: the same checks (organizers may set any status), but
     * the search index, which follows published listings, never sees rows about to be rolled
     * back. An invalid status stays, so that listing_create names it. */
    if (u->o->dry_run && (str_eq(in.status, "draft") || str_eq(in.status, "submitted") ||
                          str_eq(in.status, "published") || str_eq(in.status, "archived")))
        in.status = "draft";
    ir->title = in.title ? in.title : "";
    ir->org = in.org ? in.org : "";

    /* duplicate checks before the row is written */
    char *title = input_clean(a, in.title);
    if (title && *title && in.org && *in.org) {
        org_rec o;
        err oe = {0};
        int64_t oid, dup = 0;
        err_code rc = str_to_i64(in.org, 1, INT64_MAX, &oid)
                          ? store_org_get(c->db, a, oid, &o, &oe)
                          : store_org_find_name(c->db, a, in.org, &o, &oe);
        if (!rc && store_listing_find_title(c->db, lkind, o.id, title, &dup, &oe) == ERR_OK && dup)
            flag_dup(u, ir, "import.dup.same", dup, title);
    }
    if (!*ir->dup_key && u->o->similar) {
        const char *other = NULL;
        int64_t sid = similar_listing(c, lkind, title, in.summary, written_here, u, &other);
        if (sid) flag_dup(u, ir, "import.dup.similar", sid, other);
    }
    if (*ir->dup_key && u->o->skip_duplicates) {
        ir->skipped = true;
        return ERR_OK;
    }
    int64_t id;
    if (listing_create(c, lkind, &in, &id, re)) {
        /* the row is bad: list every problem of it, not only the first */
        if (re->code == ERR_INVALID) listing_check_all(c, lkind, &in, add_extra, u);
        return re->code;
    }
    ir->id = id;
    remember(u, id, ir->row);
    return ERR_OK;
}

static err_code org_row(run *u, const char *const *row, import_row *ir, err *re)
{
    dctx *c = u->c;
    org_input in = {
        .name = cell(u, row, "name"),
        .name_en = cell(u, row, "name_en"),
        .type = conv_one(SHEET_ORG_TYPE, cell(u, row, "type")),
        .region = cell(u, row, "region"),
        .verified = conv_bool(cell(u, row, "verified")),
    };
    if (!in.verified) in.verified = "0";
    ir->title = in.name ? in.name : "";
    ir->org = "";
    org_rec o;
    err oe = {0};
    if (in.name && store_org_find_name(c->db, c->a, in.name, &o, &oe) == ERR_OK) {
        int64_t id = o.id;
        flag_dup(u, ir, "import.dup.same_org", id, o.name);
        if (u->o->skip_duplicates) {
            ir->skipped = true;
            return ERR_OK;
        }
    }
    int64_t id;
    if (org_create(c, &in, &id, re)) {
        if (re->code == ERR_INVALID) org_check_all(c, &in, add_extra, u); /* every problem */
        return re->code;
    }
    ir->id = id;
    remember(u, id, ir->row);
    return ERR_OK;
}

static const char *person_key(arena *a, const char *name, const char *org)
{
    char n1[256], n2[256];
    norm(name ? name : "", n1, sizeof n1);
    norm(org ? org : "", n2, sizeof n2);
    return arena_printf(a, "%s\x1f%s", n1, n2);
}

static void seen_add(run *u, const char *k)
{
    if (u->nseen == u->capseen) {
        u->capseen = u->capseen ? u->capseen * 2 : 256;
        u->seen = xrealloc(u->seen, (size_t)u->capseen * sizeof *u->seen);
    }
    u->seen[u->nseen++] = (char *)k;
}

/* A local time as export writes it, "YYYY-MM-DD HH:MM" (Asia/Shanghai), as UTC ISO
 * "YYYY-MM-DDTHH:MM:SSZ" in iso; false when at is not such a time. */
static bool local_to_utc(const char *at, char iso[32])
{
    struct tm tm = {0};
    char tail[4];
    if (sscanf(at, "%d-%d-%d %d:%d%1s", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, tail) != 5 ||
        tm.tm_year < 2000 || tm.tm_year > 2100 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
        tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 ||
        tm.tm_min > 59)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t tt = timegm(&tm) - EVENT_TZ_OFFSET;
    struct tm utc;
    gmtime_r(&tt, &utc);
    strftime(iso, 32, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return true;
}

static err_code participant_row(run *u, const char *const *row, import_row *ir, err *re)
{
    dctx *c = u->c;
    const char *cat = cell(u, row, "category"), *br = cell(u, row, "brings");
    registration_input in = {
        .name = cell(u, row, "name"),
        .org_name = cell(u, row, "org_name"),
        .category = cat ? conv_one(SHEET_CATEGORY, cat) : "other",
        .brings = br ? conv_one(SHEET_BRINGS, br) : "neither",
        .phone = cell(u, row, "phone"),
        .email = cell(u, row, "email"),
    };
    ir->title = in.name ? in.name : "";
    ir->org = in.org_name ? in.org_name : "";
    const char *k = person_key(u->keep, in.name, in.org_name);
    for (int i = 0; i < u->nseen; i++)
        if (str_eq(u->seen[i], k)) {
            flag_dup(u, ir, "import.dup.same_person", 0, in.name);
            break;
        }
    if (*ir->dup_key && u->o->skip_duplicates) {
        ir->skipped = true;
        return ERR_OK;
    }
    const char *st = cell(u, row, "status");
    const char *want = st ? conv_one(SHEET_REG_STATUS, st) : NULL;
    bool bad_status =
        want && !str_eq(want, "pending") && !str_eq(want, "approved") && !str_eq(want, "rejected");
    const char *at = cell(u, row, "checked_in_at");
    char iso[32];
    int64_t id;
    const char *token;
    if (bad_status || registration_create(c, u->o->event_id, &in, &id, &token, re)) {
        if (bad_status)
            err_set(re, ERR_INVALID, "status", "err.choice",
                    "status must be pending, approved or rejected");
        if (re->code != ERR_INVALID) return re->code;
        /* the row is bad: list every problem of it, the first one first */
        if (bad_status) add_extra(u, re);
        registration_check_all(c, u->o->event_id, &in, add_extra, u);
        if (u->nextra && at && !local_to_utc(at, iso)) {
            err pe = {0};
            err_set(&pe, ERR_INVALID, "checked_in_at", "err.date",
                    "checked_in_at must be YYYY-MM-DD HH:MM");
            add_extra(u, &pe);
        }
        return re->code;
    }
    registration_rec r;
    if (want && registration_get(c, u->o->event_id, id, &r, re) == ERR_OK &&
        !str_eq(r.status, want)) {
        if (str_eq(want, "pending"))
            return err_set(re, ERR_INVALID, "status", "import.err.pending",
                           "this event needs no approval: a participant cannot be pending");
        if (registration_decide(c, u->o->event_id, id,
                                str_eq(want, "approved") ? "approve" : "reject", re))
            return re->code;
    }
    if (at) { /* a check-in time from an export: local "YYYY-MM-DD HH:MM" → UTC ISO */
        if (!local_to_utc(at, iso))
            return err_set(re, ERR_INVALID, "checked_in_at", "err.date",
                           "checked_in_at must be YYYY-MM-DD HH:MM");
        bool done = false;
        if (store_registration_checkin(c->db, id, iso, 0, &done, re)) return re->code;
        if (!done)
            return err_set(re, ERR_INVALID, "checked_in_at", "event.err.not_approved",
                           "only approved participants can be checked in");
    }
    seen_add(u, k);
    ir->id = id;
    remember(u, id, ir->row);
    return ERR_OK;
}

static err_code event_row(run *u, const char *const *row, import_row *ir, err *re)
{
    dctx *c = u->c;
    arena *a = c->a;
    const char *fv = cell(u, row, "fields");
    char **fs;
    int nf = input_split_list(a, fv, &fs);
    buf fb = {0};
    for (int i = 0; i < nf; i++) {
        const char *code = sheet_field_code(fs[i]);
        buf_printf(&fb, "%s%s", i ? "," : "", code ? code : fs[i]);
    }
    const char *dl = cell(u, row, "reg_deadline");
    event_input in = {
        .title = cell(u, row, "title"),
        .title_en = cell(u, row, "title_en"),
        .orgs = cell(u, row, "orgs"),
        .venue = cell(u, row, "venue"),
        .date = conv_date(a, cell(u, row, "date")),
        .start_time = cell(u, row, "start_time"),
        .end_time = cell(u, row, "end_time"),
        .fields = arena_strdup(a, fb.s ? fb.s : ""),
        .description = cell(u, row, "description"),
        .capacity = cell(u, row, "capacity"),
        .reg_deadline = dl ? arena_strdup(a, dl) : NULL,
        .needs_approval = conv_bool(cell(u, row, "needs_approval")),
    };
    buf_free(&fb);
    if (in.reg_deadline) { /* "2026-11-20 18:00" as Excel shows it → "2026-11-20T18:00" */
        char *sp = strchr((char *)in.reg_deadline, ' ');
        if (sp && sp - in.reg_deadline == 10) *sp = 'T';
    }
    ir->title = in.title ? in.title : "";
    ir->org = in.venue ? in.venue : "";
    const char *st = cell(u, row, "status");
    const char *status = st ? conv_one(SHEET_STATUS, st) : "draft";
    bool bad_status = !str_eq(status, "draft") && !str_eq(status, "published");
    int64_t id;
    if (bad_status || event_create(c, &in, &id, re)) {
        if (bad_status)
            err_set(re, ERR_INVALID, "status", "err.choice", "status must be draft or published");
        if (re->code != ERR_INVALID) return re->code;
        /* the row is bad: list every problem of it, the first one first */
        if (bad_status) add_extra(u, re);
        event_check_all(c, &in, add_extra, u);
        return re->code;
    }
    if (str_eq(status, "published") && event_transition(c, id, "publish", re)) return re->code;
    ir->id = id;
    remember(u, id, ir->row);
    return ERR_OK;
}

/* The duplicate key of an intention: its title (normalized), organizations and event. */
static const char *intention_key(arena *a, const char *title, int64_t oa, int64_t ob, int64_t ev)
{
    char t[512];
    norm(title ? title : "", t, sizeof t);
    return arena_printf(a, "%s\x1f%lld\x1f%lld\x1f%lld", t, (long long)oa, (long long)ob,
                        (long long)ev);
}

/* One more problem of the current intention row. */
static void row_problem(run *u, const char *field, const char *key, const char *fmt,
                        const char *arg)
{
    err pe = {0};
    err_set(&pe, ERR_INVALID, field, key, fmt, arg ? arg : "");
    add_extra(u, &pe);
}

/* Names → ids, the recorded stage checked by intention_check_recorded, every problem of the row
 * listed; then intention_import writes it. */
static err_code intention_row(run *u, const char *const *row, import_row *ir, err *re)
{
    dctx *c = u->c;
    arena *a = c->a;
    intention_rec r = {.amount_centi = -1, .contract_type = "", .signed_on = ""};
    r.title = cell(u, row, "title");
    r.note = cell(u, row, "note");
    const char *src = cell(u, row, "source");
    r.source = src ? conv_one(SHEET_SOURCE, src) : "manual";
    const char *on[2] = {cell(u, row, "org_a"), cell(u, row, "org_b")};
    const char *evt = cell(u, row, "event");
    const char *lt[2] = {cell(u, row, "achievement"), cell(u, row, "need")};
    ir->title = r.title ? r.title : "";
    ir->org = on[0] ? on[0] : on[1] ? on[1] : "";
    const char *t = input_clean(a, r.title);
    if (!t || !*t) row_problem(u, "title", "err.required", "title is required%s", NULL);
    if (!str_eq(r.source, "meeting") && !str_eq(r.source, "match") && !str_eq(r.source, "manual"))
        row_problem(
            u, "source", "err.choice",
            "source \"%s\" is not 来自洽谈 (meeting), 来自匹配 (match) or 手工登记 (manual)",
            r.source);
    static const char *const of[2] = {"org_a", "org_b"};
    int64_t *oid[2] = {&r.org_a_id, &r.org_b_id};
    for (int k = 0; k < 2; k++) {
        if (!on[k]) continue;
        org_rec o;
        err oe = {0};
        if (!store_org_find_name(c->db, a, on[k], &o, &oe)) {
            *oid[k] = o.id;
        } else if (oe.code == ERR_NOT_FOUND) {
            row_problem(u, of[k], "err.unknown_org", "no organization is named \"%s\"", on[k]);
        } else {
            *re = oe;
            return re->code;
        }
    }
    if (!on[0] && !on[1])
        row_problem(u, "org_a", "err.required",
                    "name the organizations: org_a (supply side) or org_b (demand side)%s", NULL);
    /* an achievement is looked up among org_a's listings (then org_b's), a need among org_b's
     * (then org_a's): a title alone may be shared by several organizations */
    static const char *const lf[2] = {"achievement", "need"};
    int64_t *lid[2] = {&r.achievement_id, &r.need_id};
    for (int k = 0; k < 2; k++) {
        if (!lt[k]) continue;
        int64_t owners[2] = {*oid[k], *oid[1 - k]};
        for (int j = 0; j < 2 && !*lid[k]; j++) {
            err le = {0};
            if (owners[j] &&
                store_listing_find_title(c->db, lf[k], owners[j], lt[k], lid[k], &le)) {
                *re = le;
                return re->code;
            }
        }
        if (!*lid[k] && (r.org_a_id || r.org_b_id))
            row_problem(u, lf[k], k ? "intention.err.no_need" : "intention.err.no_achievement",
                        k ? "no need titled \"%s\" belongs to the row's organizations"
                          : "no achievement titled \"%s\" belongs to the row's organizations",
                        lt[k]);
    }
    if (evt) {
        event_rec *evs;
        int nev, found = 0;
        if (event_list(c, &evs, &nev, re)) return re->code;
        for (int i = 0; i < nev; i++)
            if (str_eq(str_trim(arena_strdup(a, evs[i].title)), evt)) {
                r.event_id = evs[i].id;
                found++;
            }
        if (!found)
            row_problem(u, "event", "intention.err.no_event", "no event is titled \"%s\"", evt);
        else if (found > 1)
            row_problem(u, "event", "import.err.event_ambiguous",
                        "several events are titled \"%s\": rename one before importing", evt);
    }
    const char *st = cell(u, row, "stage"), *ct = cell(u, row, "contract_type");
    intention_recorded rec = {
        .stage = st ? conv_one(SHEET_STAGE, st) : NULL,
        .contract_type = ct ? conv_one(SHEET_CTYPE, ct) : NULL,
        .amount = conv_amount(a, cell(u, row, "amount_wan")),
        .signed_on = conv_date(a, cell(u, row, "signed_on")),
        .reason = cell(u, row, "terminate_reason"),
    };
    intention_check_recorded(&rec, &r.amount_centi, add_extra, u);
    r.stage = rec.stage;
    if (rec.contract_type) r.contract_type = rec.contract_type;
    if (rec.signed_on) r.signed_on = rec.signed_on;
    r.terminate_reason = rec.reason ? rec.reason : "";
    static const char *const df[2] = {"created_at", "updated_at"};
    const char **dv[2] = {&r.created_at, &r.updated_at};
    for (int k = 0; k < 2; k++) {
        const char *v = cell(u, row, df[k]);
        char iso[32];
        *dv[k] = "";
        if (!v) continue;
        if (local_to_utc(v, iso))
            *dv[k] = arena_strdup(a, iso);
        else
            row_problem(u, df[k], "err.date", "\"%s\" is not YYYY-MM-DD HH:MM", v);
    }
    if (u->nextra) {
        *re = u->extra[0];
        return ERR_INVALID;
    }
    const char *k = intention_key(u->keep, t, r.org_a_id, r.org_b_id, r.event_id);
    for (int i = 0; i < u->nseen; i++)
        if (str_eq(u->seen[i], k)) {
            flag_dup(u, ir, "import.dup.same_intention", 0, t);
            break;
        }
    if (*ir->dup_key && u->o->skip_duplicates) {
        ir->skipped = true;
        return ERR_OK;
    }
    if (intention_import(c, &r, re)) return re->code;
    seen_add(u, k);
    ir->id = r.id;
    remember(u, r.id, ir->row);
    return ERR_OK;
}

bool import_kind_valid(const char *kind)
{
    return str_eq(kind, "achievements") || str_eq(kind, "needs") || str_eq(kind, "orgs") ||
           str_eq(kind, "participants") || str_eq(kind, "events") || str_eq(kind, "intentions");
}

/* ---- the run, row by row ----
 * imp_start checks who and what; imp_header maps the columns and opens the transaction;
 * imp_row checks and writes one row in an arena of its own (c->a is switched to it), keeping
 * in the report only what it must: the issues, the counts, and a preview row for each of the
 * first IMPORT_PREVIEW_ROWS rows and for every bad, duplicate or skipped row; imp_finish
 * commits or rolls back. So memory holds one row of work, not the file's table. */
static err_code imp_start(run *u, dctx *c, const import_options *o, import_report *r, err *e)
{
    memset(r, 0, sizeof *r);
    memset(u, 0, sizeof *u);
    r->kind = o->kind;
    r->dry_run = o->dry_run;
    u->c = c;
    u->opt = *o;
    u->o = &u->opt;
    u->r = r;
    u->keep = c->a;
    if (!import_kind_valid(o->kind))
        return err_set(
            e, ERR_INVALID, "kind", "err.choice",
            "kind must be achievements, needs, orgs, participants, events or intentions");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "only organizers import");
    u->part = str_eq(o->kind, "participants");
    if (u->part) {
        event_rec ev;
        if (!o->event_id)
            return err_set(e, ERR_INVALID, "event", "import.err.event",
                           "participants are imported into an event: give --event ID");
        if (event_get(c, o->event_id, &ev, e)) return e->code;
    }
    u->cols = sheet_cols(o->kind, &u->ncols);
    return ERR_OK;
}

static err_code imp_header(void *ctx, int ncols, const char *const *header, const char *encoding,
                           long hint, err *e)
{
    run *u = ctx;
    dctx *c = u->c;
    arena *a = u->keep;
    import_report *r = u->r;
    r->encoding = encoding;
    r->ncols = ncols;
    r->columns = header;
    r->mapped = arena_alloc(a, (size_t)(ncols ? ncols : 1) * sizeof *r->mapped);
    for (int j = 0; j < ncols; j++) {
        int i = map_header(u->cols, u->ncols, header[j]);
        r->mapped[j] = i >= 0 && !u->cols[i].export_only && !str_eq(u->cols[i].field, "id")
                           ? u->cols[i].field
                           : NULL;
        for (int k = 0; k < j && r->mapped[j]; k++)
            if (r->mapped[k] && str_eq(r->mapped[k], r->mapped[j]))
                return err_set(e, ERR_INVALID, NULL, "import.err.dup_column",
                               "columns \"%s\" and \"%s\" both mean %s", header[k], header[j],
                               r->mapped[j]);
    }
    int known = 0;
    for (int j = 0; j < ncols; j++)
        known += r->mapped[j] != NULL;
    if (!known)
        return err_set(e, ERR_INVALID, NULL, "import.err.no_columns",
                       "no column header is known: use the template's first row");
    /* the near-duplicate search costs a query per row: big files get the exact check only (by
     * the reader's count; without one, the search stops after IMPORT_SIMILAR_MAX_ROWS rows) */
    bool listings = str_eq(u->o->kind, "achievements") || str_eq(u->o->kind, "needs");
    if (!listings || hint > IMPORT_SIMILAR_MAX_ROWS) u->opt.similar = false;
    if (u->opt.similar) {
        err me = {0};
        if (matching_start(c->db, &me)) u->opt.similar = false;
    }
    if (str_eq(u->o->kind, "intentions")) {
        intention_rec *ins;
        int nins;
        if (intention_list(c, "", "", &ins, &nins, e)) return e->code;
        for (int i = 0; i < nins; i++)
            seen_add(u, intention_key(a, ins[i].title, ins[i].org_a_id, ins[i].org_b_id,
                                      ins[i].event_id));
    }
    if (u->part) {
        registration_rec *regs;
        int nregs;
        if (registration_list(c, u->o->event_id, NULL, &regs, &nregs, e)) return e->code;
        for (int i = 0; i < nregs; i++)
            seen_add(u, person_key(a, regs[i].name, regs[i].org_name));
    }
    if (db_begin(c->db, e)) return e->code;
    u->began = true;
    return ERR_OK;
}

static err_code imp_row(void *ctx, int rownum, const char *const *cells, err *e)
{
    (void)e;
    run *u = ctx;
    dctx *c = u->c;
    import_report *r = u->r;
    if (r->nrows >= IMPORT_SIMILAR_MAX_ROWS) u->opt.similar = false;
    arena *ra = arena_new();
    c->a = ra;
    u->extra = NULL;
    u->nextra = u->capextra = 0;
    import_row ir = {.row = rownum, .dup_key = ""};
    err re = {0};
    err_code rc = u->part                            ? participant_row(u, cells, &ir, &re)
                  : str_eq(u->o->kind, "orgs")       ? org_row(u, cells, &ir, &re)
                  : str_eq(u->o->kind, "events")     ? event_row(u, cells, &ir, &re)
                  : str_eq(u->o->kind, "intentions") ? intention_row(u, cells, &ir, &re)
                                                     : listing_row(u, cells, &ir, &re);
    c->a = u->keep;
    arena *a = u->keep;
    if (rc) {
        ir.bad = true;
        r->nbad++;
        if (!u->nextra) add_issue(r, a, ir.row, column_of(r, u->cols, u->ncols, re.field), &re);
        for (int i = 0; i < u->nextra; i++)
            add_issue(r, a, ir.row, column_of(r, u->cols, u->ncols, u->extra[i].field),
                      &u->extra[i]);
    } else if (ir.skipped) {
        r->nskipped++;
    } else {
        r->nok++;
    }
    if (r->nrows < IMPORT_PREVIEW_ROWS || ir.bad || ir.skipped || *ir.dup_key) {
        if (r->npreview == u->cappreview) {
            int ncap = u->cappreview ? u->cappreview * 2 : 64;
            import_row *n = arena_alloc(a, (size_t)ncap * sizeof *n);
            if (r->rows) memcpy(n, r->rows, (size_t)r->npreview * sizeof *n);
            r->rows = n;
            u->cappreview = ncap;
        }
        ir.title = arena_strdup(a, ir.title ? ir.title : "");
        ir.org = arena_strdup(a, ir.org ? ir.org : "");
        ir.dup_title = arena_strdup(a, ir.dup_title ? ir.dup_title : "");
        r->rows[r->npreview++] = ir;
    }
    r->nrows++;
    u->extra = NULL;
    u->nextra = u->capextra = 0;
    arena_free(ra);
    return ERR_OK;
}

/* Ends the run: rc is the reader's (or the header's) outcome. */
static err_code imp_finish(run *u, err_code rc, err *e)
{
    dctx *c = u->c;
    import_report *r = u->r;
    free(u->w);
    free(u->seen);
    u->w = NULL;
    u->seen = NULL;
    if (rc) { /* a broken file or column header: nothing was imported, nothing to preview */
        if (u->began) db_rollback(c->db);
        const char *kind = r->kind;
        bool dry = r->dry_run;
        memset(r, 0, sizeof *r);
        r->kind = kind;
        r->dry_run = dry;
        return rc;
    }
    if (u->o->dry_run || r->nbad) {
        db_rollback(c->db);
        r->written = 0;
        if (r->nbad && !u->o->dry_run)
            return err_set(e, ERR_INVALID, NULL, "import.err.bad_rows",
                           "%d of %d rows are bad; nothing was imported", r->nbad, r->nrows);
        return ERR_OK;
    }
    if (db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    r->written = r->nok;
    return ERR_OK;
}

err_code import_table(dctx *c, const import_options *o, const io_table *t, import_report *r, err *e)
{
    run u;
    if (imp_start(&u, c, o, r, e)) return e->code;
    err_code rc = imp_header(&u, t->ncols, t->header, t->encoding, t->nrows, e);
    for (int i = 0; !rc && i < t->nrows; i++)
        rc = imp_row(&u, t->rownum[i], t->rows[i], e);
    return imp_finish(&u, rc, e);
}

err_code import_file(dctx *c, const import_options *o, const char *name, const char *data,
                     size_t len, import_report *r, err *e)
{
    memset(r, 0, sizeof *r);
    r->kind = o->kind;
    r->dry_run = o->dry_run;
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && (!strcasecmp(dot, ".json") || !strcasecmp(dot, ".jsonl"))) {
        /* JSON keeps the API's field names and codes: transfer.c, all or nothing */
        if (str_eq(o->kind, "participants"))
            return err_set(e, ERR_INVALID, "kind", "import.err.json_participants",
                           "participants are imported from CSV or XLSX");
        if (str_eq(o->kind, "intentions")) /* JSON names records by id, which another database
                                              does not share */
            return err_set(e, ERR_INVALID, "kind", "import.err.json_intentions",
                           "intentions are imported from CSV or XLSX");
        r->encoding = "json";
        int count = 0;
        if (o->dry_run) {
            if (db_begin(c->db, e)) return e->code;
            err_code rc = transfer_import(c, o->kind, data, len, &count, e);
            db_rollback(c->db);
            if (rc) return rc;
            r->nrows = r->nok = count;
            return ERR_OK;
        }
        if (transfer_import(c, o->kind, data, len, &count, e)) return e->code;
        r->nrows = r->nok = r->written = count;
        return ERR_OK;
    }
    run u;
    if (imp_start(&u, c, o, r, e)) return e->code;
    io_sink sink = {.ctx = &u, .header = imp_header, .row = imp_row};
    err_code rc = io_table_stream(c->a, name, data, len, &sink, e);
    return imp_finish(&u, rc, e);
}

json_t *import_report_to_json(const import_report *r, int max_rows)
{
    json_t *cols = json_array();
    for (int j = 0; j < r->ncols; j++)
        json_array_append_new(cols, json_pack("{s:s,s:s?}", "header", r->columns[j], "field",
                                              r->mapped ? r->mapped[j] : NULL));
    json_t *issues = json_array();
    for (int i = 0; i < r->nissues; i++) {
        const import_issue *is = &r->issues[i];
        json_array_append_new(issues, json_pack("{s:i,s:s,s:s,s:s,s:s}", "row", is->row, "column",
                                                is->column, "field", is->field, "key", is->key,
                                                "message", is->msg));
    }
    json_t *rows = json_array();
    for (int i = 0; r->rows && i < r->npreview && (max_rows < 0 || i < max_rows); i++) {
        const import_row *ir = &r->rows[i];
        json_t *row = json_pack("{s:i,s:s,s:s,s:s}", "row", ir->row, "title", ir->title, "org",
                                ir->org, "status",
                                ir->bad        ? "bad"
                                : ir->skipped  ? "skipped"
                                : *ir->dup_key ? "duplicate"
                                               : "ok");
        if (*ir->dup_key)
            json_object_set_new(row, "duplicate",
                                json_pack("{s:s,s:I,s:i,s:s}", "key", ir->dup_key, "id",
                                          (json_int_t)ir->dup_id, "row", ir->dup_row, "title",
                                          ir->dup_title));
        if (ir->id) json_object_set_new(row, "id", json_integer(ir->id));
        json_array_append_new(rows, row);
    }
    return json_pack("{s:s,s:s,s:b,s:i,s:i,s:i,s:i,s:i,s:i,s:o,s:o,s:o}", "kind", r->kind,
                     "encoding", r->encoding ? r->encoding : "", "dry_run", r->dry_run, "rows",
                     r->nrows, "ok", r->nok, "bad", r->nbad, "duplicates", r->ndup, "skipped",
                     r->nskipped, "written", r->written, "columns", cols, "issues", issues,
                     "preview", rows);
}

/* ---- templates ---- */
static const char *allowed_values(arena *a, const char *field, const char *kind)
{
    int t = -1;
    if (str_eq(field, "transfer_modes") || str_eq(field, "cooperation")) t = SHEET_MODES;
    if (str_eq(field, "type")) t = str_eq(kind, "orgs") ? SHEET_ORG_TYPE : SHEET_NEED_TYPE;
    if (str_eq(field, "status")) t = str_eq(kind, "participants") ? SHEET_REG_STATUS : SHEET_STATUS;
    if (str_eq(field, "category")) t = SHEET_CATEGORY;
    if (str_eq(field, "brings")) t = SHEET_BRINGS;
    if (str_eq(field, "stage")) t = SHEET_STAGE;
    if (str_eq(field, "source")) t = SHEET_SOURCE;
    if (str_eq(field, "contract_type")) t = SHEET_CTYPE;
    buf b = {0};
    if (t >= 0) {
        for (int i = 0; i < tables[t].n; i++) {
            if (t == SHEET_MODES && str_eq(kind, "achievements") &&
                str_eq(tables[t].t[i].code, "commission"))
                continue;
            buf_printf(&b, "%s%s", b.len ? "、" : "", tables[t].t[i].zh);
        }
    } else if (str_eq(field, "field")) {
        int n;
        const field_rec *fs = taxonomy_fields(&n);
        for (int i = 0; i < n; i++)
            buf_printf(&b, "%s%s", b.len ? "、" : "", sheet_field_label(a, fs[i].code));
    }
    const char *out = arena_strdup(a, b.s ? b.s : "");
    buf_free(&b);
    return out;
}

err_code import_template(dctx *c, const char *kind, const char *format, buf *out, err *e)
{
    if (!import_kind_valid(kind))
        return err_set(
            e, ERR_INVALID, "kind", "err.choice",
            "kind must be achievements, needs, orgs, participants, events or intentions");
    int n;
    const sheet_col *cols = sheet_cols(kind, &n);
    const char **header = arena_alloc(c->a, (size_t)n * sizeof *header);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!cols[i].export_only) header[k++] = cols[i].header;
    if (str_eq(format, "csv")) {
        io_csv_write(out, k, header, 0, NULL);
        return ERR_OK;
    }
    if (!str_eq(format, "xlsx"))
        return err_set(e, ERR_INVALID, "format", "err.choice", "format must be xlsx or csv");
    static const char *nh[] = {"列 Column", "必填 Required", "说明", "Notes", "可选值 Values"};
    const char ***rows = arena_alloc(c->a, (size_t)n * sizeof *rows);
    int nr = 0;
    for (int i = 0; i < n; i++) {
        if (cols[i].export_only) continue;
        const char **row = arena_alloc(c->a, 5 * sizeof *row);
        row[0] = cols[i].header;
        row[1] = cols[i].required ? "是 yes" : "";
        row[2] = cols[i].note_zh;
        row[3] = cols[i].note_en;
        row[4] = allowed_values(c->a, cols[i].field, kind);
        rows[nr++] = row;
    }
    static const double nw[] = {26, 14, 40, 40, 60};
    io_sheet sheets[2] = {
        {.name = "数据 Data", .ncols = k, .header = header, .nrows = 0},
        {.name = "填写说明 Notes",
         .ncols = 5,
         .header = nh,
         .nrows = nr,
         .rows = (const char *const *const *)rows,
         .widths = nw},
    };
    return io_xlsx_write(out, sheets, 2, e);
}

static err_code need_uploader(dctx *c, err *e)
{
    if (!c->user) return err_set(e, ERR_UNAUTH, NULL, "err.signin", "sign in first");
    if (!dctx_is_staff(c))
        return err_set(e, ERR_FORBIDDEN, NULL, "err.forbidden", "imports are for organizers");
    return ERR_OK;
}

err_code import_upload_save(dctx *c, const import_upload_rec *u, int64_t *id, err *e)
{
    if (need_uploader(c, e)) return e->code;
    import_upload_rec own = *u;
    own.user_id = c->user->id;
    return store_import_put(c->db, &own, id, e);
}

err_code import_upload_get(dctx *c, int64_t id, import_upload_rec *out, err *e)
{
    if (need_uploader(c, e)) return e->code;
    return store_import_get(c->db, c->a, id, c->user->id, out, e);
}

err_code import_upload_confirm(dctx *c, const import_upload_rec *u, const import_options *o,
                               import_report *r, err *e)
{
    memset(r, 0, sizeof *r);
    if (need_uploader(c, e) || db_begin(c->db, e)) return e->code;
    if (store_import_claim(c->db, u->id, c->user->id, e) ||
        import_file(c, o, u->filename, u->data, u->len, r, e) || db_commit(c->db, e)) {
        db_rollback(c->db);
        return e->code;
    }
    return ERR_OK;
}
