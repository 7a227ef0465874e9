-- Journals are append-only: a correction is a new entry, never an edit (invariant 3).
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
