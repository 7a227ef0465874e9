-- Money on a voided or written-off invoice stays where it is: its settlement is final.
CREATE TRIGGER payment_allocations_open_invoice_insert
BEFORE INSERT ON payment_allocations
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) NOT IN ('issued', 'partially_paid', 'paid')
BEGIN
	SELECT RAISE(ABORT, 'invoice_closed: allocations of a voided or written-off invoice cannot change');
END;
--> statement-breakpoint
CREATE TRIGGER payment_allocations_open_invoice_update
BEFORE UPDATE ON payment_allocations
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) NOT IN ('issued', 'partially_paid', 'paid')
BEGIN
	SELECT RAISE(ABORT, 'invoice_closed: allocations of a voided or written-off invoice cannot change');
END;
