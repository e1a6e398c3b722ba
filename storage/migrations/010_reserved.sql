-- Reserved: another branch's migration 010 takes this number when the branches are merged (this file is then
-- dropped); it keeps 011_dues_away.sql in sequence until then.
SELECT 1;
