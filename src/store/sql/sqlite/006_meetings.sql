-- 006: 1:1 meetings (洽谈) at events: requests between approved registrations, answers, expiry,
-- the organizer's slots and tables, scheduled cells, locks, published agendas, and in-app notices.

-- Per-event meeting settings; an event without a row uses the defaults.
CREATE TABLE meeting_settings (
  event_id       INTEGER PRIMARY KEY REFERENCES events(id),
  tables         INTEGER NOT NULL DEFAULT 10 CHECK (tables BETWEEN 1 AND 1000),
  expiry_minutes INTEGER NOT NULL DEFAULT 2880 CHECK (expiry_minutes BETWEEN 1 AND 525600),
  published      TEXT NOT NULL DEFAULT 'none' CHECK (published IN ('none','preliminary','final')),
  updated_at     TEXT NOT NULL
);

-- Meeting slots, inside one agenda session (kind matchmaking or other), HH:MM on the event date.
CREATE TABLE meeting_slots (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events(id),
  session_id INTEGER NOT NULL REFERENCES event_sessions(id),
  start_time TEXT NOT NULL,
  end_time   TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX meeting_slots_event ON meeting_slots(event_id, start_time);

-- A request from one registration to another of the same event. status: requested → accepted |
-- declined | expired (lazily, when expires_at, UTC, has passed) | cancelled (by the requester).
-- An accepted meeting is placed by the scheduler in (slot_id, table_no) or left unscheduled
-- (both NULL); locked meetings stay where they are when the scheduler runs again.
CREATE TABLE meetings (
  id           INTEGER PRIMARY KEY,
  event_id     INTEGER NOT NULL REFERENCES events(id),
  requester_id INTEGER NOT NULL REFERENCES registrations(id),
  invitee_id   INTEGER NOT NULL REFERENCES registrations(id),
  message      TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL CHECK (status IN ('requested','accepted','declined','expired','cancelled')),
  slot_id      INTEGER REFERENCES meeting_slots(id),
  table_no     INTEGER,
  locked       INTEGER NOT NULL DEFAULT 0,
  expires_at   TEXT NOT NULL,
  answered_at  TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  CHECK (requester_id <> invitee_id)
);
CREATE INDEX meetings_event ON meetings(event_id, status);
CREATE INDEX meetings_requester ON meetings(requester_id);
CREATE INDEX meetings_invitee ON meetings(invitee_id);

-- Slots in which a participant cannot meet (scheduler input).
CREATE TABLE meeting_unavailable (
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  slot_id         INTEGER NOT NULL REFERENCES meeting_slots(id),
  PRIMARY KEY (registration_id, slot_id)
);

-- In-app notices to a person, addressed by (lower-cased) email so that a registration that is
-- not linked to an account still reaches the account with that address. kind: request (received),
-- answer (accepted/declined: detail), schedule (changed or published).
CREATE TABLE notices (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL,
  event_id   INTEGER REFERENCES events(id),
  meeting_id INTEGER REFERENCES meetings(id),
  kind       TEXT NOT NULL CHECK (kind IN ('request','answer','schedule')),
  who        TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT '',
  read_at    TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX notices_email ON notices(email, read_at);
