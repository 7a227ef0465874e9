// Seed 004's invoices onto the canonical invoice services. Numbers (INV-YYYY-####, the tenant's format)
// are taken when an invoice is marked as sent, which is when ours is issued: a draft has none yet, so
// a deleted draft never leaves a gap in the series.
import { z } from "zod";
import { type Decimal, parseDecimal } from "../../domain/decimal";
import { QUANTITY_SCALE, RATE_SCALE } from "../../domain/invoiceTotals";
import { todayOf } from "../../lib/clock";
import { type AppContext, type ServiceContext, tenantContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import type { CustomerOwnership } from "../../routes/base";
import { contentJson, prefixedId } from "../../schemas/common";
import type { InvoiceDetail, invoiceItemInput } from "../../schemas/invoice";
import { loadCustomer } from "../../services/customers/loadCustomer";
import { createInvoice } from "../../services/invoices/createInvoice";
import { deleteInvoice } from "../../services/invoices/deleteInvoice";
import { finalizeInvoice } from "../../services/invoices/finalizeInvoice";
import { loadInvoiceDetail } from "../../services/invoices/loadInvoice";
import { searchInvoices } from "../../services/invoices/searchInvoices";
import { updateInvoice } from "../../services/invoices/updateInvoice";
import { voidInvoice } from "../../services/invoices/voidInvoice";
import {
	type DecimalInput,
	decimalInput,
	decimalOut,
	InvoiceMeRoute,
	minorUnits,
	pageQuery,
	parseSort,
	problem,
	springPage,
} from "./base";
import { invoiceMeStatus, invoiceMeStatuses, STATUS_TABLE } from "./status";

const paymentTermsMap = {
	DUE_ON_RECEIPT: "due_on_receipt",
	NET_15: "net_15",
	NET_30: "net_30",
	NET_45: "net_45",
	NET_60: "net_60",
	NET_90: "net_90",
} as const;
type InvoiceMeTerms = keyof typeof paymentTermsMap;
const termsOf = (ours: string) =>
	(Object.keys(paymentTermsMap) as InvoiceMeTerms[]).find(
		(name) => paymentTermsMap[name] === ours.replace(/^net(\d)/, "net_$1"),
	) ?? ours.toUpperCase();

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

const lineItem = z.strictObject({
	description: z.string().trim().min(1).max(500),
	quantity: z.number().int().min(1).max(1_000_000_000),
	unitPrice: decimalInput,
	discountType: z.enum(["NONE", "PERCENTAGE", "FIXED"]).default("NONE"),
	discountValue: decimalInput.optional(),
	taxRate: decimalInput.optional().meta({ description: "Percent: 8.25 is 8.25 %." }),
});
type LineItem = z.infer<typeof lineItem>;

const invoiceFields = {
	issueDate: isoDate.optional(),
	paymentTerms: z.enum(Object.keys(paymentTermsMap) as [InvoiceMeTerms, ...InvoiceMeTerms[]]).optional(),
	dueDate: isoDate.optional(),
	lineItems: z.array(lineItem).min(1).max(500),
	notes: z.string().max(1000).optional(),
};

const invoiceCreate = z.strictObject({ customerId: z.string().min(1).max(64), ...invoiceFields }).meta({
	id: "InvoiceMeInvoiceCreate",
	example: {
		customerId: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
		issueDate: "2026-01-15",
		paymentTerms: "NET_30",
		lineItems: [
			{
				description: "Service",
				quantity: 2,
				unitPrice: "150.00",
				discountType: "PERCENTAGE",
				discountValue: "10",
				taxRate: "8.25",
			},
		],
	},
});

const invoiceUpdate = z
	.strictObject({
		...invoiceFields,
		version: z.number().int().min(1).optional().meta({ description: "The version you read; a stale one is a 409." }),
	})
	.meta({ id: "InvoiceMeInvoiceUpdate" });

const money = z.string().meta({ description: "Decimal in major units." });
const invoiceSchema = z
	.object({
		id: z.string(),
		invoiceNumber: z.string().nullable().meta({ description: "INV-YYYY-####, taken when the invoice is sent." }),
		customerId: z.string(),
		customerName: z.string(),
		status: z.enum(invoiceMeStatuses),
		issueDate: z.string().nullable(),
		dueDate: z.string().nullable(),
		paymentTerms: z.string(),
		currency: z.string(),
		lineItems: z.array(z.object({ id: z.string(), description: z.string(), quantity: z.string(), unitPrice: money })),
		subtotal: money,
		discountAmount: money,
		taxAmount: money,
		totalAmount: money,
		amountPaid: money,
		balanceDue: money,
		notes: z.string().nullable(),
		payments: z.array(z.object({ paymentId: z.string(), amount: money, appliedAt: z.string() })),
		pdfUrl: z.string(),
		version: z.number().int(),
		createdAt: z.string(),
		updatedAt: z.string(),
	})
	.meta({ id: "InvoiceMeInvoice" });

function percent(value: DecimalInput, field: string): Decimal {
	const parsed = parseDecimal(value, RATE_SCALE);
	if (!parsed || parsed.units < 0n || parsed.units > 100n * 10n ** BigInt(parsed.scale)) {
		throw fieldInvalid("body", field, `must be a percentage from 0 to 100 with up to ${RATE_SCALE} decimal places`);
	}
	return parsed;
}

/** A seed line as a canonical invoice item, its amounts in minor units of `currency`. */
function itemOf(line: LineItem, index: number, currency: string): z.infer<typeof invoiceItemInput> {
	const field = (name: string) => `lineItems.${index}.${name}`;
	const quantity = parseDecimal(line.quantity, QUANTITY_SCALE) as Decimal;
	const discountValue = line.discountValue ?? "0";
	const discounts: z.infer<typeof invoiceItemInput>["discounts"] =
		line.discountType === "PERCENTAGE"
			? [{ type: "percent", percent: percent(discountValue, field("discountValue")) }]
			: line.discountType === "FIXED"
				? [{ type: "amount", amount: minorUnits(discountValue, currency, field("discountValue")) }]
				: [];
	const rate = line.taxRate === undefined ? null : percent(line.taxRate, field("taxRate"));
	return {
		description: line.description,
		quantity,
		unit_price: minorUnits(line.unitPrice, currency, field("unitPrice")),
		discounts,
		taxes: rate && rate.units > 0n ? [{ jurisdiction: "TAX", rate }] : [],
	};
}

export function presentInvoice(detail: InvoiceDetail, customerName: string, today: string) {
	const { invoice } = detail;
	const out = (amount: number) => decimalOut(amount, invoice.currency);
	return {
		id: invoice.id,
		invoiceNumber: invoice.number,
		customerId: invoice.customerId,
		customerName,
		status: invoiceMeStatus(invoice.status, invoice.dueDate, today),
		issueDate: invoice.issueDate,
		dueDate: invoice.dueDate,
		paymentTerms: termsOf(invoice.paymentTerms),
		currency: invoice.currency,
		lineItems: detail.lines.map((line) => {
			const discount = line.discounts[0];
			return {
				id: line.id,
				description: line.description,
				quantity: line.quantity,
				unitPrice: out(line.unitPrice),
				discountType: discount === undefined ? "NONE" : discount.type === "percent" ? "PERCENTAGE" : "FIXED",
				discountValue:
					discount === undefined ? "0" : discount.type === "percent" ? discount.percent : out(discount.amount),
				taxRate: line.taxes[0]?.rate ?? "0",
				subtotal: out(line.amount),
				discountAmount: out(line.discountAmount),
				taxAmount: out(line.taxAmount),
				total: out(line.total),
			};
		}),
		subtotal: out(invoice.subtotal),
		discountAmount: out(invoice.discountTotal),
		taxAmount: out(invoice.taxTotal),
		totalAmount: out(invoice.total),
		amountPaid: out(invoice.amountPaid),
		balanceDue: out(invoice.balance),
		notes: invoice.memo,
		payments: (detail.settlements?.payments ?? []).map((p) => ({
			paymentId: p.paymentId,
			amount: out(p.amount),
			appliedAt: p.appliedAt,
		})),
		// The canonical download: a draft's rendered on request, an issued invoice's the stored file.
		pdfUrl: `/v1/billing/invoices/${invoice.id}/pdf`,
		version: invoice.version,
		createdAt: invoice.createdAt,
		updatedAt: invoice.updatedAt,
	};
}

export async function invoiceOf(ctx: ServiceContext, id: string) {
	const detail = await loadInvoiceDetail(ctx, id);
	const customer = await loadCustomer(ctx, detail.invoice.customerId);
	return presentInvoice(detail, customer.name, todayOf(ctx.clock.now()));
}

const idParam = z.object({ id: prefixedId("inv") });
const ownInvoice: CustomerOwnership = { in: "params", field: "id", of: "invoice" };

export class InvoiceCreate extends InvoiceMeRoute {
	readonly access = "invoices:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Create a draft invoice",
		operationId: "invoiceMeCreateInvoice",
		request: { body: { content: contentJson(invoiceCreate), required: true } },
		responses: {
			"201": { description: "The draft", content: contentJson(invoiceSchema) },
			"400": problem("Validation error"),
			"404": problem("No such customer"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const customer = await loadCustomer(ctx, body.customerId);
		const created = await createInvoice({
			ctx,
			input: {
				customer_id: customer.id,
				currency: customer.currency,
				issue_date: body.issueDate,
				due_date: body.dueDate,
				payment_terms: body.paymentTerms && paymentTermsMap[body.paymentTerms],
				items: body.lineItems.map((line, i) => itemOf(line, i, customer.currency)),
				memo: body.notes,
				finalize: false,
			},
		});
		return c.json(await invoiceOf(ctx, created.id as string), 201);
	}
}

export class InvoiceGet extends InvoiceMeRoute {
	readonly access = "invoices:read";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES", "CUSTOMER"] as const;
	protected override readonly ownership = ownInvoice;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Get an invoice with its lines and payments",
		operationId: "invoiceMeGetInvoice",
		request: { params: idParam },
		responses: {
			"200": { description: "The invoice", content: contentJson(invoiceSchema) },
			"404": problem("No such invoice"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await invoiceOf(tenantContext(c), params.id));
	}
}

const sortable = {
	createdAt: "created_at",
	issueDate: "issue_date",
	dueDate: "due_date",
	totalAmount: "total",
	invoiceNumber: "number",
} as const;

export class InvoiceList extends InvoiceMeRoute {
	readonly access = "invoices:read";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES", "CUSTOMER"] as const;
	protected override readonly ownership: CustomerOwnership = { in: "query", field: "customerId", of: "customer" };
	override schema = {
		tags: ["InvoiceMe"],
		summary: "List invoices",
		operationId: "invoiceMeListInvoices",
		request: {
			query: z.object({
				...pageQuery,
				status: z.enum(invoiceMeStatuses).optional(),
				customerId: z.string().min(1).max(64).optional(),
				search: z.string().trim().min(1).max(40).optional(),
				dueDateFrom: isoDate.optional(),
				dueDateTo: isoDate.optional(),
			}),
		},
		responses: {
			"200": { description: "A page of invoices", content: contentJson(z.object({ content: z.array(invoiceSchema) })) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const sort = parseSort(query.sort, Object.keys(sortable), { field: "createdAt", direction: "desc" });
		const ctx = tenantContext(c);
		const { content, total } = await searchInvoices({
			ctx,
			query: {
				statuses: query.status ? [STATUS_TABLE[query.status]] : undefined,
				customerId: query.customerId,
				search: query.search,
				dueFrom: query.dueDateFrom,
				dueTo: query.dueDateTo,
				sort: { by: sortable[sort.field as keyof typeof sortable], direction: sort.direction },
				offset: query.page * query.size,
				limit: query.size,
			},
		});
		const today = todayOf(ctx.clock.now());
		return c.json(
			springPage(
				content.map((d) => presentInvoice(d, d.customerName, today)),
				total,
				query.page,
				query.size,
				sort,
			),
		);
	}
}

export class InvoiceUpdate extends InvoiceMeRoute {
	readonly access = "invoices:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Update a draft invoice",
		operationId: "invoiceMeUpdateInvoice",
		request: { params: idParam, body: { content: contentJson(invoiceUpdate), required: true } },
		responses: {
			"200": { description: "The invoice", content: contentJson(invoiceSchema) },
			"400": problem("Validation error, or the invoice is no longer a draft"),
			"404": problem("No such invoice"),
			"409": problem("Stale version"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const current = await loadInvoiceDetail(ctx, params.id);
		await updateInvoice({
			ctx,
			id: params.id,
			patch: {
				issue_date: body.issueDate,
				due_date: body.dueDate,
				payment_terms: body.paymentTerms && paymentTermsMap[body.paymentTerms],
				items: body.lineItems.map((line, i) => itemOf(line, i, current.invoice.currency)),
				memo: body.notes,
			},
			expectedVersion: body.version,
		});
		return c.json(await invoiceOf(ctx, params.id));
	}
}

export class InvoiceMarkAsSent extends InvoiceMeRoute {
	readonly access = "invoices:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Mark a draft as sent: number and issue it",
		operationId: "invoiceMeMarkAsSent",
		request: { params: idParam },
		responses: {
			"200": { description: "The invoice, SENT", content: contentJson(invoiceSchema) },
			"400": problem("The invoice is not a draft"),
			"404": problem("No such invoice"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		await finalizeInvoice({ ctx, id: params.id });
		return c.json(await invoiceOf(ctx, params.id));
	}
}

export class InvoiceCancel extends InvoiceMeRoute {
	readonly access = "invoices:write";
	readonly roles = ["SYSADMIN"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Cancel an invoice: a draft is deleted, a sent one without payments voided",
		operationId: "invoiceMeCancelInvoice",
		request: { params: idParam },
		responses: {
			"204": { description: "Cancelled" },
			"400": problem("The invoice is paid or has payments applied"),
			"404": problem("No such invoice"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const { invoice } = await loadInvoiceDetail(ctx, params.id);
		if (invoice.status === "draft") await deleteInvoice({ ctx, id: params.id });
		else await voidInvoice({ ctx, id: params.id, reason: "Cancelled" });
		return c.body(null, 204);
	}
}
