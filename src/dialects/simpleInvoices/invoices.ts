// Seed 001's invoices at /v1/invoices: numeric ids (numeric_ids, a per-tenant sequence), one amount in
// the tenant's default currency, `date` and `due_date`. An invoice is a draft of one line for that
// amount; the canonical API issues it. Its errors are 400 and 404 (errors.ts).
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices, numericIds } from "../../db/schema";
import { formatMinorUnits, parseMinorUnits } from "../../domain/currency";
import { type AppContext, type ServiceContext, tenantContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import { ApiRoute } from "../../routes/base";
import { contentJson, problemResponse } from "../../schemas/common";
import type { InvoiceRow, invoiceItemInput } from "../../schemas/invoice";
import { loadCustomer } from "../../services/customers/loadCustomer";
import { createInvoice } from "../../services/invoices/createInvoice";
import { deleteInvoice } from "../../services/invoices/deleteInvoice";
import { loadInvoiceRow } from "../../services/invoices/loadInvoice";
import { updateInvoice } from "../../services/invoices/updateInvoice";
import { voidInvoice } from "../../services/invoices/voidInvoice";
import { idOfNumber, numberAll, numbersOf } from "../../services/numericIds";
import { defaultCurrency } from "../../services/tenants/defaultCurrency";

/** Listed at most, newest numbers first out of the sequence's order. */
const MAX_LISTED = 1000;

const numericId = z
	.string()
	.regex(/^[1-9]\d{0,14}$/, "must be a positive integer of at most 15 digits")
	.transform(Number);

/** A date, or a timestamp whose date is taken. */
const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, "must be a date as YYYY-MM-DD")
	.transform((value) => value.slice(0, 10))
	.pipe(z.iso.date("must be a real calendar date"));

const amount = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)], "must be a decimal amount");

const invoiceBody = z
	.strictObject({
		customer_id: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(64)]),
		amount,
		date: day,
		due_date: day,
	})
	.meta({
		id: "SimpleInvoiceCreate",
		example: { customer_id: 123, amount: 100.0, date: "2023-03-01", due_date: "2023-03-31" },
	});

const invoiceUpdate = z
	.strictObject({ amount: amount.optional(), date: day.optional(), due_date: day.optional() })
	.meta({ id: "SimpleInvoiceUpdate", example: { amount: 120.0 } });

const invoiceSchema = z
	.object({
		id: z.number().int(),
		customer_id: z.number().int(),
		amount: z.number(),
		date: z.string().nullable(),
		due_date: z.string().nullable(),
	})
	.meta({ id: "SimpleInvoice" });

function minorUnits(value: number | string, currency: string): number {
	const units = parseMinorUnits(value, currency);
	if (units === null || units <= 0) {
		throw fieldInvalid("body", "amount", `must be a positive amount with at most the decimal places of ${currency}`);
	}
	return units;
}

const oneLine = (unitPrice: number): z.infer<typeof invoiceItemInput> => ({
	description: "Invoice",
	quantity: { units: 1n, scale: 0 },
	unit_price: unitPrice,
	discounts: [],
	taxes: [],
});

async function present(ctx: ServiceContext, rows: InvoiceRow[], numbers?: Map<string, number>) {
	const invoiceNumbers =
		numbers ??
		(await numbersOf(
			ctx,
			"invoice",
			rows.map((r) => r.id),
		));
	const customerNumbers = await numbersOf(ctx, "customer", [...new Set(rows.map((r) => r.customerId))]);
	return rows.map((row) => ({
		id: invoiceNumbers.get(row.id) as number,
		customer_id: customerNumbers.get(row.customerId) as number,
		// A JSON number, as the seed shows it: the decimal text of exact minor units, parsed only for output.
		amount: Number(formatMinorUnits(row.total, row.currency)),
		date: row.issueDate,
		due_date: row.dueDate,
	}));
}

async function invoiceOfNumber(ctx: ServiceContext, number: number) {
	const id = await idOfNumber(ctx, "invoice", number);
	if (!id) throw notFound("invoice", String(number));
	return loadInvoiceRow(ctx, id);
}

async function customerOf(ctx: ServiceContext, ref: number | string) {
	const id = typeof ref === "number" ? await idOfNumber(ctx, "customer", ref) : ref;
	const customer = id ? await loadCustomer(ctx, id).catch(() => null) : null;
	if (!customer) throw fieldInvalid("body", "customer_id", `no customer ${ref} exists`);
	return customer;
}

const idParam = z.object({ id: numericId });
const tags = ["Invoices (seed 001)"];

