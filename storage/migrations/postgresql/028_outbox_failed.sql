-- PostgreSQL twin of ../024_outbox_failed.sql (storage/schema.py): the same partial index.
-- The digest's 未能送达 section asks, branch by branch, for the messages given up on in the last day: failed rows
-- are few (kept after the prune for that), so this index holds only them and the query reads nothing else.
CREATE INDEX outbox_failed ON outbox(branch_id, updated_at) WHERE status = 'failed';
