import { z } from "zod";
import type { paymentAllocations, payments, refunds } from "../db/schema";
import { formatMinorUnits } from "../domain/currency";
import { currencyCode, metadata, paginationQuery, timestamp } from "./common";

const amount = z.number().int().min(1).max(1_000_000_000_000_00).meta({ description: "Minor units; positive." });
const paymentMethods = ["card", "bank_transfer", "cash", "check"] as const;
const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

export const paymentCreateBody = z
	.strictObject({
		customer_id: z.string().min(1).max(64),
		invoice_id: z.string().min(1).max(64).optional().meta({
			description: "Apply to this invoice; without it the payment goes to the oldest-due open invoices.",
		}),
		amount,
		currency: currencyCode,
		paid_at: z.iso
			.datetime({ offset: true })
			.optional()
			.meta({ description: "When the money arrived; now by default." }),
		payment_method: z.enum(paymentMethods),
		reference: z.string().trim().min(1).max(200).optional().meta({ example: "pg_txn_123" }),
		external_id: z.string().trim().min(1).max(128).optional().meta({
			description: "Your own id for the payment, unique in your tenant: a second payment with it is refused (409).",
		}),
		metadata: metadata.optional(),
	})
	.meta({
		id: "PaymentCreate",
		example: {
			customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
			amount: 38080,
			currency: "EUR",
			payment_method: "bank_transfer",
			reference: "SEPA-4711",
		},
	});
export type PaymentCreateInput = z.infer<typeof paymentCreateBody>;

const invoiceAmount = z.strictObject({ invoice_id: z.string().min(1).max(64), amount });

export const allocateBody = z
	.strictObject({
		allocate: z.array(invoiceAmount).max(100).default([]),
		unallocate: z.array(invoiceAmount).max(100).default([]),
	})
	.refine((body) => body.allocate.length + body.unallocate.length > 0, {
		message: "name at least one invoice",
		path: ["allocate"],
	})
	.meta({
		id: "PaymentAllocate",
		example: { allocate: [{ invoice_id: "inv_01JD3Q8W5Z9K2M4N6P8R0T2V4X", amount: 1000 }] },
	});
export type AllocateInput = z.infer<typeof allocateBody>;

export const refundBody = z
	.strictObject({
		amount: amount.optional().meta({ description: "Defaults to everything still refundable." }),
		invoice_id: z
			.string()
			.min(1)
			.max(64)
			.optional()
			.meta({ description: "Take the refund off this invoice's allocation." }),
		reason: z.string().trim().min(1).max(500).optional(),
		method: z.string().trim().min(1).max(50).optional(),
	})
	.meta({ id: "RefundCreate", example: { amount: 1000, reason: "Goodwill" } });
export type RefundInput = z.infer<typeof refundBody>;

export const refundCreateBody = refundBody
	.extend({ payment_id: z.string().min(1).max(64) })
	.meta({ id: "RefundCreateStandalone", example: { payment_id: "pay_01JD3Q8W5Z9K2M4N6P8R0T2V4X", amount: 1000 } });

export const paymentSchema = z
	.object({
		id: z.string(),
		object: z.literal("payment"),
		customer_id: z.string(),
		amount: z.number().int(),
		currency: z.string(),
		display_amount: z.string(),
		paid_at: timestamp,
		payment_method: z.enum(paymentMethods),
		reference: z.string().nullable(),
		external_id: z.string().nullable(),
		metadata: z.record(z.string(), z.string()),
		amount_allocated: z.number().int(),
		amount_refunded: z.number().int(),
		amount_reversed: z.number().int(),
		unapplied: z.number().int().meta({ description: "Held as customer credit until allocated or refunded." }),
		allocations: z.array(z.object({ invoice_id: z.string(), amount: z.number().int(), applied_at: timestamp })),
		journal_entry_id: z.string().nullable(),
		created_at: timestamp,
	})
	.meta({ id: "Payment" });

export const refundSchema = z
	.object({
		id: z.string(),
		object: z.literal("refund"),
		payment_id: z.string(),
		customer_id: z.string(),
		invoice_id: z.string().nullable(),
		amount: z.number().int(),
		currency: z.string(),
		display_amount: z.string(),
		from_credit: z.number().int(),
		from_invoices: z.number().int(),
		reason: z.string().nullable(),
		method: z.string().nullable(),
		status: z.literal("succeeded"),
		journal_entry_id: z.string().nullable(),
		created_at: timestamp,
	})
	.meta({ id: "Refund" });

export type PaymentRow = typeof payments.$inferSelect;
export type AllocationRow = typeof paymentAllocations.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

export const unappliedOf = (p: Pick<PaymentRow, "amount" | "amountAllocated" | "amountRefunded" | "amountReversed">) =>
	p.amount - p.amountAllocated - p.amountRefunded - p.amountReversed;

export const presentPayment = (row: PaymentRow, allocations: AllocationRow[]) => ({
	id: row.id,
	object: "payment" as const,
	customer_id: row.customerId,
	amount: row.amount,
	currency: row.currency,
	display_amount: formatMinorUnits(row.amount, row.currency),
	paid_at: row.paidAt,
	payment_method: row.paymentMethod,
	reference: row.reference,
	external_id: row.externalId,
	metadata: row.metadata,
	amount_allocated: row.amountAllocated,
	amount_refunded: row.amountRefunded,
	amount_reversed: row.amountReversed,
	unapplied: unappliedOf(row),
	allocations: allocations
		.filter((a) => a.amount > 0)
		.map((a) => ({ invoice_id: a.invoiceId, amount: a.amount, applied_at: a.updatedAt })),
	journal_entry_id: row.journalEntryId,
	created_at: row.createdAt,
});

export const presentRefund = (row: RefundRow) => ({
	id: row.id,
	object: "refund" as const,
	payment_id: row.paymentId,
	customer_id: row.customerId,
	invoice_id: row.invoiceId,
	amount: row.amount,
	currency: row.currency,
	display_amount: formatMinorUnits(row.amount, row.currency),
	from_credit: row.fromCredit,
	from_invoices: row.fromInvoices,
	reason: row.reason,
	method: row.method,
	status: row.status,
	journal_entry_id: row.journalEntryId,
	created_at: row.createdAt,
});

export const paymentListQuery = paginationQuery.extend({
	customer_id: z.string().min(1).optional(),
	invoice_id: z.string().min(1).optional(),
	payment_method: z.enum(paymentMethods).optional(),
	from: isoDate.optional().meta({ description: "Paid on or after this day." }),
	to: isoDate.optional().meta({ description: "Paid on or before this day." }),
});
export type PaymentListQuery = z.infer<typeof paymentListQuery>;

export const refundListQuery = paginationQuery.extend({
	payment_id: z.string().min(1).optional(),
	customer_id: z.string().min(1).optional(),
});
export type RefundListQuery = z.infer<typeof refundListQuery>;

export type Payment = ReturnType<typeof presentPayment>;
export type Refund = ReturnType<typeof presentRefund>;
