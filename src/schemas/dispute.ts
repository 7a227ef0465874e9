import { z } from "zod";
import type { disputes } from "../db/schema";
import { formatMinorUnits } from "../domain/currency";
import { paginationQuery, timestamp } from "./common";

export const disputeCreateBody = z
	.strictObject({
		payment_id: z.string().min(1).max(64),
		amount: z.number().int().min(1).optional().meta({ description: "Defaults to everything the payment still holds." }),
		reason: z.string().trim().min(1).max(200).meta({ example: "fraudulent" }),
		evidence_due_by: z.iso.date().optional(),
	})
	.meta({
		id: "DisputeCreate",
		example: { payment_id: "pay_01JD3Q8W5Z9K2M4N6P8R0T2V4X", reason: "product_not_received" },
	});
export type DisputeCreateInput = z.infer<typeof disputeCreateBody>;

export const disputeUpdateBody = z
	.strictObject({
		evidence: z
			.array(
				z.strictObject({ kind: z.string().trim().min(1).max(50), description: z.string().trim().min(1).max(2000) }),
			)
			.min(1)
			.max(20)
			.optional()
			.meta({ description: "Appended to the dispute's evidence." }),
		note: z.string().trim().min(1).max(5000).optional().meta({ description: "Appended to the communication history." }),
		evidence_due_by: z.iso.date().optional(),
	})
	.refine((b) => b.evidence !== undefined || b.note !== undefined || b.evidence_due_by !== undefined, {
		message: "send evidence, a note or evidence_due_by",
		path: ["evidence"],
	})
	.meta({ id: "DisputeUpdate", example: { evidence: [{ kind: "shipping", description: "Tracking 1Z999" }] } });
export type DisputeUpdateInput = z.infer<typeof disputeUpdateBody>;

export const disputeResolveBody = z
	.strictObject({ outcome: z.enum(["won", "lost"]), note: z.string().trim().min(1).max(5000).optional() })
	.meta({ id: "DisputeResolve", example: { outcome: "lost" } });

export const disputeSchema = z
	.object({
		id: z.string(),
		object: z.literal("dispute"),
		payment_id: z.string(),
		customer_id: z.string(),
		amount: z.number().int(),
		currency: z.string(),
		display_amount: z.string(),
		reason: z.string(),
		status: z.enum(["open", "won", "lost"]),
		evidence: z.array(z.object({ kind: z.string(), description: z.string(), added_at: timestamp })),
		notes: z.array(z.object({ body: z.string(), author_id: z.string(), added_at: timestamp })),
		evidence_due_by: z.string().nullable(),
		journal_entry_id: z.string().nullable(),
		created_at: timestamp,
		resolved_at: timestamp.nullable(),
	})
	.meta({ id: "Dispute" });

export type DisputeRow = typeof disputes.$inferSelect;

export const presentDispute = (row: DisputeRow) => ({
	id: row.id,
	object: "dispute" as const,
	payment_id: row.paymentId,
	customer_id: row.customerId,
	amount: row.amount,
	currency: row.currency,
	display_amount: formatMinorUnits(row.amount, row.currency),
	reason: row.reason,
	status: row.status,
	evidence: row.evidence,
	notes: row.notes,
	evidence_due_by: row.evidenceDueBy,
	journal_entry_id: row.journalEntryId,
	created_at: row.createdAt,
	resolved_at: row.resolvedAt,
});

export const disputeListQuery = paginationQuery.extend({
	status: z.enum(["open", "won", "lost"]).optional(),
	customer_id: z.string().min(1).optional(),
	payment_id: z.string().min(1).optional(),
});
export type DisputeListQuery = z.infer<typeof disputeListQuery>;

export type Dispute = ReturnType<typeof presentDispute>;
