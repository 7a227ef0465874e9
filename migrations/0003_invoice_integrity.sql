-- Invoices are corrected only through void and credit notes, never edited once issued (invariant 3).

CREATE TRIGGER invoices_version_step
BEFORE UPDATE ON invoices
WHEN NEW.version <> OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict: invoices');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_locked_after_finalize
BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND (
	NEW.status = 'draft'
	OR NEW.customer_id <> OLD.customer_id
	OR NEW.currency <> OLD.currency
	OR NEW.subtotal <> OLD.subtotal
	OR NEW.discount_total <> OLD.discount_total
	OR NEW.tax_total <> OLD.tax_total
	OR NEW.total <> OLD.total
	OR NEW.number IS NOT OLD.number
	OR NEW.issue_date IS NOT OLD.issue_date
)
BEGIN
	SELECT RAISE(ABORT, 'invoice_locked: an issued invoice cannot be edited');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_terminal_states
BEFORE UPDATE OF status ON invoices
WHEN OLD.status IN ('voided', 'written_off') AND NEW.status <> OLD.status
BEGIN
	SELECT RAISE(ABORT, 'invoice_locked: a voided or written-off invoice is final');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_delete_draft_only
BEFORE DELETE ON invoices
WHEN OLD.status <> 'draft'
BEGIN
	SELECT RAISE(ABORT, 'invoice_locked: only a draft invoice can be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_insert_draft_only
BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
BEGIN
	SELECT RAISE(ABORT, 'invoice_locked: lines of an issued invoice cannot change');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_update_draft_only
BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN
	SELECT RAISE(ABORT, 'invoice_locked: lines of an issued invoice cannot change');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_delete_draft_only
BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN
	SELECT RAISE(ABORT, 'invoice_locked: lines of an issued invoice cannot change');
END;
