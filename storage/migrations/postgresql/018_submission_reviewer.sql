-- PostgreSQL twin of ../018_submission_reviewer.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- Who decided a submission, by name as shown then: a unit's officer who reviews (a task's submission, a 述职) may
-- be no member of any branch, so `decided_by` (a member) stays empty for them.
ALTER TABLE submissions ADD COLUMN decided_by_name TEXT COLLATE "C";
