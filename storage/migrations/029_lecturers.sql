-- 党课: who gives the lecture (a member, or a name typed for someone from outside the branch) and whether they are a
-- 领导干部, whose lectures are counted each year (seed 000: 领导干部每年……讲课不少于2次).
ALTER TABLE meeting_staff ADD COLUMN lecturer_id INTEGER REFERENCES members(id);
ALTER TABLE meeting_staff ADD COLUMN lecturer_name TEXT;
ALTER TABLE meeting_staff ADD COLUMN lecturer_leader INTEGER NOT NULL DEFAULT 0;
