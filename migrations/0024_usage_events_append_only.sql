-- Usage history is append-only: a correction is an adjustment record, never an edit (invariant 3).
-- The one change allowed is giving a pending event (metric not defined when it arrived) its value.
CREATE TRIGGER usage_events_no_update
BEFORE UPDATE ON usage_events
WHEN OLD.value_e6 IS NOT NULL
	OR NEW.value_e6 IS NULL
	OR NEW.tenant_id IS NOT OLD.tenant_id
	OR NEW.event_id IS NOT OLD.event_id
	OR NEW.customer_id IS NOT OLD.customer_id
	OR NEW.metric_code IS NOT OLD.metric_code
	OR NEW.quantity IS NOT OLD.quantity
	OR NEW.usage_date IS NOT OLD.usage_date
	OR NEW.dimensions IS NOT OLD.dimensions
BEGIN
	SELECT RAISE(ABORT, 'usage events are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER usage_events_no_delete
BEFORE DELETE ON usage_events
BEGIN
	SELECT RAISE(ABORT, 'usage events are append-only');
END;
