-- PostgreSQL twin of ../037_meeting_hosts.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- Two new kinds of meeting ('study' 专题学习, 'leadership_life' 民主生活会) and meetings a unit hosts: exactly one of
-- branch_id / unit_id is set. PostgreSQL changes the constraints in place.
ALTER TABLE meetings DROP CONSTRAINT meetings_kind_check;
ALTER TABLE meetings ADD CONSTRAINT meetings_kind_check CHECK (kind IN ('theme_day', 'assembly', 'committee', 'group',
                                                                       'lecture', 'life', 'study', 'leadership_life'));
ALTER TABLE meetings ALTER COLUMN branch_id DROP NOT NULL;
ALTER TABLE meetings ADD COLUMN unit_id BIGINT REFERENCES units(id);
ALTER TABLE meetings ADD CONSTRAINT meetings_one_host CHECK ((branch_id IS NULL) <> (unit_id IS NULL));
CREATE INDEX meetings_by_unit ON meetings(unit_id, starts_at) WHERE unit_id IS NOT NULL;
