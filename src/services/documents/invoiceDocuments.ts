import { and, eq } from "drizzle-orm";
import { subscriptionInvoices } from "../../db/schema";
import type { InvoiceDocument } from "../../documents/model";
import { dayBefore } from "../../domain/billingPeriods";
import { legalNotes, summarizeTaxes } from "../../domain/invoiceTotals";
import { categoryOfRate, type TaxCategory } from "../../domain/tax/categories";
import type { ServiceContext } from "../../lib/context";
import type { CreditNoteRow } from "../../schemas/creditNote";
import type { InvoiceDetail } from "../../schemas/invoice";
import { loadCustomer } from "../customers/loadCustomer";
import { buyerOf, localeOf, logoOf, sellerOf, type TenantRow } from "./parties";

/** A line's tax as printed: "DE 19% (S)", "DE 0% (AE)". */
const taxLabel = (tax: { jurisdiction: string; rate: string; category?: TaxCategory }) =>
	`${tax.jurisdiction} ${tax.rate.includes(".") ? tax.rate.replace(/\.?0+$/, "") : tax.rate}% (${tax.category ?? categoryOfRate(tax.rate)})`;

/** A legal note as a document prints it: "Reverse charge (VATEX-EU-AE)". */
const printedNote = (note: { text: string; code: string | null }) =>
	note.code ? `${note.text} (${note.code})` : note.text;

async function servicePeriodOf(ctx: ServiceContext, invoiceId: string) {
	const period = await ctx.db
		.select({ start: subscriptionInvoices.periodStart, end: subscriptionInvoices.periodEnd })
		.from(subscriptionInvoices)
		.where(and(eq(subscriptionInvoices.tenantId, ctx.tenantId), eq(subscriptionInvoices.invoiceId, invoiceId)))
		.get();
	return period ? { from: period.start, to: dayBefore(period.end) } : null;
}

/** What an invoice's PDF shows, read from the invoice, its customer and the tenant's profile. */
export async function invoiceDocument(
	ctx: ServiceContext,
	tenant: TenantRow,
	{ invoice, lines }: InvoiceDetail,
	footer: string | null,
): Promise<InvoiceDocument> {
	const [customer, logo, servicePeriod] = await Promise.all([
		loadCustomer(ctx, invoice.customerId),
		logoOf(ctx, tenant),
		servicePeriodOf(ctx, invoice.id),
	]);
	const profile = tenant.legalProfile;
	const seller = sellerOf(tenant);
	const taxLines = summarizeTaxes(lines);
	return {
		kind: "invoice",
		number: invoice.number,
		draft: invoice.status === "draft",
		locale: localeOf(tenant),
		currency: invoice.currency,
		seller,
		buyer: buyerOf(customer),
		logo,
		issueDate: invoice.issueDate,
		dueDate: invoice.dueDate,
		servicePeriod,
		paymentTerms: invoice.paymentTerms,
		correcting: null,
		lines: lines.map((line) => ({
			description: line.description,
			quantity: line.quantity,
			unit: null,
			unitPrice: line.unitPrice,
			discount: line.discountAmount,
			taxLabel: line.taxes.map(taxLabel).join(", "),
			net: line.netAmount,
		})),
		taxBreakdown: taxLines.map((t) => ({
			label: `${t.jurisdiction} (${t.category})`,
			rate: t.rate,
			taxable: t.taxableAmount,
			amount: t.amount,
		})),
		totals: {
			subtotal: invoice.subtotal,
			discount: invoice.discountTotal,
			tax: invoice.taxTotal,
			total: invoice.total,
			paid: invoice.amountPaid,
			credited: invoice.amountCredited,
			writtenOff: invoice.amountWrittenOff,
			balance: invoice.balance,
		},
		notes: [...legalNotes(taxLines).map(printedNote), ...[invoice.terms, invoice.memo].filter((n): n is string => !!n)],
		payment:
			profile?.iban && invoice.number
				? { beneficiary: seller.name, iban: profile.iban, bic: profile.bic, reference: invoice.number }
				: null,
		footer,
	};
}

/** A credit note's PDF: what it credits of which invoice, net and tax per jurisdiction at the invoice's rates. */
export async function creditNoteDocument(
	ctx: ServiceContext,
	tenant: TenantRow,
	note: CreditNoteRow,
	invoice: InvoiceDetail,
	footer: string | null,
): Promise<InvoiceDocument> {
	const [customer, logo] = await Promise.all([loadCustomer(ctx, note.customerId), logoOf(ctx, tenant)]);
	const invoiceTaxes = summarizeTaxes(invoice.lines);
	const tax = note.amount - note.netAmount;
	return {
		kind: "credit_note",
		number: note.number,
		draft: false,
		locale: localeOf(tenant),
		currency: note.currency,
		seller: sellerOf(tenant),
		buyer: buyerOf(customer),
		logo,
		issueDate: note.createdAt.slice(0, 10),
		dueDate: null,
		servicePeriod: null,
		paymentTerms: null,
		correcting: invoice.invoice.number,
		lines: [
			{
				description: `Credit on invoice ${invoice.invoice.number ?? invoice.invoice.id}: ${note.reason}`,
				quantity: "1",
				unit: null,
				unitPrice: note.netAmount,
				discount: 0,
				taxLabel: note.taxLines.map((t) => t.jurisdiction).join(", "),
				net: note.netAmount,
			},
		],
		taxBreakdown: note.taxLines.map((line) => ({
			label: line.category ? `${line.jurisdiction} (${line.category})` : line.jurisdiction,
			rate: line.rate ?? invoiceTaxes.find((t) => t.jurisdiction === line.jurisdiction)?.rate ?? "0",
			taxable: line.taxable_amount ?? note.netAmount,
			amount: line.amount,
		})),
		totals: {
			subtotal: note.netAmount,
			discount: 0,
			tax,
			total: note.amount,
			paid: 0,
			credited: 0,
			writtenOff: 0,
			balance: 0,
		},
		notes: legalNotes(
			note.taxLines.map((line) => ({
				category: line.category ?? "S",
				exemptionReason: line.exemption_reason ?? null,
				exemptionReasonCode: line.exemption_reason_code ?? null,
			})),
		).map(printedNote),
		payment: null,
		footer,
	};
}
