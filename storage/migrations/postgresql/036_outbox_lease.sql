-- PostgreSQL twin of ../036_outbox_lease.sql (storage/schema.py): the same columns and partial index.
-- The outbox shared by several processes: a claimed row carries who holds it (claimed_by, kept after the finish as
-- who sent it) and until when (lease_until). Only the holder may finish it; a row whose lease ran out (its holder
-- died) goes back to pending (storage/outbox.py's reap_expired), replacing the start-up release of 'sending' rows.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN lease_until TEXT COLLATE "C";
CREATE INDEX outbox_leased ON outbox(lease_until) WHERE status = 'sending';
