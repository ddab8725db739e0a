-- 005: roadshow judging (路演评审) of an event: its settings, the criteria with weights, the
-- presented projects (published achievements), the assigned judges (expert users) and their
-- scores. Weights are stored in thousandths (weight_milli 1500 = 1.5) to stay exact and
-- portable; scores are whole numbers 1–10 per criterion.

-- One row per event that has a roadshow, created with the default criteria on first use.
CREATE TABLE roadshows (
  event_id   INTEGER PRIMARY KEY REFERENCES events(id),
  normalize  INTEGER NOT NULL DEFAULT 0,  -- rank on per-judge z-scores
  closed     INTEGER NOT NULL DEFAULT 0,  -- scoring closed by the organizer
  published  INTEGER NOT NULL DEFAULT 0,  -- ranking visible to the public
  updated_at TEXT NOT NULL
);

CREATE TABLE roadshow_criteria (
  id           INTEGER PRIMARY KEY,
  event_id     INTEGER NOT NULL REFERENCES events(id),
  code         TEXT NOT NULL,
  name         TEXT NOT NULL,
  name_en      TEXT NOT NULL DEFAULT '',
  weight_milli INTEGER NOT NULL CHECK (weight_milli > 0),
  sort         INTEGER NOT NULL,
  UNIQUE (event_id, code)
);

-- sort: presentation order (1, 2, …); times HH:MM on the event's date, '' when not set.
CREATE TABLE roadshow_projects (
  id            INTEGER PRIMARY KEY,
  event_id      INTEGER NOT NULL REFERENCES events(id),
  listing_id    INTEGER NOT NULL REFERENCES listings(id),
  presenter     TEXT NOT NULL,
  presenter_org TEXT NOT NULL DEFAULT '',
  sort          INTEGER NOT NULL,
  start_time    TEXT NOT NULL DEFAULT '',
  end_time      TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (event_id, listing_id)
);
CREATE INDEX roadshow_projects_event ON roadshow_projects(event_id, sort);

CREATE TABLE roadshow_judges (
  event_id   INTEGER NOT NULL REFERENCES events(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (event_id, user_id)
);
CREATE INDEX roadshow_judges_user ON roadshow_judges(user_id);

CREATE TABLE roadshow_scores (
  project_id   INTEGER NOT NULL REFERENCES roadshow_projects(id),
  judge_id     INTEGER NOT NULL REFERENCES users(id),
  criterion_id INTEGER NOT NULL REFERENCES roadshow_criteria(id),
  score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (project_id, judge_id, criterion_id)
);
