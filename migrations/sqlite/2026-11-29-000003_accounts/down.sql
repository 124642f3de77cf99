DROP TABLE login_attempts;
DROP TABLE verification_codes;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE orgs;
