-- PostgreSQL twin of ../022_unit_policies.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- A unit's policy for its subtree (bot/domain/policy.py): setting → choice code, only what the unit set itself
-- (absent: the units above decide). `told` is what the branches below were last told about: once a change has been
-- quiet a few minutes, each branch whose rules it changed is told once, and `told` catches up.
CREATE TABLE unit_policies (
    unit_id    BIGINT PRIMARY KEY REFERENCES units(id),
    vals       TEXT COLLATE "C"    NOT NULL DEFAULT '{}',
    told       TEXT COLLATE "C"    NOT NULL DEFAULT '{}',
    changed_at TEXT COLLATE "C"    NOT NULL,
    changed_by BIGINT                            -- the officer's Telegram id (NULL: the command line)
);
