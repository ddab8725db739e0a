-- 007: cooperation intentions (合作意向) and their follow-ups. An intention links an event
-- (optional), the 1:1 meeting it came from (optional), an achievement and/or a need, and one or
-- two organizations (org_a: the supply side when known, org_b: the demand side). Stages move
-- forward only: preliminary → negotiating → signed → implementing → completed, or terminated
-- (with a reason) from any open stage; see domain/intention.c. Contract data (type, amount in
-- hundredths of 万元, date YYYY-MM-DD) is set when the intention is signed.
CREATE TABLE intentions (
  id              INTEGER PRIMARY KEY,
  title           TEXT NOT NULL,
  source          TEXT NOT NULL CHECK (source IN ('meeting','match','manual')),
  event_id        INTEGER REFERENCES events(id),
  meeting_id      INTEGER REFERENCES meetings(id),
  achievement_id  INTEGER REFERENCES listings(id),
  need_id         INTEGER REFERENCES listings(id),
  org_a_id        INTEGER REFERENCES orgs(id),
  org_b_id        INTEGER REFERENCES orgs(id),
  stage           TEXT NOT NULL CHECK (stage IN ('preliminary','negotiating','signed','implementing','completed','terminated')),
  contract_type   TEXT CHECK (contract_type IN ('development','transfer','license','consulting','service')),
  amount_centi    INTEGER CHECK (amount_centi >= 0),  -- contract amount, 0.01 万元
  signed_on       TEXT,
  terminate_reason TEXT NOT NULL DEFAULT '',
  note            TEXT NOT NULL DEFAULT '',
  created_by      INTEGER REFERENCES users(id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK (org_a_id IS NOT NULL OR org_b_id IS NOT NULL)
);
CREATE INDEX intentions_event ON intentions(event_id, stage);
CREATE INDEX intentions_org_a ON intentions(org_a_id);
CREATE INDEX intentions_org_b ON intentions(org_b_id);

-- Follow-ups of an intention: what to do by when (due_date YYYY-MM-DD, local) and whether done.
CREATE TABLE intention_followups (
  id           INTEGER PRIMARY KEY,
  intention_id INTEGER NOT NULL REFERENCES intentions(id),
  text         TEXT NOT NULL,
  due_date     TEXT NOT NULL,
  done         INTEGER NOT NULL DEFAULT 0,
  created_by   INTEGER REFERENCES users(id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX intention_followups_due ON intention_followups(done, due_date);
CREATE INDEX intention_followups_intention ON intention_followups(intention_id);
