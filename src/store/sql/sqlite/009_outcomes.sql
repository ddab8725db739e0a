-- 009: the six-month outcome of an intention (issue 5, item 1) and published event results
-- (issue 5, item 3). Numbered 009 because 008 belongs to the import work; migrate.c applies
-- every version not yet recorded, in order, so either may land first.
--
-- A follow-up now has a kind: 'task' (a to-do with a due date, as before) or 'six_month' (六个月
-- 回访), which domain/intention.c creates when an intention is recorded for an event, due 182
-- days after the event's date. Recording a six-month follow-up takes an outcome and marks it
-- done; outcome_note is the caller's note; outcome_at the UTC time it was recorded.
ALTER TABLE intention_followups ADD COLUMN kind TEXT NOT NULL DEFAULT 'task'
  CHECK (kind IN ('task','six_month'));
ALTER TABLE intention_followups ADD COLUMN outcome TEXT
  CHECK (outcome IN ('no_contact','valuable_contact','negotiating','agreement'));
ALTER TABLE intention_followups ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
ALTER TABLE intention_followups ADD COLUMN outcome_at TEXT;
CREATE INDEX intention_followups_kind ON intention_followups(kind, intention_id);

-- The organizer publishes an event's results page (/events/:id/results) with this flag; until
-- then the public gets 404 and staff a preview.
ALTER TABLE events ADD COLUMN results_public INTEGER NOT NULL DEFAULT 0;

-- The outcome of a held 1:1 meeting (accepted and placed in a slot), recorded by the organizers
-- when they ask the pair about six months after the event, with the same four codes: "of 25
-- meetings held, N led to valuable contacts". One row per meeting; recording again replaces it
-- (history keeps each, entity "meeting", action "outcome").
CREATE TABLE meeting_outcomes (
  meeting_id  INTEGER PRIMARY KEY REFERENCES meetings(id),
  outcome     TEXT NOT NULL CHECK (outcome IN ('no_contact','valuable_contact','negotiating','agreement')),
  note        TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TEXT NOT NULL
);
