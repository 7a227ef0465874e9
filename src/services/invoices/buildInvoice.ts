import type { customers } from "../../db/schema";
import { LineError, type LineInput } from "../../domain/invoiceTotals";
import { dueDateFor, parsePaymentTerms } from "../../domain/paymentTerms";
import { TaxInputError } from "../../domain/tax/engine";
import { computeTaxedTotals, type InvoiceTaxing } from "../../domain/tax/invoiceLines";
import { BUILT_IN_RECORDS } from "../../domain/tax/rates";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { InvoiceCreateInput, InvoiceDetail, InvoiceLineRow } from "../../schemas/invoice";
import type { PlanRow } from "../../schemas/plan";
import { taxInputProblem } from "../tax/taxProblems";
import type { InvoiceTaxSetup } from "../tax/tenantTaxSetup";

/** UN/ECE Rec 20 "one": the unit of a line that names none. */
const DEFAULT_UNIT_CODE = "C62";

type Customer = typeof customers.$inferSelect;
type Items = InvoiceCreateInput["items"];

/** How a draft's lines are taxed, besides what they state themselves. */
export type DraftTaxing = {
	/** The tenant's tax setup: without a seller in it, lines without taxes have none. */
	setup: InvoiceTaxSetup | null;
	/** The code lines without one are taxed by (a plan's); else `standard`. */
	defaultTaxCode?: string | null;
	/** Whether the prices of lines that do not say include tax (the invoice's, a plan's); else the tenant's setting. */
	pricesIncludeTax?: boolean | null;
	/** The day of supply (a billed period's last day); else the issue date, else today. */
	supplyDate?: string;
};

/** How a plan's invoice lines are taxed unless they say otherwise: by its tax code and price mode. */
export const planTaxing = (plan: PlanRow): Pick<DraftTaxing, "defaultTaxCode" | "pricesIncludeTax"> => ({
	defaultTaxCode: plan.taxCode,
	pricesIncludeTax: plan.pricesIncludeTax,
});

type LineTaxing = DraftTaxing & { customer: Customer; issueDate: string | null };

/** The engine's buyer fields as a customer holds them. */
const CUSTOMER_FIELDS: Record<string, string> = {
	"buyer.country": "billing_address.country",
	"buyer.region": "billing_address.state",
	"buyer.tax_id": "tax_id",
	"buyer.exemption_reason": "tax_exemption_reason",
	"buyer.exemption_reason_code": "tax_exemption_reason_code",
};

/** What the engine needs of this invoice but its lines; null when the tenant has no tax setup. */
function invoiceTaxing(ctx: ServiceContext, taxing: LineTaxing): InvoiceTaxing | null {
	const seller = taxing.setup?.seller;
	if (!taxing.setup || !seller) return null;
	const { customer } = taxing;
	const address = customer.billingAddress;
	if (!address) {
		throw fieldInvalid(
			"body",
			"customer_id",
			"has no billing address: the tax engine needs its country (set it, or give each item its taxes)",
		);
	}
	return {
		seller,
		buyer: {
			country: address.country,
			region: address.state ?? null,
			postalCode: address.postal_code ?? null,
			taxId: customer.taxId,
			taxStatus: customer.taxStatus,
			exemptionReason: customer.taxExemptionReason,
			exemptionReasonCode: customer.taxExemptionReasonCode,
		},
		supplyDate: taxing.supplyDate ?? taxing.issueDate ?? todayOf(ctx.clock.now()),
		rounding: taxing.setup.rounding,
		tenantRates: taxing.setup.rates,
		builtInRates: BUILT_IN_RECORDS,
	};
}

/**
 * Prices the items with the totals chain, taxing those without `taxes` by the engine once the tenant
 * has a tax setup, and names the offending item (or the customer's tax field) when one cannot be priced.
 */
export function priceItems(ctx: ServiceContext, items: Items, taxing: LineTaxing) {
	const engine = taxing.setup?.seller ? (taxing.defaultTaxCode ?? "standard") : null;
	const pricesIncludeTax = taxing.pricesIncludeTax ?? taxing.setup?.pricesIncludeTax ?? false;
	const lines: LineInput[] = items.map((item) => ({
		description: item.description,
		sku: item.sku ?? null,
		quantity: item.quantity,
		unitPrice: item.unit_price,
		discounts: item.discounts.map((d) => (d.type === "percent" ? { type: "percent", percent: d.percent } : d)),
		taxes: item.taxes ?? [],
		taxCode: item.taxes === undefined ? (item.tax_code ?? engine) : null,
		pricesIncludeTax: item.prices_include_tax ?? pricesIncludeTax,
	}));
	try {
		const needsEngine = lines.some((line) => line.taxCode);
		const rounding = taxing.setup?.rounding;
		return computeTaxedTotals(lines, needsEngine ? invoiceTaxing(ctx, taxing) : null, rounding);
	} catch (error) {
		if (error instanceof LineError) throw fieldInvalid("body", `items.${error.index}.${error.field}`, error.message);
		if (error instanceof TaxInputError) {
			// The buyer is the customer: its own field is named in the message, the request's is customer_id.
			const customerField = CUSTOMER_FIELDS[error.field];
			if (customerField) throw fieldInvalid("body", "customer_id", `its ${customerField} ${error.message}`);
			throw taxInputProblem(error, (field) => (field === "supply_date" ? "issue_date" : field));
		}
		if (error instanceof RangeError) throw fieldInvalid("body", "items", "amounts are too large to compute exactly");
		throw error;
	}
}

export function lineRows(
	ctx: ServiceContext,
	invoiceId: string,
	items: Items,
	taxing: LineTaxing,
): { rows: InvoiceLineRow[]; totals: ReturnType<typeof priceItems> } {
	const totals = priceItems(ctx, items, taxing);
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
		taxCode: line.taxCode,
		taxCategory: line.taxCategory,
		taxExemptionReason: line.taxExemptionReason,
		taxExemptionReasonCode: line.taxExemptionReasonCode,
		pricesIncludeTax: line.pricesIncludeTax,
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
	taxing: DraftTaxing,
	origin: InvoiceOrigin = {},
): InvoiceDetail {
	if (customer.status !== "active") {
		throw new AppError("invalid_state", `Customer ${customer.id} is deleted; it cannot be invoiced.`, {
			extensions: { current_status: customer.status },
		});
	}
	const id = newId("invoice");
	const issueDate = input.issue_date ?? null;
	const { rows, totals } = lineRows(ctx, id, input.items, {
		...taxing,
		pricesIncludeTax: input.prices_include_tax ?? taxing.pricesIncludeTax,
		customer,
		issueDate,
	});
	const paymentTerms = input.payment_terms ?? customer.paymentTerms;
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