export class SimpleInvoiceList extends ApiRoute {
	readonly access = "invoices:read";
	override schema = {
		tags,
		summary: "All invoices, by numeric id",
		operationId: "simpleListInvoices",
		responses: {
			"200": {
				description: `The tenant's invoices (at most ${MAX_LISTED})`,
				content: contentJson(z.array(invoiceSchema)),
			},
		},
	};

	override async handle(c: AppContext) {
		const ctx = tenantContext(c);
		await numberAll(ctx, "invoice");
		const rows = await ctx.db
			.select({ invoice: invoices, number: numericIds.number })
			.from(numericIds)
			.innerJoin(invoices, and(eq(invoices.tenantId, numericIds.tenantId), eq(invoices.id, numericIds.targetId)))
			.where(and(eq(numericIds.tenantId, ctx.tenantId), eq(numericIds.kind, "invoice")))
			.orderBy(asc(numericIds.number))
			.limit(MAX_LISTED);
		const numbers = new Map(rows.map((r) => [r.invoice.id, r.number]));
		return c.json(
			await present(
				ctx,
				rows.map((r) => r.invoice),
				numbers,
			),
		);
	}
}

export class SimpleInvoiceCreate extends ApiRoute {
	readonly access = "invoices:write";
	/** Answers in the seed's own shape, read after its commits. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags,
		summary: "Create an invoice",
		operationId: "simpleCreateInvoice",
		request: { body: { content: contentJson(invoiceBody), required: true } },
		responses: {
			"201": { description: "The invoice", content: contentJson(invoiceSchema) },
			"400": problemResponse("The body is invalid or misses a field"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const customer = await customerOf(ctx, body.customer_id);
		const currency = await defaultCurrency(ctx);
		if (body.due_date < body.date) throw fieldInvalid("body", "due_date", "must not be before date");
		const created = await createInvoice({
			ctx,
			input: {
				customer_id: customer.id,
				currency,
				issue_date: body.date,
				due_date: body.due_date,
				items: [oneLine(minorUnits(body.amount, currency))],
				finalize: false,
			},
		});
		const [invoice] = await present(ctx, [await loadInvoiceRow(ctx, created.id as string)]);
		return c.json(invoice, 201);
	}
}

export class SimpleInvoiceGet extends ApiRoute {
	readonly access = "invoices:read";
	override schema = {
		tags,
		summary: "An invoice by numeric id",
		operationId: "simpleGetInvoice",
		request: { params: idParam },
		responses: {
			"200": { description: "The invoice", content: contentJson(invoiceSchema) },
			"404": problemResponse("No invoice has this id"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const [invoice] = await present(ctx, [await invoiceOfNumber(ctx, params.id)]);
		return c.json(invoice);
	}
}

export class SimpleInvoiceUpdate extends ApiRoute {
	readonly access = "invoices:write";
	/** Answers in the seed's own shape, read after its commits. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags,
		summary: "Change a draft invoice's amount or dates",
		operationId: "simpleUpdateInvoice",
		request: { params: idParam, body: { content: contentJson(invoiceUpdate), required: true } },
		responses: {
			"200": { description: "The invoice", content: contentJson(invoiceSchema) },
			"400": problemResponse("The body is invalid, or the invoice is issued already"),
			"404": problemResponse("No invoice has this id"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const current = await invoiceOfNumber(ctx, params.id);
		await updateInvoice({
			ctx,
			id: current.id,
			patch: {
				issue_date: body.date,
				due_date: body.due_date,
				items: body.amount === undefined ? undefined : [oneLine(minorUnits(body.amount, current.currency))],
			},
		});
		const [invoice] = await present(ctx, [await loadInvoiceRow(ctx, current.id)]);
		return c.json(invoice);
	}
}

export class SimpleInvoiceDelete extends ApiRoute {
	readonly access = "invoices:write";
	/** Answers in the seed's own shape, read after its commits. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags,
		summary: "Delete a draft, or void an issued invoice nothing was paid on",
		operationId: "simpleDeleteInvoice",
		request: { params: idParam },
		responses: {
			"204": { description: "Deleted" },
			"400": problemResponse("The invoice has payments"),
			"404": problemResponse("No invoice has this id"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const invoice = await invoiceOfNumber(ctx, params.id);
		if (invoice.status === "draft") await deleteInvoice({ ctx, id: invoice.id });
		else await voidInvoice({ ctx, id: invoice.id, reason: "Deleted through /v1/invoices" });
		return c.body(null, 204);
	}
}
