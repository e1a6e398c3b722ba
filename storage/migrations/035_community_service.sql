-- 在职党员到社区报到 (seed 002): a member of an organ's branch registers with a community branch for volunteer
-- service — a second, service-only affiliation (they do not become its member), confirmed by that branch's secretary
-- (or deputy) — claims some of the community's service posts (设岗/认岗; the 民心墙's dispatch shows them), and logs
-- each service (what, which day, how long), which the community confirms. Their own branch sees the confirmed hours
-- at the yearly evaluation; the unit sees totals per branch. No points and no rankings are kept.
CREATE TABLE service_registrations (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES members(id),
    community_id   INTEGER NOT NULL REFERENCES branches(id),
    registered_at  TEXT    NOT NULL,
    confirmed_by   INTEGER REFERENCES members(id),
    confirmed_at   TEXT,
    UNIQUE (member_id, community_id)
);
CREATE INDEX service_registrations_by_community ON service_registrations(community_id);

-- The community's service posts (e.g. 政策宣讲, 水电维修, 助老助残), set by its secretary.
CREATE TABLE service_posts (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES branches(id),
    name          TEXT    NOT NULL,
    UNIQUE (community_id, name)
);

-- Which posts a registered member claimed.
CREATE TABLE service_claims (
    registration_id  INTEGER NOT NULL REFERENCES service_registrations(id) ON DELETE CASCADE,
    post_id          INTEGER NOT NULL REFERENCES service_posts(id) ON DELETE CASCADE,
    PRIMARY KEY (registration_id, post_id)
);

-- One service done: the day, how long (minutes), what; confirmed by the community's secretary, deputy or 党小组长.
CREATE TABLE service_hours (
    id               INTEGER PRIMARY KEY,
    registration_id  INTEGER NOT NULL REFERENCES service_registrations(id),
    member_id        INTEGER NOT NULL REFERENCES members(id),
    served_on        TEXT    NOT NULL,
    minutes          INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    what             TEXT    NOT NULL,
    logged_at        TEXT    NOT NULL,
    confirmed_by     INTEGER REFERENCES members(id),
    confirmed_at     TEXT
);
CREATE INDEX service_hours_by_member ON service_hours(member_id, served_on);
CREATE INDEX service_hours_by_registration ON service_hours(registration_id);
