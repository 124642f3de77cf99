DELETE FROM sessions WHERE principal_kind <> 'user';
DROP INDEX sessions_principal;
ALTER TABLE sessions ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE sessions DROP COLUMN principal_kind;
ALTER TABLE sessions RENAME COLUMN principal_id TO user_id;
ALTER TABLE sessions ADD CONSTRAINT sessions_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX sessions_user ON sessions (user_id);

DROP TABLE api_keys;
DROP TABLE candidate_group_members;
DROP TABLE candidate_groups;
DROP TABLE candidates;
DROP TABLE staff;
ALTER TABLE users DROP COLUMN scope_groups;
ALTER TABLE users DROP COLUMN permissions;
