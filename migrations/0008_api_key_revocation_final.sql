-- A revocation is final and happens once: a second revoke racing the first fails its batch (and so
-- writes no second audit row) instead of overwriting revoked_at.
CREATE TRIGGER api_keys_revoked_once
BEFORE UPDATE OF revoked_at ON api_keys
WHEN OLD.revoked_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'already_revoked');
END;
