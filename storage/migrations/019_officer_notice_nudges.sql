-- Officers' notices share the branch notices' receipts-and-nudges core: their receipts count nudges (催读) too.
ALTER TABLE officer_notice_receipts ADD COLUMN nudges INTEGER NOT NULL DEFAULT 0;
