DROP TABLE key_usage;
