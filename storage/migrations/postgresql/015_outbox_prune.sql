-- PostgreSQL twin of ../015_outbox_prune.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- Finished outbox rows are pruned after ZHIBU_OUTBOX_KEEP_DAYS; this index finds the old ones without a scan.
-- Failed rows are kept (the secretary's digest lists them); pending and sending ones are still in play.
CREATE INDEX outbox_finished ON outbox(updated_at) WHERE status IN ('sent', 'skipped', 'expired', 'cancelled');
