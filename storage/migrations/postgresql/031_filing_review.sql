-- PostgreSQL twin of ../024_filing_review.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- The unit's answer to what a branch filed (备案): 已审阅, or 退回 with a reason (the record goes back to the branch,
-- and is filed again once fixed); the last day the regulations give for reviewing it, and when the officers were
-- reminded — once — that it was past that day unreviewed.
ALTER TABLE filings ADD COLUMN review_status TEXT COLLATE "C" NOT NULL DEFAULT 'waiting';  -- waiting | reviewed | returned
ALTER TABLE filings ADD COLUMN review_by TEXT COLLATE "C";                                 -- local date, YYYY-MM-DD
ALTER TABLE filings ADD COLUMN reviewed_at TEXT COLLATE "C";
ALTER TABLE filings ADD COLUMN reviewed_by BIGINT;                            -- the officer's Telegram id
ALTER TABLE filings ADD COLUMN reviewed_by_name TEXT COLLATE "C";
ALTER TABLE filings ADD COLUMN review_comment TEXT COLLATE "C";
ALTER TABLE filings ADD COLUMN reminded_at TEXT COLLATE "C";
CREATE INDEX filings_review ON filings(unit_id, review_status, review_by);
