-- The old codes are gone; the new ones stay valid (they are plain text like the old ones).
SELECT 1;
