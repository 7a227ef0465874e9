-- Written by hand: drizzle-kit 0.31 splits an index expression at its commas. The open invoices of a
-- customer in the order payments reach them (oldest due, undated last, then id), with what each owes and
-- the columns its conditions name, so an account object's check of the ones a payment reaches reads the
-- index alone (a range of it).
DROP INDEX `invoices_open_by_customer`;--> statement-breakpoint
CREATE INDEX `invoices_open_by_customer` ON `invoices` (`tenant_id`, `customer_id`, `currency`, coalesce("due_date", '9999-12-31'), `id`, `balance`, `status`, `due_date`) WHERE "invoices"."status" in ('issued', 'partially_paid') and "invoices"."balance" > 0;
