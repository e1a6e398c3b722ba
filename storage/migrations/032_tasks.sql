-- Tasks from above (材料报送): a unit's officer asks the branches of its subtree (or of one unit in it) for material
-- by a deadline, with an optional template file. Each branch hands in through the review mechanism — a submission
-- of kind 'task' whose ref is task:<id> — the unit's officers review it, press 催办 for the branches still missing
-- (at most once a day a branch), and export all that was handed in.
CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),   -- the issuing unit: its officers review the material
    target_unit     INTEGER NOT NULL REFERENCES units(id),   -- whose branches it goes to (the unit or one under it)
    title           TEXT    NOT NULL DEFAULT '',
    body            TEXT    NOT NULL DEFAULT '',
    deadline        TEXT,                                    -- the end of the last local day
    file_id         TEXT,                                    -- the template file (Telegram's file_id), optional
    file_name       TEXT,
    status          TEXT    NOT NULL DEFAULT 'draft',        -- draft | open | closed
    created_by      INTEGER NOT NULL,                        -- the officer's Telegram id
    created_by_name TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    issued_at       TEXT,
    closed_at       TEXT
);
CREATE INDEX tasks_by_unit ON tasks(unit_id, status);

-- The branches a task went to, fixed when it was issued; the last 催办 (local day) keeps it to once a day.
CREATE TABLE task_targets (
    task_id   INTEGER NOT NULL REFERENCES tasks(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    urged_on  TEXT,
    urges     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, branch_id)
);
CREATE INDEX task_targets_by_branch ON task_targets(branch_id);

-- A document's own name as it was sent (the task export writes each file under it).
ALTER TABLE submission_files ADD COLUMN file_name TEXT;
