import { z } from "zod";
import type { documents, invoiceLines, invoices } from "../db/schema";
import { formatMinorUnits } from "../domain/currency";
import { type Decimal, parseDecimal } from "../domain/decimal";
import { invoiceStatuses, isOverdue } from "../domain/invoiceStatus";
import { legalNotes, QUANTITY_SCALE, RATE_SCALE, summarizeTaxes } from "../domain/invoiceTotals";
import { categoryOfRate, TAX_CATEGORIES } from "../domain/tax/categories";
import { answerOf, type ChangeAnswer, type StoredResponse } from "../lib/idempotency";
import { currencyCode, metadata, paginationQuery, timestamp } from "./common";
import { paymentTerms } from "./customer";
import { type DeliveryRow, deliverySchema, presentDelivery } from "./delivery";
import { documentReference, unitCode } from "./einvoice";

const MAX_MINOR_UNITS = 1_000_000_000_000_00; // 10^14: sums of 500 lines stay exact integers

type DecimalBounds = { maxScale: number; min: Decimal; minExclusive: boolean; max: Decimal; describe: string };

/** A JSON number or string holding an exact decimal within bounds, parsed without a float. */
const decimalField = (options: DecimalBounds) =>
	z.union([z.number(), z.string()]).transform((value, ctx) => {
		const parsed = parseDecimal(value, options.maxScale);
		const low = parsed ? compare(parsed, options.min) : -1;
		const within = parsed && (options.minExclusive ? low > 0 : low >= 0) && compare(parsed, options.max) <= 0;
		if (!parsed || !within) {
			ctx.addIssue({ code: "custom", message: `must be ${options.describe}` });
			return z.NEVER;
		}
		return parsed;
	});

function compare(a: Decimal, b: Decimal): number {
	const scale = Math.max(a.scale, b.scale);
	const left = a.units * 10n ** BigInt(scale - a.scale);
	const right = b.units * 10n ** BigInt(scale - b.scale);
	return left === right ? 0 : left < right ? -1 : 1;
}

const decimal = (units: bigint, scale = 0): Decimal => ({ units, scale });

export const quantity = decimalField({
	maxScale: QUANTITY_SCALE,
	min: decimal(0n),
	minExclusive: true,
	max: decimal(1_000_000_000n),
	describe: `a decimal greater than 0 and at most 1000000000, with up to ${QUANTITY_SCALE} decimal places`,
}).meta({ description: "Decimal quantity; fractional quantities are allowed.", example: 1.5 });

export const percentage = decimalField({
	maxScale: RATE_SCALE,
	min: decimal(0n),
	minExclusive: false,
	max: decimal(100n),
	describe: `a percentage from 0 to 100 with up to ${RATE_SCALE} decimal places`,
});

const minorUnits = z.number().int().min(0).max(MAX_MINOR_UNITS);

export const discountInput = z
	.discriminatedUnion("type", [
		z.strictObject({ type: z.literal("percent"), percent: percentage.meta({ example: 10 }) }),
		z.strictObject({ type: z.literal("amount"), amount: minorUnits.meta({ description: "Minor units." }) }),
	])
	.meta({ id: "LineDiscount" });

export const taxCode = z
	.string()
	.regex(/^[a-z][a-z0-9_]{0,39}$/, "must be lower case letters, digits and underscores, such as standard or books")
	.meta({
		description:
			"`standard`, `reduced`, `reduced_2`, `super_reduced`, `parking`, `zero`, `exempt`, `digital_services`, a slab such as `gst_28`, or a code the tenant defined with POST /v1/billing/tax/rates.",
		example: "standard",
	});

export const taxInput = z
	.strictObject({
		jurisdiction: z.string().trim().min(1).max(64).meta({ example: "DE" }),
		rate: percentage.meta({ description: "Percent: 19 means 19 %; 8.875 is allowed.", example: 19 }),
	})
	.meta({ id: "LineTax" });

