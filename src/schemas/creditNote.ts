import { z } from "zod";
import type { creditNotes, documents } from "../db/schema";
import { formatMinorUnits } from "../domain/currency";
import { legalNotes } from "../domain/invoiceTotals";
import { TAX_CATEGORIES } from "../domain/tax/categories";
import { paginationQuery, timestamp } from "./common";
import { attachmentSchema, legalNoteSchema, presentAttachment } from "./invoice";

const amount = z.number().int().min(1).max(1_000_000_000_000_00);

export const creditNoteCreateBody = z
	.strictObject({
		invoice_id: z.string().min(1).max(64),
		customer_id: z.string().min(1).max(64).optional().meta({ description: "If sent, must be the invoice's customer." }),
		amount: amount.optional().meta({ description: "Gross amount to credit, tax included; or send `lines`." }),
		lines: z
			.array(z.strictObject({ line_id: z.string().min(1).max(64), amount }))
			.min(1)
			.max(500)
			.optional()
			.meta({ description: "Gross amounts to credit per invoice line." }),
		reason: z.string().trim().min(1).max(500),
		apply_to_invoice: z.boolean().default(true).meta({
			description: "Reduce the invoice's balance; what exceeds it (or all, if false) becomes customer credit.",
		}),
	})
	.refine((body) => (body.amount === undefined) !== (body.lines === undefined), {
		message: "send either amount or lines",
		path: ["amount"],
	})
	.meta({
		id: "CreditNoteCreate",
		example: { invoice_id: "inv_01JD3Q8W5Z9K2M4N6P8R0T2V4X", amount: 1190, reason: "Damaged item" },
	});
export type CreditNoteCreateInput = z.infer<typeof creditNoteCreateBody>;

export const creditNoteApplyBody = z
	.strictObject({
		invoice_id: z.string().min(1).max(64),
		amount: amount.optional().meta({ description: "Defaults to as much as the note has left and the invoice owes." }),
	})
	.meta({ id: "CreditNoteApply" });

export const creditNoteSchema = z
	.object({
		id: z.string(),
		object: z.literal("credit_note"),
		number: z.string().meta({ example: "CN-2026-0001" }),
		customer_id: z.string(),
		invoice_id: z.string(),
		status: z.enum(["issued", "voided"]),
		currency: z.string(),
		amount: z.number().int(),
		display_amount: z.string(),
		net_amount: z.number().int(),
		tax_lines: z
			.array(
				z.object({
					jurisdiction: z.string(),
					category: z.enum(TAX_CATEGORIES),
					rate: z.string().nullable().meta({ description: "Null on notes issued before rates were kept per note." }),
					taxable_amount: z.number().int(),
					amount: z.number().int(),
					exemption_reason: z.string().nullable(),
					exemption_reason_code: z.string().nullable(),
				}),
			)
			.meta({ description: "One row per (jurisdiction, category, rate) of the lines credited." }),
		lines: z
			.array(
				z.object({
					line_id: z.string().meta({ description: "The invoice line credited." }),
					amount: z.number().int(),
					net_amount: z.number().int(),
					tax_amount: z.number().int(),
					tax_category: z.enum(TAX_CATEGORIES).nullable().meta({ description: "The invoice line's (BT-151)." }),
					tax_exemption_reason: z.string().nullable(),
					tax_exemption_reason_code: z.string().nullable(),
				}),
			)
			.meta({ description: "The invoice lines credited, each in the tax category of the line it credits." }),
		legal_notes: z.array(legalNoteSchema),
		amount_applied: z.number().int(),
		remaining_credit: z.number().int(),
		reason: z.string(),
		applications: z.array(z.object({ invoice_id: z.string(), amount: z.number().int(), applied_at: timestamp })),
		journal_entry_id: z.string().nullable(),
		attachments: z.array(attachmentSchema).meta({
			description: "The issued PDF and e-invoices once stored (listed on a single credit note's read).",
		}),
		created_at: timestamp,
		voided_at: timestamp.nullable(),
	})
	.meta({ id: "CreditNote" });

export type CreditNoteRow = typeof creditNotes.$inferSelect;

/** A note's tax lines; one issued before notes kept categories shows its tax per jurisdiction as charged. */
const taxLines = (row: CreditNoteRow) =>
	row.taxLines.map((t) => ({
		jurisdiction: t.jurisdiction,
		category: t.category ?? (t.amount > 0 ? ("S" as const) : ("Z" as const)),
		rate: t.rate ?? null,
		taxable_amount: t.taxable_amount ?? 0,
		amount: t.amount,
		exemption_reason: t.exemption_reason ?? null,
		exemption_reason_code: t.exemption_reason_code ?? null,
	}));

export const presentCreditNote = (
	row: CreditNoteRow,
	applications: { invoiceId: string; amount: number; createdAt: string }[],
	stored: (typeof documents.$inferSelect)[] = [],
) => ({
	id: row.id,
	object: "credit_note" as const,
	number: row.number,
	customer_id: row.customerId,
	invoice_id: row.invoiceId,
	status: row.status,
	currency: row.currency,
	amount: row.amount,
	display_amount: formatMinorUnits(row.amount, row.currency),
	net_amount: row.netAmount,
	tax_lines: taxLines(row),
	lines: row.lines,
	legal_notes: legalNotes(
		taxLines(row).map((t) => ({
			...t,
			exemptionReason: t.exemption_reason,
			exemptionReasonCode: t.exemption_reason_code,
		})),
	),
	amount_applied: row.amountApplied,
	remaining_credit: row.status === "issued" ? row.amount - row.amountApplied : 0,
	reason: row.reason,
	applications: applications.map((a) => ({ invoice_id: a.invoiceId, amount: a.amount, applied_at: a.createdAt })),
	journal_entry_id: row.journalEntryId,
	attachments: stored.map((document) => presentAttachment(document, `/v1/billing/credit-notes/${row.id}`)),
	created_at: row.createdAt,
	voided_at: row.voidedAt,
});

export const creditNoteListQuery = paginationQuery.extend({
	customer_id: z.string().min(1).optional(),
	invoice_id: z.string().min(1).optional(),
	status: z.enum(["issued", "voided"]).optional(),
});
export type CreditNoteListQuery = z.infer<typeof creditNoteListQuery>;

export type CreditNote = ReturnType<typeof presentCreditNote>;
