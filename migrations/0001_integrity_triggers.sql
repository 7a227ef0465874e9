-- Rules a CHECK constraint cannot state (ARCHITECTURE.md invariant 3).

-- Optimistic concurrency: an update must move `version` up by exactly one from the row it replaces,
-- so a writer holding a stale version fails its whole batch instead of overwriting a newer one.
CREATE TRIGGER customers_version_step
BEFORE UPDATE ON customers
WHEN NEW.version <> OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict: customers');
END;
--> statement-breakpoint
-- The audit trail is append-only.
CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
