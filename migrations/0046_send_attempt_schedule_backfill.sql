-- Sends queued before sends had a schedule are due from their last update, so the maintenance sweep finds
-- any whose queue message was lost.
UPDATE `einvoice_submissions` SET `next_attempt_at` = `updated_at` WHERE `status` = 'queued';--> statement-breakpoint
UPDATE `document_deliveries` SET `next_attempt_at` = coalesce(`updated_at`, `created_at`) WHERE `status` = 'queued';
