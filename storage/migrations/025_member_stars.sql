-- 党员星级管理, 一事一评星 (seed 000): the branch's secretary (or deputy) awards a member a star for one named deed,
-- resting on evidence — a 民心墙 order the resident rated 满意 (`wall:<order>`), or what the secretary wrote down.
-- No points and no totals are kept: the evaluation register lists each member's deeds, nobody is ranked.
CREATE TABLE member_stars (
    id             INTEGER PRIMARY KEY,
    branch_id      INTEGER NOT NULL REFERENCES branches(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    year           INTEGER NOT NULL,
    deed           TEXT    NOT NULL,
    evidence       TEXT,                      -- wall:<order>; NULL: the evidence is in evidence_note only
    evidence_note  TEXT    NOT NULL,
    awarded_by     INTEGER NOT NULL REFERENCES members(id),
    awarded_at     TEXT    NOT NULL
);
CREATE INDEX member_stars_by_branch ON member_stars(branch_id, year);
-- One deed, one star: the same evidence never earns a second one.
CREATE UNIQUE INDEX member_stars_one_each ON member_stars(member_id, evidence) WHERE evidence IS NOT NULL;
