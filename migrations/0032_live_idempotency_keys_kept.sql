-- A stored Idempotency-Key is taken over only when it expired, or when it was left in progress by a
-- holder of the same request that died; never while another request holds or answered it. The answer an
-- operation stores in its own commit is an upsert: this trigger fails it, and with it the whole batch,
-- when the stored key is live (the statement that freed a takeable key before the insert is gone). A
-- claim's upsert only updates a takeable key, so it never meets the refusal.
CREATE TRIGGER idempotency_keys_live_kept
BEFORE UPDATE OF created_at ON idempotency_keys
WHEN NOT (
	OLD.expires_at <= NEW.created_at
	OR (OLD.state = 'in_progress' AND OLD.locked_until <= NEW.created_at AND OLD.request_hash = NEW.request_hash)
)
BEGIN
	SELECT RAISE(ABORT, 'idempotency_key_taken: another request holds or answered this key');
END;
