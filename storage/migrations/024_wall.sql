-- The 民心墙 (seed 003, 千阳): residents order help from a branch, the branch's dispatcher (党小组长 or secretary)
-- dispatches each order to a member within 3 days, the member reports, the resident rates it.
-- A branch's wall is reached by its deep link (`walls.code`); residents need no registration.
CREATE TABLE walls (
    branch_id   INTEGER PRIMARY KEY REFERENCES branches(id),
    code        TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL
);

-- One order. The resident's details (chat, need, phone, location, photos) are blanked a set time after it closes
-- (ZHIBU_WALL_KEEP_DAYS, erased_at set); the status, the member and the ratings stay as the branch's record.
CREATE TABLE wall_orders (
    id             INTEGER PRIMARY KEY,
    branch_id      INTEGER NOT NULL REFERENCES branches(id),
    resident_chat  INTEGER,                    -- the resident's private chat; NULL once erased
    status         TEXT    NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'open', 'dispatched', 'taken', 'reported', 'closed')),
    need           TEXT    NOT NULL DEFAULT '',
    phone          TEXT,
    latitude       REAL,
    longitude      REAL,
    round          INTEGER NOT NULL DEFAULT 1,  -- dispatched again after 不满意: the next round
    member_id      INTEGER REFERENCES members(id),
    dispatcher_id  INTEGER REFERENCES members(id),
    rating         TEXT    CHECK (rating IN ('good', 'fair', 'poor')),
    created_at     TEXT    NOT NULL,
    submitted_at   TEXT,
    dispatched_at  TEXT,
    closed_at      TEXT,
    erased_at      TEXT
);
CREATE INDEX wall_orders_by_branch ON wall_orders(branch_id, status);
CREATE INDEX wall_orders_by_resident ON wall_orders(resident_chat, status);

CREATE TABLE wall_order_photos (
    order_id  INTEGER NOT NULL REFERENCES wall_orders(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    file_id   TEXT    NOT NULL,
    PRIMARY KEY (order_id, position)
);

-- Each round's outcome: who handled it and how the resident rated it (不满意 with the reason they gave).
CREATE TABLE wall_ratings (
    order_id   INTEGER NOT NULL REFERENCES wall_orders(id) ON DELETE CASCADE,
    round      INTEGER NOT NULL,
    member_id  INTEGER REFERENCES members(id),
    rating     TEXT    NOT NULL CHECK (rating IN ('good', 'fair', 'poor')),
    reason     TEXT,
    rated_at   TEXT    NOT NULL,
    PRIMARY KEY (order_id, round)
);
