-- 001: the catalog: fields, organizations, users, sessions, tokens, listings, history.
CREATE TABLE fields (
  code     TEXT PRIMARY KEY,
  parent   TEXT REFERENCES fields(code),
  name_zh  TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  sort     INTEGER NOT NULL
);

CREATE TABLE orgs (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  name_en    TEXT NOT NULL DEFAULT '',
  type       TEXT NOT NULL CHECK (type IN ('university','institute','enterprise','government','service')),
  region     TEXT NOT NULL DEFAULT '',
  verified   INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('admin','organizer','inst_member','ent_member','expert')),
  org_id     INTEGER REFERENCES orgs(id),
  pw_hash    TEXT NOT NULL,
  disabled   INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  csrf       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Achievements and needs share one table: most columns and every rule about state,
-- ownership and history are the same. Kind-specific columns are NULL for the other kind.
CREATE TABLE listings (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('achievement','need')),
  org_id        INTEGER NOT NULL REFERENCES orgs(id),
  title         TEXT NOT NULL,
  summary       TEXT NOT NULL DEFAULT '',
  description   TEXT NOT NULL DEFAULT '',
  advantages    TEXT NOT NULL DEFAULT '',
  field         TEXT NOT NULL REFERENCES fields(code),
  keywords      TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  trl           INTEGER CHECK (trl BETWEEN 1 AND 9), -- achievement: maturity; need: minimum wanted
  patents       TEXT NOT NULL DEFAULT '[]',   -- JSON array of {number,status}
  modes         TEXT NOT NULL DEFAULT ',',    -- ",license,joint," transfer modes / wanted cooperation
  price_wan     INTEGER,                      -- achievement price / need budget, 万元; NULL = 面议
  need_type     TEXT CHECK (need_type IN ('product_rd','tech_breakthrough','industry_upgrade')),
  deadline      TEXT,
  anonymous     INTEGER NOT NULL DEFAULT 0,
  contact_name  TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  lang          TEXT NOT NULL DEFAULT 'zh-Hans',
  status        TEXT NOT NULL CHECK (status IN ('draft','submitted','published','archived')),
  reject_reason TEXT NOT NULL DEFAULT '',
  created_by    INTEGER REFERENCES users(id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  published_at  TEXT
);
CREATE INDEX listings_kind_status ON listings(kind, status, id);
CREATE INDEX listings_org ON listings(org_id);
CREATE INDEX listings_field ON listings(kind, field);

CREATE TABLE history (
  id        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  user_id   INTEGER REFERENCES users(id),
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL DEFAULT '',  -- JSON: changed fields {"title":["old","new"]} or a reason
  at        TEXT NOT NULL
);
CREATE INDEX history_entity ON history(entity, entity_id, id);
