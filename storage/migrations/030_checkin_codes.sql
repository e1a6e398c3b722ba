-- A meeting's own secret for its check-in code (bot/domain/checkin_proof.py): made when the code is first shown.
ALTER TABLE meetings ADD COLUMN checkin_secret TEXT;
