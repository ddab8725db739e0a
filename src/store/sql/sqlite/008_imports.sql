-- 008: spreadsheet imports. import_uploads holds a file an organizer uploaded for a preview
-- (dry run) until they confirm it, so the browser never sends it twice; rows expire after an
-- hour and are purged on the next upload. data is the file as base64 text (the driver binds
-- text only). listings_org_title serves the duplicate check "same title, same organization".
CREATE TABLE import_uploads (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  event_id    INTEGER,
  filename    TEXT NOT NULL,
  data        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
CREATE INDEX import_uploads_expires ON import_uploads(expires_at);
CREATE INDEX listings_org_title ON listings(org_id, title);
