-- Written by hand: drizzle-kit 0.31 splits an index expression at its commas. The expression is the
-- invoice list's document date (listInvoices), which SQLite matches to this index only when identical.
CREATE INDEX `invoices_tenant_document_date` ON `invoices` (`tenant_id`, coalesce("issue_date", substr("created_at", 1, 10)));
