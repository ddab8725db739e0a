/* routes.c — the route table: every URL duijie answers, who may call it, and whether it needs a
 * CSRF token. The router enforces roles and CSRF; ownership is checked in domain/. */
#include "web/http.h"

#define ANYONE 0
#define USER ROLE_ANY_USER
#define STAFF ROLE_STAFF
#define ACH (ROLE_STAFF | ROLE_INST)
#define NEED (ROLE_STAFF | ROLE_ENT)

const route web_routes[] = {
    /* pages */
    {"GET", "/", page_home, ANYONE, false, NULL},
    {"GET", "/healthz", page_health, ANYONE, false, NULL},
    {"GET", "/static/:w", page_static, ANYONE, false, NULL},
    {"GET", "/lang", page_lang, ANYONE, false, NULL},
    {"GET", "/login", page_login, ANYONE, false, NULL},
    {"POST", "/login", page_login_post, ANYONE, true, NULL},
    {"POST", "/logout", page_logout, USER, true, NULL},
    {"GET", "/account", page_account, USER, false, NULL},
    {"POST", "/account/password", page_account_password, USER, true, NULL},
    {"POST", "/account/tokens", page_token_create, USER, true, NULL},
    {"POST", "/account/tokens/:id/revoke", page_token_revoke, USER, true, NULL},
    {"GET", "/achievements", page_listing_list, ANYONE, false, "achievement"},
    {"GET", "/achievements/new", page_listing_new, ACH, false, "achievement"},
    {"POST", "/achievements", page_listing_create, ACH, true, "achievement"},
    {"GET", "/achievements/:id", page_listing_detail, ANYONE, false, "achievement"},
    {"GET", "/achievements/:id/edit", page_listing_edit, USER, false, "achievement"},
    {"POST", "/achievements/:id/edit", page_listing_update, USER, true, "achievement"},
    {"POST", "/achievements/:id/state", page_listing_state, USER, true, "achievement"},
    {"GET", "/needs", page_listing_list, ANYONE, false, "need"},
    {"GET", "/needs/new", page_listing_new, NEED, false, "need"},
    {"POST", "/needs", page_listing_create, NEED, true, "need"},
    {"GET", "/needs/:id", page_listing_detail, ANYONE, false, "need"},
    {"GET", "/needs/:id/edit", page_listing_edit, USER, false, "need"},
    {"POST", "/needs/:id/edit", page_listing_update, USER, true, "need"},
    {"POST", "/needs/:id/state", page_listing_state, USER, true, "need"},
    {"GET", "/mine", page_mine, USER, false, NULL},
    {"GET", "/review", page_review, STAFF, false, NULL},

    /* JSON API v1 */
    {"GET", "/api/v1/fields", api_fields, ANYONE, false, NULL},
    {"GET", "/api/v1/me", api_me, USER, false, NULL},
    {"GET", "/api/v1/search", api_search, ANYONE, false, NULL},
    {"GET", "/api/v1/orgs", api_orgs_list, ANYONE, false, NULL},
    {"POST", "/api/v1/orgs", api_org_create, STAFF, true, NULL},
    {"GET", "/api/v1/orgs/:id", api_org_get, ANYONE, false, NULL},
    {"GET", "/api/v1/achievements", api_listings_list, ANYONE, false, "achievement"},
    {"POST", "/api/v1/achievements", api_listing_create, ACH, true, "achievement"},
    {"GET", "/api/v1/achievements/:id", api_listing_get, ANYONE, false, "achievement"},
    {"PUT", "/api/v1/achievements/:id", api_listing_update, USER, true, "achievement"},
    {"PATCH", "/api/v1/achievements/:id", api_listing_update, USER, true, "achievement"},
    {"GET", "/api/v1/achievements/:id/history", api_listing_history, USER, false, "achievement"},
    {"GET", "/api/v1/achievements/:id/matches", api_listing_matches, ANYONE, false, "achievement"},
    {"POST", "/api/v1/achievements/:id/:w", api_listing_action, USER, true, "achievement"},
    {"GET", "/api/v1/needs", api_listings_list, ANYONE, false, "need"},
    {"POST", "/api/v1/needs", api_listing_create, NEED, true, "need"},
    {"GET", "/api/v1/needs/:id", api_listing_get, ANYONE, false, "need"},
    {"PUT", "/api/v1/needs/:id", api_listing_update, USER, true, "need"},
    {"PATCH", "/api/v1/needs/:id", api_listing_update, USER, true, "need"},
    {"GET", "/api/v1/needs/:id/history", api_listing_history, USER, false, "need"},
    {"GET", "/api/v1/needs/:id/matches", api_listing_matches, ANYONE, false, "need"},
    {"POST", "/api/v1/needs/:id/:w", api_listing_action, USER, true, "need"},
    {"GET", "/api/v1/tokens", api_tokens_list, USER, false, NULL},
    {"POST", "/api/v1/tokens", api_token_create, USER, true, NULL},
    {"DELETE", "/api/v1/tokens/:id", api_token_revoke, USER, true, NULL},
    {0},
};
