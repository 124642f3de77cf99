mod takeover;
