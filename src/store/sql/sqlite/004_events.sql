-- 004: matchmaking events (对接会): events and their co-organizers, registrations (with the
-- listings each participant brings), check-in, and the agenda. Roadshows, judging and 1:1
-- meetings hang off events(id) and registrations(id) in later migrations.

-- Server-wide secrets and settings, one row per key (e.g. checkin_key: the HMAC key that signs
-- check-in links, created on first use by domain/event.c).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Times are local to the event (Asia/Shanghai, UTC+8, no daylight saving): date YYYY-MM-DD,
-- start_time/end_time HH:MM, reg_deadline YYYY-MM-DDTHH:MM. Audit time stamps are UTC ISO 8601.
CREATE TABLE events (
  id             INTEGER PRIMARY KEY,
  title          TEXT NOT NULL,
  title_en       TEXT NOT NULL DEFAULT '',
  venue          TEXT NOT NULL,
  date           TEXT NOT NULL,
  start_time     TEXT NOT NULL,
  end_time       TEXT NOT NULL,
  fields         TEXT NOT NULL DEFAULT ',',   -- ",biomed,biomed.api," focus fields (taxonomy codes)
  description    TEXT NOT NULL DEFAULT '',
  capacity       INTEGER CHECK (capacity > 0), -- NULL = unlimited
  reg_deadline   TEXT,                        -- NULL = until the event ends
  needs_approval INTEGER NOT NULL DEFAULT 0,
  status         TEXT NOT NULL CHECK (status IN ('draft','published')),
  created_by     INTEGER REFERENCES users(id),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  published_at   TEXT
);
CREATE INDEX events_status_date ON events(status, date);

-- Co-organizing organizations, in the order given.
CREATE TABLE event_orgs (
  event_id INTEGER NOT NULL REFERENCES events(id),
  org_id   INTEGER NOT NULL REFERENCES orgs(id),
  sort     INTEGER NOT NULL,
  PRIMARY KEY (event_id, org_id)
);

-- One row per person and event. email is stored lower-cased: one registration per address.
-- token: the random capability (32 hex) in the badge link; kept in clear so organizers can
-- reprint badges. Capacity counts pending and approved rows.
CREATE TABLE registrations (
  id            INTEGER PRIMARY KEY,
  event_id      INTEGER NOT NULL REFERENCES events(id),
  user_id       INTEGER REFERENCES users(id),
  org_id        INTEGER REFERENCES orgs(id),
  name          TEXT NOT NULL,
  org_name      TEXT NOT NULL,
  category      TEXT NOT NULL CHECK (category IN ('university','institute','enterprise','government','other')),
  brings        TEXT NOT NULL CHECK (brings IN ('achievements','needs','both','neither')),
  phone         TEXT NOT NULL DEFAULT '',
  email         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
  token         TEXT NOT NULL UNIQUE,
  checked_in_at TEXT,
  checked_in_by INTEGER REFERENCES users(id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (event_id, email)
);
CREATE INDEX registrations_event ON registrations(event_id, status);

-- The published listings a member brings to the event (their own organization's).
CREATE TABLE registration_listings (
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  listing_id      INTEGER NOT NULL REFERENCES listings(id),
  PRIMARY KEY (registration_id, listing_id)
);

-- The agenda: sessions of an event, times HH:MM on the event's date.
CREATE TABLE event_sessions (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events(id),
  kind       TEXT NOT NULL CHECK (kind IN ('opening','roadshow','matchmaking','other')),
  title      TEXT NOT NULL,
  title_en   TEXT NOT NULL DEFAULT '',
  start_time TEXT NOT NULL,
  end_time   TEXT NOT NULL,
  place      TEXT NOT NULL DEFAULT '',
  speakers   TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX event_sessions_event ON event_sessions(event_id, start_time);
