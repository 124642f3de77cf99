-- The backfilled creators stay: they are what the keys were bounded by.
DROP INDEX api_keys_created_by;
