-- PostgreSQL twin of ../025_checkin_codes.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- A meeting's own secret for its check-in code (bot/domain/checkin_proof.py): made when the code is first shown.
ALTER TABLE meetings ADD COLUMN checkin_secret TEXT COLLATE "C";
