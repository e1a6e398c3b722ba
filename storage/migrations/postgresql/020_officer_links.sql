-- PostgreSQL twin of ../020_officer_links.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- An officer link is void once revoked: when an officer of its unit is removed (the removed one may hold any of
-- the unit's unused links), or when the officer who issued it is removed. It also expires
-- (ZHIBU_OFFICER_LINK_DAYS after created_at, checked when it is opened) and is used once (used_by).
ALTER TABLE officer_invites ADD COLUMN revoked_at TEXT COLLATE "C";
ALTER TABLE officer_invites ADD COLUMN used_at TEXT COLLATE "C";
CREATE INDEX officer_invites_by_unit ON officer_invites(unit_id) WHERE used_by IS NULL AND revoked_at IS NULL;
