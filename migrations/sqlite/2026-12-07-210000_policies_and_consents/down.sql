DROP TABLE consents;
DROP TABLE policy_versions;
