import type { customers } from "../../db/schema";
import { computeTotals, LineError, type LineInput } from "../../domain/invoiceTotals";
import { dueDateFor, parsePaymentTerms } from "../../domain/paymentTerms";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { InvoiceCreateInput, InvoiceDetail, InvoiceLineRow } from "../../schemas/invoice";

/** UN/ECE Rec 20 "one": the unit of a line that names none. */
const DEFAULT_UNIT_CODE = "C62";

type Customer = typeof customers.$inferSelect;
type Items = InvoiceCreateInput["items"];

/** Prices the items with the totals chain, naming the offending item when one cannot be priced. */
export function priceItems(items: Items) {
	const lines: LineInput[] = items.map((item) => ({
		description: item.description,
		sku: item.sku ?? null,
		quantity: item.quantity,
		unitPrice: item.unit_price,
		discounts: item.discounts.map((d) => (d.type === "percent" ? { type: "percent", percent: d.percent } : d)),
		taxes: item.taxes,
	}));
	try {
		return computeTotals(lines);
	} catch (error) {
		if (error instanceof LineError) throw fieldInvalid("body", `items.${error.index}.${error.field}`, error.message);
		if (error instanceof RangeError) throw fieldInvalid("body", "items", "amounts are too large to compute exactly");
		throw error;
	}
}

export function lineRows(
	ctx: ServiceContext,
	invoiceId: string,
	items: Items,
): { rows: InvoiceLineRow[]; totals: ReturnType<typeof priceItems> } {
	const totals = priceItems(items);
	const rows = totals.lines.map((line, position) => ({
		id: newId("invoiceLine"),
		tenantId: ctx.tenantId,
		invoiceId,
		position,
		description: line.description,
		sku: line.sku,
		quantity: line.quantity,
		unitCode: items[position]?.unit_code ?? DEFAULT_UNIT_CODE,
		unitPrice: line.unitPrice,
		amount: line.amount,
		discounts: line.discounts,
		discountAmount: line.discountAmount,
		netAmount: line.netAmount,
		taxes: line.taxes,
		taxAmount: line.taxAmount,
		total: line.total,
	}));
	return { rows, totals };
}

/** The due date an invoice gets: the one given, else its issue date plus its payment terms. */
export function resolveDueDate(issueDate: string | null, dueDate: string | null, paymentTerms: string): string | null {
	if (dueDate !== null) return dueDate;
	if (issueDate === null) return null;
	const terms = parsePaymentTerms(paymentTerms);
	if (!terms) throw fieldInvalid("body", "payment_terms", "is not valid");
	return dueDateFor(issueDate, terms);
}

/** A draft invoice, priced, in memory: persisted by the caller, or presented as a preview. */
/**
 * Where an invoice comes from besides the API: `sourceRef` makes an import line or a billed period land
 * at most once; `subscriptionId` lists it among the subscription's invoices.
 */
export type InvoiceOrigin = { sourceRef?: string | null; subscriptionId?: string };

export function buildDraft(
	ctx: ServiceContext,
	customer: Customer,
	input: Omit<InvoiceCreateInput, "customer_id" | "finalize">,
	origin: InvoiceOrigin = {},
): InvoiceDetail {
	if (customer.status !== "active") {
		throw new AppError("invalid_state", `Customer ${customer.id} is deleted; it cannot be invoiced.`, {
			extensions: { current_status: customer.status },
		});
	}
	const id = newId("invoice");
	const { rows, totals } = lineRows(ctx, id, input.items);
	const paymentTerms = input.payment_terms ?? customer.paymentTerms;
	const issueDate = input.issue_date ?? null;
	const dueDate = input.due_date ?? null;
	if (issueDate !== null && dueDate !== null && dueDate < issueDate) {
		throw fieldInvalid("body", "due_date", "must not be before issue_date");
	}
	const now = ctx.clock.now().toISOString();
	return {
		invoice: {
			id,
			tenantId: ctx.tenantId,
			customerId: customer.id,
			number: null,
			status: "draft",
			currency: input.currency ?? customer.currency,
			paymentTerms,
			issueDate,
			dueDate: resolveDueDate(issueDate, dueDate, paymentTerms),
			subtotal: totals.subtotal,
			discountTotal: totals.discountTotal,
			taxTotal: totals.taxTotal,
			total: totals.total,
			amountPaid: 0,
			amountCredited: 0,
			amountWrittenOff: 0,
			balance: totals.total,
			memo: input.memo ?? null,
			terms: input.terms ?? null,
			orderReference: input.order_reference ?? null,
			contractReference: input.contract_reference ?? null,
			metadata: input.metadata ?? {},
			sourceRef: origin.sourceRef ?? null,
			subscriptionId: origin.subscriptionId ?? null,
			postedToGl: false,
			fxRate: null,
			journalEntryId: null,
			writeOffReason: null,
			voidReason: null,
			version: 1,
			createdAt: now,
			updatedAt: now,
			finalizedAt: null,
			paidAt: null,
			voidedAt: null,
			writtenOffAt: null,
		},
		lines: rows,
		deliveries: [],
	};
}
