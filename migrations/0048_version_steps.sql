-- Optimistic concurrency for plans, billable metrics, document templates and dunning rules, as for customers and
-- invoices: an update must move `version` up by exactly one from the row it replaces, so a writer holding
-- a stale version fails its whole batch (its audit row and the answer to its Idempotency-Key with it)
-- instead of committing them beside an update that matched no row.
CREATE TRIGGER plans_version_step
BEFORE UPDATE ON plans
WHEN NEW.version <> OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict: plans');
END;
--> statement-breakpoint
CREATE TRIGGER billable_metrics_version_step
BEFORE UPDATE ON billable_metrics
WHEN NEW.version <> OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict: billable_metrics');
END;
--> statement-breakpoint
CREATE TRIGGER document_templates_version_step
BEFORE UPDATE ON document_templates
WHEN NEW.version <> OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict: document_templates');
END;
--> statement-breakpoint
CREATE TRIGGER dunning_rules_version_step
BEFORE UPDATE ON dunning_rules
WHEN NEW.version <> OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict: dunning_rules');
END;
