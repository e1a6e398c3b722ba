-- PostgreSQL twin of ../009_applied_updates.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- Telegram delivers an update again when the bot's offset was not confirmed (a stop, two pollers). Each update
-- that changed something is recorded here in the same transaction as its change, so a redelivery is skipped
-- and a crash before the commit lets the redelivery apply it. Pruned after two days (Telegram keeps unconfirmed
-- updates for 24 hours).
CREATE TABLE applied_updates (
    update_id  BIGINT PRIMARY KEY,
    applied_at TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX applied_updates_at ON applied_updates(applied_at);

-- How often a send of this row ended in "may have arrived" (timed out or cut off after the request went out):
-- such a row is sent again at most once.
ALTER TABLE outbox ADD COLUMN uncertain BIGINT NOT NULL DEFAULT 0;