export const invoiceItemInput = z
	.strictObject({
		description: z.string().trim().min(1).max(500),
		sku: z.string().trim().min(1).max(100).optional(),
		quantity: quantity.prefault(1),
		unit_code: unitCode
			.optional()
			.meta({ description: "UN/ECE Rec 20 unit of the quantity; C62 ('one') when absent." }),
		unit_price: minorUnits.meta({ description: "Price of one unit in minor units of the invoice currency." }),
		discounts: z.array(discountInput).max(10).default([]),
		taxes: z
			.array(taxInput)
			.max(10)
			.refine(
				(taxes) => new Set(taxes.map((t) => t.jurisdiction)).size === taxes.length,
				"may name each jurisdiction once",
			)
			.optional()
			.meta({
				description:
					"The line's taxes as given (none: `[]`). Without them, once the tenant's tax_origin_country is set, the tax engine taxes the line by its `tax_code`, the seller's setup and the customer's tax profile; before that the line has no tax.",
			}),
		tax_code: taxCode.optional().meta({ description: "What the tax engine taxes the line by; default `standard`." }),
		prices_include_tax: z.boolean().optional().meta({
			description:
				"Whether `unit_price` and fixed discount amounts include the line's taxes. Default: the invoice's `prices_include_tax`, else the tenant's `tax_prices_include_tax` setting. Either way the line is stored net: the engine takes the tax out so that `net_amount` + `tax_amount` = the gross stated exactly, rounded by the tenant's `tax_rounding`. Applies to engine-taxed lines and to lines with `taxes` alike.",
		}),
	})
	.refine((item) => item.taxes === undefined || item.tax_code === undefined, {
		path: ["tax_code"],
		message: "cannot be combined with taxes: give either the taxes or the code the engine taxes by",
	})
	.meta({ id: "InvoiceItem" });

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

const invoiceFields = {
	currency: currencyCode.optional().meta({ description: "Defaults to the customer's currency." }),
	due_date: isoDate.optional().meta({ description: "Overrides the payment terms." }),
	payment_terms: paymentTerms.optional().meta({ description: "Defaults to the customer's payment terms." }),
	items: z.array(invoiceItemInput).min(1).max(500),
	prices_include_tax: z.boolean().optional().meta({
		description:
			"Whether the items' prices include tax, for items that do not say (`items[].prices_include_tax`). Default: the tenant's `tax_prices_include_tax` setting (a subscription's invoices: its plan's `prices_include_tax`).",
	}),
	metadata: metadata.optional(),
	terms: z.string().max(5000).optional(),
	memo: z.string().max(1000).optional(),
	order_reference: documentReference.optional().meta({ description: "The buyer's purchase order (BT-13)." }),
	contract_reference: documentReference.optional().meta({ description: "The contract invoiced (BT-12)." }),
};

const invoiceExample = {
	customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
	currency: "EUR",
	items: [
		{
			description: "Consulting",
			sku: "CONS-H",
			quantity: 2.5,
			unit_price: 12000,
			discounts: [{ type: "percent", percent: 10 }],
			taxes: [{ jurisdiction: "DE", rate: 19 }],
		},
	],
	memo: "Thank you for your business.",
};

export const invoiceCreateBody = z
	.strictObject({
		customer_id: z.string().min(1).max(64),
		...invoiceFields,
		issue_date: isoDate.optional().meta({ description: "Defaults to the day the invoice is finalized." }),
		finalize: z.boolean().default(false).meta({ description: "Finalize at once: number it and issue it." }),
	})
	.meta({ id: "InvoiceCreate", example: invoiceExample });

export type InvoiceCreateInput = z.infer<typeof invoiceCreateBody>;

export const invoiceUpdateBody = z
	.strictObject({
		...invoiceFields,
		items: invoiceFields.items.optional(),
		issue_date: isoDate.nullable().optional(),
		due_date: isoDate.nullable().optional(),
		memo: z.string().max(1000).nullable().optional(),
		terms: z.string().max(5000).nullable().optional(),
		order_reference: documentReference.nullable().optional(),
		contract_reference: documentReference.nullable().optional(),
		version: z.number().int().min(1).optional(),
	})
	.refine((patch) => patch.prices_include_tax === undefined || patch.items !== undefined, {
		path: ["prices_include_tax"],
		message: "applies to the items it comes with: send the items again with it",
	})
	.meta({ id: "InvoiceUpdate", example: { memo: "Updated memo", version: 1 } });

export type InvoiceUpdateInput = z.infer<typeof invoiceUpdateBody>;

const money = z.number().int().meta({ description: "Minor units of the invoice currency." });

