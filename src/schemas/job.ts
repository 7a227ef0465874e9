import { z } from "zod";
import type { jobs } from "../db/schema";
import { paginationQuery, timestamp } from "./common";

export const jobTypes = [
	"invoice_import",
	"payment_reconciliation",
	"gl_reconciliation",
	"accounting_export",
	"ledger_sync",
	"recurring_run",
	"usage_aggregate",
	"usage_import",
	"payment_import",
	"journal_import",
	"customer_import",
	"tax_report",
	"dunning_run",
] as const;
export type JobType = (typeof jobTypes)[number];

export const jobSchema = z
	.object({
		id: z.string(),
		object: z.literal("job"),
		type: z.enum(jobTypes),
		status: z.enum(["queued", "running", "succeeded", "failed", "canceled"]),
		progress: z.object({
			processed: z.number().int(),
			total: z.number().int().nullable(),
			succeeded: z.number().int(),
			failed: z.number().int(),
		}),
		errors: z.array(z.unknown()).meta({ description: "The first 100 errors; the full report is the result file." }),
		result: z.unknown().nullable(),
		result_url: z.string().nullable().meta({ description: "Download of the job's result file, when it has one." }),
		created_at: timestamp,
		updated_at: timestamp,
		finished_at: timestamp.nullable(),
	})
	.meta({ id: "Job" });

export const presentJob = (row: typeof jobs.$inferSelect) => ({
	id: row.id,
	object: "job" as const,
	type: row.type as JobType,
	status: row.status,
	progress: { processed: row.processed, total: row.total, succeeded: row.succeeded, failed: row.failed },
	errors: row.errors,
	result: row.result ?? null,
	result_url: row.resultKey ? `/v1/billing/jobs/${row.id}/result` : null,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
	finished_at: row.finishedAt,
});

export const jobListQuery = paginationQuery.extend({
	type: z.enum(jobTypes).optional(),
	status: z.enum(["queued", "running", "succeeded", "failed", "canceled"]).optional(),
});

export type JobListQuery = z.infer<typeof jobListQuery>;

/** The versioned messages on the `jobs` queue: run a job, or bill one account for a recurring run. */
export const jobMessage = z.union([
	z.object({
		v: z.literal(1),
		kind: z.literal("bill_accounts"),
		job_id: z.string(),
		tenant_id: z.string(),
		customer_ids: z.array(z.string()).min(1),
		date: z.string(),
	}),
	// One account per message, as runs sent before accounts were grouped: accepted while any is queued.
	z.object({
		v: z.literal(1),
		kind: z.literal("bill_account"),
		job_id: z.string(),
		tenant_id: z.string(),
		customer_id: z.string(),
		date: z.string(),
	}),
	// Render and store an issued invoice's or credit note's PDF (no job row: the first download does it too).
	z.object({
		v: z.literal(1),
		kind: z.literal("render_document"),
		tenant_id: z.string(),
		document: z.enum(["invoice", "credit_note"]),
		source_id: z.string(),
	}),
	// Another attempt at an invoice email that could not be sent yet.
	z.object({ v: z.literal(1), kind: z.literal("deliver_email"), tenant_id: z.string(), delivery_id: z.string() }),
	// An attempt at submitting an e-invoice to the tenant's Peppol access point.
	z.object({
		v: z.literal(1),
		kind: z.literal("submit_einvoice"),
		tenant_id: z.string(),
		submission_id: z.string(),
	}),
	z.object({ v: z.literal(1), job_id: z.string(), tenant_id: z.string() }),
]);
export type JobMessage = z.infer<typeof jobMessage>;
