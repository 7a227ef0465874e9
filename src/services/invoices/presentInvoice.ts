import { formatMinorUnits } from "../../domain/currency";
import { isOverdue } from "../../domain/invoiceStatus";
import { summarizeTaxes } from "../../domain/invoiceTotals";
import type { InvoiceResource } from "../../schemas/invoice";
import { presentAttachment } from "../documents/storedDocuments";
import type { InvoiceDetail } from "./loadInvoice";

const MONEY_FIELDS = [
	"subtotal",
	"discount_total",
	"tax_total",
	"total",
	"amount_paid",
	"amount_credited",
	"amount_written_off",
	"balance",
] as const;

/** The canonical invoice resource (seed 000 §17); `today` decides whether it is overdue. */
export function presentInvoice(
	{ invoice, lines, deliveries, settlements, documents }: InvoiceDetail,
	today: string,
	preview = false,
): InvoiceResource {
	const amounts = {
		subtotal: invoice.subtotal,
		discount_total: invoice.discountTotal,
		tax_total: invoice.taxTotal,
		total: invoice.total,
		amount_paid: invoice.amountPaid,
		amount_credited: invoice.amountCredited,
		amount_written_off: invoice.amountWrittenOff,
		balance: invoice.balance,
	};
	const taxLines = summarizeTaxes(lines);
	return {
		id: preview ? null : invoice.id,
		object: "invoice",
		number: invoice.number,
		customer_id: invoice.customerId,
		status: invoice.status,
		overdue: isOverdue(invoice.status, invoice.dueDate, today),
		currency: invoice.currency,
		payment_terms: invoice.paymentTerms,
		issue_date: invoice.issueDate,
		due_date: invoice.dueDate,
		...amounts,
		display_amounts: Object.fromEntries(MONEY_FIELDS.map((f) => [f, formatMinorUnits(amounts[f], invoice.currency)])),
		lines: lines.map((line) => ({
			id: line.id,
			description: line.description,
			sku: line.sku,
			quantity: line.quantity,
			unit_price: line.unitPrice,
			amount: line.amount,
			discounts: line.discounts,
			discount_amount: line.discountAmount,
			net_amount: line.netAmount,
			taxes: line.taxes,
			tax_amount: line.taxAmount,
			total: line.total,
		})),
		tax_lines: taxLines.map((t) => ({
			jurisdiction: t.jurisdiction,
			rate: t.rate,
			taxable_amount: t.taxableAmount,
			amount: t.amount,
		})),
		payments: (settlements?.payments ?? []).map((p) => ({
			payment_id: p.paymentId,
			amount: p.amount,
			applied_at: p.appliedAt,
		})),
		credit_notes: (settlements?.creditNotes ?? []).map((n) => ({ credit_note_id: n.creditNoteId, amount: n.amount })),
		attachments: (documents ?? []).map((row) => presentAttachment(row, `/v1/billing/invoices/${invoice.id}/pdf`)),
		deliveries: deliveries.map((d) => ({
			id: d.id,
			kind: d.kind,
			channel: d.channel,
			status: d.status,
			recipient: d.recipient,
			reason: d.reason,
			provider_message_id: d.providerMessageId,
			attempts: d.attempts,
			template_id: d.templateId,
			created_at: d.createdAt,
			updated_at: d.updatedAt,
		})),
		metadata: invoice.metadata,
		memo: invoice.memo,
		terms: invoice.terms,
		posted_to_gl: invoice.postedToGl,
		journal_entry_id: invoice.journalEntryId,
		void_reason: invoice.voidReason,
		write_off_reason: invoice.writeOffReason,
		version: invoice.version,
		created_at: preview ? null : invoice.createdAt,
		updated_at: preview ? null : invoice.updatedAt,
		finalized_at: invoice.finalizedAt,
		paid_at: invoice.paidAt,
		voided_at: invoice.voidedAt,
		written_off_at: invoice.writtenOffAt,
	};
}

export const todayOf = (now: Date) => now.toISOString().slice(0, 10);
