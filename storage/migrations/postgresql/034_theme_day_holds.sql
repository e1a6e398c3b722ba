-- PostgreSQL twin of ../034_theme_day_holds.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- 主题党日+: the 三会一课 meetings a theme day also holds, comma-separated kinds ('assembly', 'assembly,lecture'):
-- scheduled once, one check-in, one tally, one make-up, and counted for each kind in compliance and the books.
-- A 党小组's own theme day is a theme day for 'group:<name>' without a month code (the branch's keeps that).
ALTER TABLE meetings ADD COLUMN holds TEXT COLLATE "C" NOT NULL DEFAULT '';
