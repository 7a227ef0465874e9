import { z } from "zod";
import type { reconciliations } from "../db/schema";
import { currencyCode, timestamp } from "./common";

export const statementLine = z.strictObject({
	date: z.iso.date("must be a date as YYYY-MM-DD"),
	amount: z.number().int().min(1).max(1_000_000_000_000_00).meta({ description: "Minor units received." }),
	currency: currencyCode,
	reference: z.string().trim().min(1).max(200).optional(),
	description: z.string().trim().min(1).max(500).optional(),
});

export const reconcileBody = z
	.strictObject({
		lines: z.array(statementLine).min(1).max(5000),
		confirm: z
			.boolean()
			.default(false)
			.meta({ description: "Record a payment for each line matched to an invoice; a line is never recorded twice." }),
		payment_method: z.enum(["card", "bank_transfer", "cash", "check"]).default("bank_transfer"),
	})
	.meta({
		id: "ReconcileRequest",
		example: {
			lines: [{ date: "2026-02-03", amount: 38080, currency: "EUR", reference: "INV-2026-0001" }],
			confirm: true,
		},
	});
export type ReconcileInput = z.infer<typeof reconcileBody>;

export const reconciliationSchema = z
	.object({
		id: z.string(),
		object: z.literal("reconciliation"),
		status: z.enum(["pending", "completed"]),
		job_id: z.string(),
		confirm: z.boolean(),
		summary: z
			.object({
				matched: z.number().int(),
				ambiguous: z.number().int(),
				unmatched: z.number().int(),
				recorded: z.number().int(),
			})
			.nullable(),
		lines: z
			.array(z.unknown())
			.meta({ description: "Each statement line with its match: matched, ambiguous (candidates) or unmatched." }),
		created_at: timestamp,
		completed_at: timestamp.nullable(),
	})
	.meta({ id: "Reconciliation" });

export type ReconciliationRow = typeof reconciliations.$inferSelect;
export type ReconciledLine = z.infer<typeof statementLine> & {
	index: number;
	status: string;
	payment_id?: string;
	recorded?: boolean;
	[key: string]: unknown;
};

export const presentReconciliation = (row: ReconciliationRow) => {
	const results = (row.results ?? null) as ReconciledLine[] | null;
	const count = (status: string) => results?.filter((r) => r.status === status).length ?? 0;
	return {
		id: row.id,
		object: "reconciliation" as const,
		status: row.status,
		job_id: row.jobId,
		confirm: row.confirm,
		summary: results
			? {
					matched: count("matched"),
					ambiguous: count("ambiguous"),
					unmatched: count("unmatched"),
					recorded: results.filter((r) => r.recorded).length,
				}
			: null,
		lines: results ?? row.lines,
		created_at: row.createdAt,
		completed_at: row.completedAt,
	};
};
