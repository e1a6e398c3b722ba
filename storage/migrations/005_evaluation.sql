-- Democratic evaluation of members (民主评议党员): one campaign per branch and year.
-- Self-evaluations are submissions (kind 'selfeval', ref 'evaluation:<campaign id>') in the review tables.
CREATE TABLE evaluation_campaigns (
    id          INTEGER PRIMARY KEY,
    branch_id   INTEGER NOT NULL REFERENCES branches(id),
    year        INTEGER NOT NULL,
    deadline    TEXT    NOT NULL,              -- UTC; grading and first submissions stop here
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    -- Random key that turns a grader into an opaque ballot id while the campaign is open (so a member can
    -- change their own grades); set to NULL at close, after which nobody can tell who graded whom.
    ballot_salt TEXT,
    opened_by   INTEGER NOT NULL REFERENCES members(id),
    opened_at   TEXT    NOT NULL,
    closed_at   TEXT,
    UNIQUE (branch_id, year)
);

-- Peer grades (互评). Deliberately no grader member id: `ballot` is a keyed hash of the grader, erased at close.
CREATE TABLE evaluation_peer_grades (
    campaign_id INTEGER NOT NULL REFERENCES evaluation_campaigns(id),
    ballot      TEXT,
    subject_id  INTEGER NOT NULL REFERENCES members(id),
    grade       TEXT    NOT NULL CHECK (grade IN ('excellent', 'qualified', 'basic', 'unqualified')),
    comment     TEXT,
    UNIQUE (campaign_id, ballot, subject_id)
);
CREATE INDEX evaluation_peer_grades_by_subject ON evaluation_peer_grades(campaign_id, subject_id);

-- The branch's decision per member (评议结果) and the secretary's remark (required for 不合格).
CREATE TABLE evaluation_results (
    campaign_id INTEGER NOT NULL REFERENCES evaluation_campaigns(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    final_grade TEXT    CHECK (final_grade IN ('excellent', 'qualified', 'basic', 'unqualified')),
    remark      TEXT,
    decided_by  INTEGER REFERENCES members(id),
    decided_at  TEXT,
    PRIMARY KEY (campaign_id, member_id)
) WITHOUT ROWID;
