-- When the candidate was first shown this attempt's answer keys (review). Once a candidate has
-- seen the keys of an exam, no attempt of theirs at it may start or be reopened.
ALTER TABLE attempts ADD COLUMN keys_shown_at timestamptz;
