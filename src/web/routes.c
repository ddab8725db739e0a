/* routes.c — the route table: every URL duijie answers, who may call it, whether it needs a
 * CSRF token, and whether anonymous reads may come from the catalog cache (last field). The
 * router enforces roles and CSRF; ownership is checked in domain/. */
#include "web/http.h"

#define ANYONE 0
#define USER ROLE_ANY_USER
#define STAFF ROLE_STAFF
#define ACH (ROLE_STAFF | ROLE_INST)
#define NEED (ROLE_STAFF | ROLE_ENT)

const route web_routes[] = {
    /* pages */
    {"GET", "/", page_home, ANYONE, false, NULL, true},
    {"GET", "/healthz", page_health, ANYONE, false, NULL, false},
    {"GET", "/static/:w", page_static, ANYONE, false, NULL, false},
    {"GET", "/lang", page_lang, ANYONE, false, NULL, false},
    {"GET", "/login", page_login, ANYONE, false, NULL, false},
    {"POST", "/login", page_login_post, ANYONE, true, NULL, false},
    {"POST", "/logout", page_logout, USER, true, NULL, false},
    {"GET", "/account", page_account, USER, false, NULL, false},
    {"POST", "/account/password", page_account_password, USER, true, NULL, false},
    {"POST", "/account/tokens", page_token_create, USER, true, NULL, false},
    {"POST", "/account/tokens/:id/revoke", page_token_revoke, USER, true, NULL, false},
    {"GET", "/achievements", page_listing_list, ANYONE, false, "achievement", true},
    {"GET", "/achievements/new", page_listing_new, ACH, false, "achievement", false},
    {"POST", "/achievements", page_listing_create, ACH, true, "achievement", false},
    {"GET", "/achievements/:id", page_listing_detail, ANYONE, false, "achievement", true},
    {"GET", "/achievements/:id/edit", page_listing_edit, USER, false, "achievement", false},
    {"POST", "/achievements/:id/edit", page_listing_update, USER, true, "achievement", false},
    {"POST", "/achievements/:id/state", page_listing_state, USER, true, "achievement", false},
    {"GET", "/needs", page_listing_list, ANYONE, false, "need", true},
    {"GET", "/needs/new", page_listing_new, NEED, false, "need", false},
    {"POST", "/needs", page_listing_create, NEED, true, "need", false},
    {"GET", "/needs/:id", page_listing_detail, ANYONE, false, "need", true},
    {"GET", "/needs/:id/edit", page_listing_edit, USER, false, "need", false},
    {"POST", "/needs/:id/edit", page_listing_update, USER, true, "need", false},
    {"POST", "/needs/:id/state", page_listing_state, USER, true, "need", false},
    {"GET", "/mine", page_mine, USER, false, NULL, false},
    {"GET", "/review", page_review, STAFF, false, NULL, false},

    /* JSON API v1 */
    {"GET", "/api/v1/fields", api_fields, ANYONE, false, NULL, true},
    {"GET", "/api/v1/me", api_me, USER, false, NULL, false},
    {"GET", "/api/v1/search", api_search, ANYONE, false, NULL, true},
    {"GET", "/api/v1/orgs", api_orgs_list, ANYONE, false, NULL, true},
    {"POST", "/api/v1/orgs", api_org_create, STAFF, true, NULL, false},
    {"GET", "/api/v1/orgs/:id", api_org_get, ANYONE, false, NULL, true},
    {"GET", "/api/v1/achievements", api_listings_list, ANYONE, false, "achievement", true},
    {"POST", "/api/v1/achievements", api_listing_create, ACH, true, "achievement", false},
    {"GET", "/api/v1/achievements/:id", api_listing_get, ANYONE, false, "achievement", true},
    {"PUT", "/api/v1/achievements/:id", api_listing_update, USER, true, "achievement", false},
    {"PATCH", "/api/v1/achievements/:id", api_listing_update, USER, true, "achievement", false},
    {"GET", "/api/v1/achievements/:id/history", api_listing_history, USER, false, "achievement", false},
    {"GET", "/api/v1/achievements/:id/matches", api_listing_matches, ANYONE, false, "achievement", true},
    {"POST", "/api/v1/achievements/:id/:w", api_listing_action, USER, true, "achievement", false},
    {"GET", "/api/v1/needs", api_listings_list, ANYONE, false, "need", true},
    {"POST", "/api/v1/needs", api_listing_create, NEED, true, "need", false},
    {"GET", "/api/v1/needs/:id", api_listing_get, ANYONE, false, "need", true},
    {"PUT", "/api/v1/needs/:id", api_listing_update, USER, true, "need", false},
    {"PATCH", "/api/v1/needs/:id", api_listing_update, USER, true, "need", false},
    {"GET", "/api/v1/needs/:id/history", api_listing_history, USER, false, "need", false},
    {"GET", "/api/v1/needs/:id/matches", api_listing_matches, ANYONE, false, "need", true},
    {"POST", "/api/v1/needs/:id/:w", api_listing_action, USER, true, "need", false},
    {"GET", "/api/v1/tokens", api_tokens_list, USER, false, NULL, false},
    {"POST", "/api/v1/tokens", api_token_create, USER, true, NULL, false},
    {"DELETE", "/api/v1/tokens/:id", api_token_revoke, USER, true, NULL, false},
    {0},
};
