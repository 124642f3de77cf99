-- A sign-in attempt is recorded before it is verified and settled after: until then it is
-- pending. Pending attempts count against their principal only briefly, and never against
-- an address (a school's NAT signing in at exam start). Existing rows were settled.
ALTER TABLE login_attempts ADD COLUMN settled_at TEXT;
UPDATE login_attempts SET settled_at = created_at;
