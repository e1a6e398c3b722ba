-- PostgreSQL twin of ../008_member_menus.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- The command menu each member was last given (the commands, comma-separated), so /start and restarts
-- re-send a menu only when it changed, e.g. after an upgrade added commands or a role changed.
ALTER TABLE members ADD COLUMN menu TEXT COLLATE "C";
