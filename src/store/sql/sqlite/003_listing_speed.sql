-- 003: what the catalog list needs to stay fast at 100,000+ listings.
--
-- listings_filter holds, in list order (kind, status, id), every listings column the public
-- filters test (field, trl, modes, org_id). A filtered page walks it newest first and fetches
-- only the rows that match (descriptions spill onto overflow pages, so testing the filters on
-- the rows themselves cost several page reads per candidate); COUNT(*) of a filtered list reads
-- this index alone.
CREATE INDEX listings_filter ON listings(kind, status, id, field, trl, modes, org_id);

-- listing_generation holds one value that changes on every committed change to listings or orgs
-- (the list filters join orgs for type and region). Caches of query results over these tables
-- (the filtered-list totals in store/listing.c) are valid only while it is unchanged. The value is
-- random rather than a counter so that a rolled-back change can never make a later, different
-- state look like one already cached.
CREATE TABLE listing_generation (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  gen INTEGER NOT NULL
);
INSERT INTO listing_generation (id, gen) VALUES (1, random());

CREATE TRIGGER listings_gen_ins AFTER INSERT ON listings
BEGIN UPDATE listing_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER listings_gen_upd AFTER UPDATE ON listings
BEGIN UPDATE listing_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER listings_gen_del AFTER DELETE ON listings
BEGIN UPDATE listing_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER orgs_gen_ins AFTER INSERT ON orgs
BEGIN UPDATE listing_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER orgs_gen_upd AFTER UPDATE ON orgs
BEGIN UPDATE listing_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER orgs_gen_del AFTER DELETE ON orgs
BEGIN UPDATE listing_generation SET gen = random() WHERE id = 1; END;