export const invoiceLineSchema = z
	.object({
		id: z.string(),
		description: z.string(),
		sku: z.string().nullable(),
		quantity: z.string().meta({ description: "Exact decimal", example: "2.5" }),
		unit_code: z.string().meta({ description: "UN/ECE Rec 20 unit of the quantity", example: "HUR" }),
		unit_price: money,
		amount: money,
		discounts: z.array(
			z.union([
				z.object({ type: z.literal("percent"), percent: z.string() }),
				z.object({ type: z.literal("amount"), amount: money }),
			]),
		),
		discount_amount: money,
		net_amount: money,
		taxes: z.array(
			z.object({
				jurisdiction: z.string(),
				rate: z.string(),
				amount: money,
				category: z.enum(TAX_CATEGORIES).meta({ description: "EN 16931 VAT category code (BT-151)" }),
			}),
		),
		tax_amount: money,
		total: money,
		tax_code: z.string().nullable().meta({ description: "What the tax engine taxed the line by; null: taxes given." }),
		tax_category: z.enum(TAX_CATEGORIES).nullable().meta({
			description: "EN 16931 VAT category code (UNCL 5305, BT-151) of the line; null when the line has no tax.",
			example: "S",
		}),
		tax_exemption_reason: z.string().nullable().meta({ description: "BT-120", example: "Reverse charge" }),
		tax_exemption_reason_code: z
			.string()
			.nullable()
			.meta({ description: "VATEX code (BT-121)", example: "VATEX-EU-AE" }),
		prices_include_tax: z.boolean().meta({
			description:
				"As the line was stated: `unit_price` (and fixed discount amounts) include its taxes. `amount`, `discount_amount` and `net_amount` are net either way; `total` is the gross stated.",
		}),
	})
	.meta({ id: "InvoiceLine" });

export const taxLineSchema = z
	.object({
		jurisdiction: z.string(),
		category: z.enum(TAX_CATEGORIES),
		rate: z.string(),
		taxable_amount: money,
		amount: money,
		exemption_reason: z.string().nullable(),
		exemption_reason_code: z.string().nullable(),
	})
	.meta({ id: "TaxLine" });

export const legalNoteSchema = z
	.object({ category: z.enum(TAX_CATEGORIES), text: z.string(), code: z.string().nullable() })
	.meta({ id: "LegalNote", description: "A note the document must print, such as Reverse charge." });

export const attachmentSchema = z.object({
	id: z.string(),
	kind: z.string().meta({ example: "invoice_pdf" }),
	content_type: z.string(),
	size: z.number().int(),
	sha256: z.string(),
	url: z.string(),
	created_at: timestamp,
});

export const invoiceSchema = z
	.object({
		id: z.string().nullable().meta({ description: "Null in a preview." }),
		object: z.literal("invoice"),
		number: z.string().nullable().meta({ example: "INV-2026-0001" }),
		customer_id: z.string(),
		subscription_id: z
			.string()
			.nullable()
			.meta({ description: "The subscription that generated it (a period, a proration or an invoice-now)." }),
		status: z.enum(invoiceStatuses),
		overdue: z.boolean(),
		currency: z.string(),
		payment_terms: z.string(),
		issue_date: z.string().nullable(),
		due_date: z.string().nullable(),
		subtotal: money,
		discount_total: money,
		tax_total: money,
		total: money,
		amount_paid: money,
		amount_credited: money,
		amount_written_off: money,
		balance: money,
		display_amounts: z.record(z.string(), z.string()).meta({
			description: "The money fields as decimal strings in major units, for display only.",
			example: { total: "321.30", balance: "321.30" },
		}),
		lines: z.array(invoiceLineSchema),
		tax_lines: z.array(taxLineSchema).meta({ description: "One row per (jurisdiction, category, rate)." }),
		legal_notes: z.array(legalNoteSchema),
		payments: z.array(z.object({ payment_id: z.string(), amount: money, applied_at: timestamp })),
		credit_notes: z.array(z.object({ credit_note_id: z.string(), amount: money })),
		attachments: z.array(attachmentSchema).meta({
			description: "The issued PDF and e-invoices once stored (listed on a single invoice's read).",
		}),
		deliveries: z.array(deliverySchema),
		metadata: z.record(z.string(), z.string()),
		memo: z.string().nullable(),
		terms: z.string().nullable(),
		order_reference: z.string().nullable(),
		contract_reference: z.string().nullable(),
		posted_to_gl: z.boolean(),
		journal_entry_id: z.string().nullable(),
		void_reason: z.string().nullable(),
		write_off_reason: z.string().nullable(),
		version: z.number().int(),
		created_at: timestamp.nullable(),
		updated_at: timestamp.nullable(),
		finalized_at: timestamp.nullable(),
		paid_at: timestamp.nullable(),
		voided_at: timestamp.nullable(),
		written_off_at: timestamp.nullable(),
	})
	.meta({
		id: "Invoice",
		example: {
			id: "inv_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
			object: "invoice",
			number: "INV-2026-0001",
			customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
			status: "issued",
			overdue: false,
			currency: "EUR",
			payment_terms: "net30",
			issue_date: "2026-01-15",
			due_date: "2026-02-14",
			subtotal: 30000,
			discount_total: 3000,
			tax_total: 5130,
			total: 32130,
			amount_paid: 0,
			amount_credited: 0,
			amount_written_off: 0,
			balance: 32130,
			display_amounts: { total: "321.30", balance: "321.30" },
			lines: [
				{
					id: "line_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
					description: "Consulting",
					sku: "CONS-H",
					quantity: "2.5",
					unit_code: "HUR",
					unit_price: 12000,
					amount: 30000,
					discounts: [{ type: "percent", percent: "10" }],
					discount_amount: 3000,
					net_amount: 27000,
					taxes: [{ jurisdiction: "DE", rate: "19", amount: 5130, category: "S" }],
					tax_amount: 5130,
					total: 32130,
					tax_code: "standard",
					tax_category: "S",
					tax_exemption_reason: null,
					tax_exemption_reason_code: null,
					prices_include_tax: false,
				},
			],
			tax_lines: [
				{
					jurisdiction: "DE",
					category: "S",
					rate: "19",
					taxable_amount: 27000,
					amount: 5130,
					exemption_reason: null,
					exemption_reason_code: null,
				},
			],
			legal_notes: [],
			payments: [],
			credit_notes: [],
			attachments: [],
			deliveries: [],
			metadata: { order_ref: "order_999" },
			memo: null,
			terms: null,
			order_reference: "PO-4711",
			contract_reference: null,
			posted_to_gl: false,
			journal_entry_id: null,
			void_reason: null,
			write_off_reason: null,
			version: 2,
			created_at: "2026-01-15T09:00:00.000Z",
			updated_at: "2026-01-15T09:05:00.000Z",
			finalized_at: "2026-01-15T09:05:00.000Z",
			paid_at: null,
			voided_at: null,
			written_off_at: null,
		},
	});

