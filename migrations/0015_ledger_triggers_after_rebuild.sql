-- Rebuilding journal_entries and journal_lines (0014) dropped their triggers; they are restored as they were.
CREATE TRIGGER journal_entries_no_update
BEFORE UPDATE ON journal_entries
BEGIN
	SELECT RAISE(ABORT, 'journal entries are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_delete
BEFORE DELETE ON journal_entries
BEGIN
	SELECT RAISE(ABORT, 'journal entries are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_update
BEFORE UPDATE ON journal_lines
BEGIN
	SELECT RAISE(ABORT, 'journal lines are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_delete
BEFORE DELETE ON journal_lines
BEGIN
	SELECT RAISE(ABORT, 'journal lines are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER journal_entries_open_period
BEFORE INSERT ON journal_entries
WHEN NEW.entry_date <= coalesce((SELECT books_closed_through FROM tenants WHERE id = NEW.tenant_id), '')
BEGIN
	SELECT RAISE(ABORT, 'period_closed: the books are closed for that date');
END;
