-- PostgreSQL twin of ../019_officer_notice_nudges.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- Officers' notices share the branch notices' receipts-and-nudges core: their receipts count nudges (催读) too.
ALTER TABLE officer_notice_receipts ADD COLUMN nudges BIGINT NOT NULL DEFAULT 0;
