-- Supervision that follows through: one follow-up mechanism (open item → plan → evidence → closed, or carried into
-- the next year) for 不合格 members, the problems of a 述职评议 and the rectification a 约谈 requires; the yearly
-- 述职评议; 约谈; the six-month alarm.

-- The follow-ups of 不合格 results become items of the one mechanism. Ids are kept, so the outbox keys of existing
-- follow-ups (followup:<id>:…) keep meaning the same rows.
CREATE TABLE followup_items (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('unqualified', 'problem', 'yuetan')),
    source       TEXT    NOT NULL,               -- what opened it: evaluation:<campaign> | shuzhi:<report> | yuetan:<id>
    seq          INTEGER NOT NULL DEFAULT 0,     -- its place in the source's list (problem number; the 不合格 member)
    branch_id    INTEGER NOT NULL REFERENCES branches(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),  -- whose officers decide its 销号
    member_id    INTEGER REFERENCES members(id), -- whom it concerns (NULL: a branch's problem)
    reason       TEXT,                           -- the problem / the 不合格 remark / the rectification required
    measure      TEXT,                           -- unqualified: rectify | persuade | expel; NULL until chosen
    deadline     TEXT,                           -- the step under way is due (plan, measure, report)
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closing', 'closed')),
    plan_id      INTEGER REFERENCES submissions(id),     -- the approved 整改方案
    closing_note TEXT,
    evidence_id  INTEGER REFERENCES submissions(id),     -- the evidence handed in last
    carried_into TEXT,                           -- the later source it was carried into (next year's 述职)
    opened_at    TEXT    NOT NULL,
    requested_at TEXT,
    closed_at    TEXT,
    closed_by    INTEGER,                        -- the deciding officer's Telegram id
    UNIQUE (source, seq)
);
INSERT INTO followup_items (id, kind, source, seq, branch_id, unit_id, member_id, reason, measure, deadline, status,
                            closing_note, opened_at, requested_at, closed_at, closed_by)
    SELECT id, 'unqualified', 'evaluation:' || campaign_id, member_id, branch_id, unit_id, member_id, reason, measure,
           deadline, status, closing_note, opened_at, requested_at, closed_at, closed_by
      FROM followups;
DROP TABLE followups;
CREATE INDEX followup_items_by_branch ON followup_items(branch_id, status);
CREATE INDEX followup_items_by_unit ON followup_items(unit_id, status);
CREATE INDEX followup_items_by_member ON followup_items(member_id) WHERE member_id IS NOT NULL;

-- 述职评议: a unit's yearly round of its branch secretaries' reports on their party-building duty.
CREATE TABLE shuzhi_cycles (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    year        INTEGER NOT NULL,
    graded      INTEGER NOT NULL DEFAULT 1,      -- the unit grades (好 / 较好 / 一般 / 差)
    deadline    TEXT    NOT NULL,                -- the reports are due by
    opened_by   INTEGER NOT NULL,                -- the officer's Telegram id
    opened_at   TEXT    NOT NULL,
    UNIQUE (unit_id, year)
);

-- One branch's part of a round: its secretary's 述职 (a submission), the officers' 点评 and grade; its 问题清单 are
-- followup_items of kind 'problem' with source shuzhi:<id>.
CREATE TABLE shuzhi_reports (
    id            INTEGER PRIMARY KEY,
    cycle_id      INTEGER NOT NULL REFERENCES shuzhi_cycles(id),
    branch_id     INTEGER NOT NULL REFERENCES branches(id),
    comment       TEXT,
    grade         TEXT,                          -- good | fair | average | poor
    evaluated_by  INTEGER,                       -- the officer's Telegram id
    evaluated_at  TEXT,
    problems_sent TEXT,                          -- when the 问题清单 last went to the secretary
    plan_due      TEXT,                          -- the 整改方案 are due by
    UNIQUE (cycle_id, branch_id)
);
CREATE INDEX shuzhi_reports_by_branch ON shuzhi_reports(branch_id);

-- 约谈: an officer's formal talk with a secretary or member — notice in advance, the record, and the written
-- report on the rectification (a followup_items row of kind 'yuetan'). Seen only by the unit's officers (and
-- those above), the person, and inspectors above; never by the branch.
CREATE TABLE yuetan (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    branch_id     INTEGER NOT NULL REFERENCES branches(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    reason_code   TEXT    NOT NULL,              -- one of the categories, or 'other'
    reason        TEXT    NOT NULL,
    starts_at     TEXT    NOT NULL,
    place         TEXT    NOT NULL,
    scheduled_by  INTEGER NOT NULL,              -- the officer's Telegram id
    scheduled_at  TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'recorded', 'cancelled')),
    content       TEXT,                          -- the record (全程纪实)
    rectification TEXT,                          -- what the person must put right
    recorded_by   INTEGER,
    recorded_at   TEXT
);
CREATE INDEX yuetan_by_member ON yuetan(member_id, starts_at);
CREATE INDEX yuetan_by_unit ON yuetan(unit_id, starts_at);

-- The six-month alarm: a member without organisational life or dues for four months (a warning) or six (the
-- alarm), raised by the daily pass and resolved by a recorded talk, a reason, or the member's own return.
CREATE TABLE lapse_alarms (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    branch_id    INTEGER NOT NULL REFERENCES branches(id),
    level        INTEGER NOT NULL,               -- 4 | 6: months
    facts        TEXT    NOT NULL DEFAULT '{}',  -- JSON: the meetings missed, the months unpaid
    raised_at    TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    resolved_at  TEXT,
    resolved_by  INTEGER,                        -- the Telegram id of who resolved it (NULL: the member returned)
    resolution   TEXT,                           -- talk | returned | a reason code
    talk_id      INTEGER REFERENCES talks(id)
);
CREATE UNIQUE INDEX lapse_alarms_one_open ON lapse_alarms(member_id) WHERE resolved_at IS NULL;
CREATE INDEX lapse_alarms_by_branch ON lapse_alarms(branch_id, resolved_at);
