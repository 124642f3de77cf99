ALTER TABLE attempts DROP COLUMN keys_shown_at;
