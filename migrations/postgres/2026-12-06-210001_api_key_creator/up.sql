-- An API key is bounded by and dies with the org user who created it (see `tenancy.rs`).
-- Keys from before this rule that name no creator are given the organisation's owner, who
-- could have created any of them; keys whose creator was already deleted keep that id and so
-- stop working, as a key of a deleted user now does.
UPDATE api_keys
SET created_by = (
    SELECT users.id FROM users
    WHERE users.org_id = api_keys.org_id AND users.role = 'owner'
    ORDER BY users.created_at
    LIMIT 1
)
WHERE created_by IS NULL;
CREATE INDEX api_keys_created_by ON api_keys (created_by);