export type InvoiceResource = z.infer<typeof invoiceSchema>;

export const invoiceListQuery = paginationQuery.extend({
	status: z
		.string()
		.regex(new RegExp(`^(${invoiceStatuses.join("|")})( *, *(${invoiceStatuses.join("|")}))*$`), {
			message: `must be one or more of ${invoiceStatuses.join(", ")}, separated by commas`,
		})
		.transform((value) => value.split(",").map((v) => v.trim()))
		.pipe(z.array(z.enum(invoiceStatuses)).min(1))
		.optional()
		.meta({ description: "One status or a comma-separated list." }),
	customer_id: z.string().min(1).optional(),
	currency: currencyCode.optional(),
	from: isoDate.optional().meta({ description: "Issued (or, for drafts, created) on or after this date." }),
	to: isoDate.optional().meta({ description: "Issued (or, for drafts, created) on or before this date." }),
	min_amount: z.coerce.number().int().min(0).optional().meta({ description: "Total of at least this, minor units." }),
	overdue: z
		.enum(["true", "false"])
		.transform((v) => v === "true")
		.optional(),
	sort: z
		.enum(["created_at", "-created_at", "due_date", "-due_date", "total", "-total"])
		.default("-created_at")
		.meta({ description: "Field to sort by; a leading '-' sorts descending." }),
});

export type InvoiceListQuery = z.infer<typeof invoiceListQuery>;

export const voidBody = z
	.strictObject({ reason: z.string().trim().min(1).max(500).optional() })
	.meta({ id: "InvoiceVoid" });

export const writeOffBody = z
	.strictObject({ reason: z.string().trim().min(1).max(500) })
	.meta({ id: "InvoiceWriteOff", example: { reason: "Customer insolvent" } });

export const sendBody = z
	.strictObject({
		channels: z
			.array(z.enum(["email", "erp", "sftp"]))
			.min(1)
			.max(3)
			.default(["email"]),
		template_id: z.string().max(100).optional(),
		to: z.email().optional().meta({ description: "Overrides the customer's email for the email channel." }),
	})
	.meta({ id: "InvoiceSend" });

