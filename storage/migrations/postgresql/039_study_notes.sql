-- PostgreSQL twin of ../039_study_notes.sql (storage/schema.py): BIGINT integers, TEXT COLLATE "C" (SQLite's order).
-- 学习心得: after a 专题学习 (meetings.kind 'study') a member who was there may write a short note of what they took
-- from it. Optional, one per member and session (rewriting replaces it), kept for the member's own record: only its
-- author reads the text; the branch sees who handed one in, and the yearly register counts them.
CREATE TABLE study_notes (
    meeting_id  BIGINT NOT NULL REFERENCES meetings(id),
    member_id   BIGINT NOT NULL REFERENCES members(id),
    text        TEXT COLLATE "C"    NOT NULL,
    written_at  TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX study_notes_by_member ON study_notes(member_id);
