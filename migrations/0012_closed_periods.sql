-- Closing a period is final for postings: an entry dated on or before the day the books are closed
-- through is refused, whatever posted it (corrections post to the open period).
CREATE TRIGGER journal_entries_open_period
BEFORE INSERT ON journal_entries
WHEN NEW.entry_date <= coalesce((SELECT books_closed_through FROM tenants WHERE id = NEW.tenant_id), '')
BEGIN
	SELECT RAISE(ABORT, 'period_closed: the books are closed for that date');
END;
--> statement-breakpoint
-- A closed period stays closed.
CREATE TRIGGER tenants_books_stay_closed
BEFORE UPDATE OF books_closed_through ON tenants
WHEN OLD.books_closed_through IS NOT NULL AND (NEW.books_closed_through IS NULL OR NEW.books_closed_through < OLD.books_closed_through)
BEGIN
	SELECT RAISE(ABORT, 'period_closed: a closed period cannot be reopened');
END;