export const remindBody = z
	.strictObject({
		channels: z.array(z.literal("email")).min(1).max(1).default(["email"]),
		template_id: z
			.string()
			.max(100)
			.optional()
			.meta({ description: "A reminder template; the tenant's default otherwise." }),
		to: z.email().optional(),
	})
	.meta({ id: "InvoiceRemind" });

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceSettlements = {
	payments: { paymentId: string; amount: number; appliedAt: string }[];
	creditNotes: { creditNoteId: string; amount: number }[];
};
export type InvoiceDetail = {
	invoice: InvoiceRow;
	lines: InvoiceLineRow[];
	deliveries: DeliveryRow[];
	settlements?: InvoiceSettlements;
	/** The stored PDF, where the reader asked for it. */
	documents?: (typeof documents.$inferSelect)[];
};

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

/** A stored line; one stored before lines kept categories shows those of its rates (S, or Z at 0). */
function presentLine(line: InvoiceLineRow) {
	const taxes = line.taxes.map((tax) => ({ ...tax, category: tax.category ?? categoryOfRate(tax.rate) }));
	return {
		id: line.id,
		description: line.description,
		sku: line.sku,
		quantity: line.quantity,
		unit_code: line.unitCode,
		unit_price: line.unitPrice,
		amount: line.amount,
		discounts: line.discounts,
		discount_amount: line.discountAmount,
		net_amount: line.netAmount,
		taxes,
		tax_amount: line.taxAmount,
		total: line.total,
		tax_code: line.taxCode,
		tax_category: line.taxCategory ?? taxes[0]?.category ?? null,
		tax_exemption_reason: line.taxExemptionReason,
		tax_exemption_reason_code: line.taxExemptionReasonCode,
		prices_include_tax: line.pricesIncludeTax,
	};
}

/** The canonical invoice resource (seed 000 §17); `today` decides whether it is overdue. */
export function presentInvoice(
	{ invoice, lines, deliveries, settlements, documents: stored }: InvoiceDetail,
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
		subscription_id: invoice.subscriptionId,
		status: invoice.status,
		overdue: isOverdue(invoice.status, invoice.dueDate, today),
		currency: invoice.currency,
		payment_terms: invoice.paymentTerms,
		issue_date: invoice.issueDate,
		due_date: invoice.dueDate,
		...amounts,
		display_amounts: Object.fromEntries(MONEY_FIELDS.map((f) => [f, formatMinorUnits(amounts[f], invoice.currency)])),
		lines: lines.map(presentLine),
		tax_lines: taxLines.map((t) => ({
			jurisdiction: t.jurisdiction,
			category: t.category,
			rate: t.rate,
			taxable_amount: t.taxableAmount,
			amount: t.amount,
			exemption_reason: t.exemptionReason,
			exemption_reason_code: t.exemptionReasonCode,
		})),
		legal_notes: legalNotes(taxLines),
		payments: (settlements?.payments ?? []).map((p) => ({
			payment_id: p.paymentId,
			amount: p.amount,
			applied_at: p.appliedAt,
		})),
		credit_notes: (settlements?.creditNotes ?? []).map((n) => ({ credit_note_id: n.creditNoteId, amount: n.amount })),
		attachments: (stored ?? []).map((row) => presentAttachment(row, `/v1/billing/invoices/${invoice.id}`)),
		deliveries: deliveries.map(presentDelivery),
		metadata: invoice.metadata,
		memo: invoice.memo,
		terms: invoice.terms,
		order_reference: invoice.orderReference,
		contract_reference: invoice.contractReference,
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

/** A stored document of an invoice or credit note (at `sourceUrl`), as its `attachments` list it: the PDF
 * (`invoice_pdf`) or an e-invoice (`einvoice_ubl`…). */
export const presentAttachment = (row: typeof documents.$inferSelect, sourceUrl: string) => ({
	id: row.id,
	kind: row.format === "pdf" ? `${row.kind}_pdf` : `einvoice_${row.format}`,
	content_type: row.contentType,
	size: row.size,
	sha256: row.sha256,
	url: row.format === "pdf" ? `${sourceUrl}/pdf` : `${sourceUrl}/e-invoice?format=${row.format}`,
	created_at: row.createdAt,
});

/** How a created invoice answers its request: 201, its `Location` and `ETag`. */
export const invoiceCreated = (invoice: Pick<InvoiceResource, "id" | "version">): ChangeAnswer => ({
	status: 201,
	location: `/v1/billing/invoices/${invoice.id}`,
	version: invoice.version,
});

/** The HTTP answer to a created invoice, as sent and as stored for its Idempotency-Key. */
export const invoiceCreatedResponse = (invoice: InvoiceResource): StoredResponse =>
	answerOf(invoiceCreated(invoice), invoice);
