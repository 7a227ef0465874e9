ALTER TABLE `einvoice_submissions` ADD `next_attempt_at` text;--> statement-breakpoint
ALTER TABLE `einvoice_submissions` ADD `attempt_started_at` text;--> statement-breakpoint
CREATE INDEX `einvoice_submissions_queued` ON `einvoice_submissions` (`next_attempt_at`) WHERE "einvoice_submissions"."status" = 'queued';--> statement-breakpoint
ALTER TABLE `document_deliveries` ADD `next_attempt_at` text;--> statement-breakpoint
ALTER TABLE `document_deliveries` ADD `attempt_started_at` text;--> statement-breakpoint
CREATE INDEX `document_deliveries_queued` ON `document_deliveries` (`next_attempt_at`) WHERE "document_deliveries"."status" = 'queued';