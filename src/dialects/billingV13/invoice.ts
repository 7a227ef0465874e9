// Seed 002's invoices (Billing API v1.3.0): POST and GET /v1/billing/invoice, translated onto the
// canonical invoice services. A line's `amount` is the price of one unit in cents; an invoice created
// here is issued at once (the seed answers with status `open`). The seed's four statuses stand for the
// canonical ones: `open` is issued or partly paid, `void` is voided or written off.
import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { ApiRoute } from "../../routes/base";
import { contentJson, problemResponse } from "../../schemas/common";
import type { InvoiceResource } from "../../schemas/invoice";
import { loadCustomer } from "../../services/customers/loadCustomer";
import { createInvoice } from "../../services/invoices/createInvoice";
import { listInvoices } from "../../services/invoices/listInvoices";
import { loadSubscription } from "../../services/subscriptions/loadSubscription";

const v13Statuses = {
	draft: ["draft"],
	open: ["issued", "partially_paid"],
	paid: ["paid"],
	void: ["voided", "written_off"],
} as const satisfies Record<string, readonly InvoiceResource["status"][]>;

type V13Status = keyof typeof v13Statuses;

const v13StatusOf = (status: InvoiceResource["status"]) =>
	(Object.keys(v13Statuses) as V13Status[]).find((v13) =>
		(v13Statuses[v13] as readonly string[]).includes(status),
	) as V13Status;

/** The invoice metadata key that links an invoice to the subscription it was created for. */
const SUBSCRIPTION_KEY = "subscription_id";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

const lineItemV13 = z
	.strictObject({
		description: z.string().trim().min(1).max(500),
		amount: z.number().int().min(0).meta({ description: "Price of one unit, in cents." }),
		quantity: z.number().int().min(1).default(1),
	})
	.meta({ id: "InvoiceLineItemV13" });

const invoiceCreateV13 = z
	.strictObject({
		customer_id: z.string().min(1).max(64),
		subscription_id: z.string().min(1).max(64).optional(),
		line_items: z.array(lineItemV13).min(1).max(500),
		due_date: isoDate.optional(),
		memo: z.string().max(1000).optional(),
	})
	.meta({
		id: "InvoiceCreateV13",
		example: {
			customer_id: "cus_1234567890",
			line_items: [{ description: "Pro Plan - Monthly", amount: 2999, quantity: 1 }],
			due_date: "2024-02-15",
		},
	});

const invoiceV13 = z
	.object({
		id: z.string(),
		customer_id: z.string(),
		subscription_id: z.string().nullable(),
		status: z.enum(Object.keys(v13Statuses) as [V13Status, ...V13Status[]]),
		total: z.number().int().meta({ description: "In cents." }),
		line_items: z.array(z.object({ description: z.string(), amount: z.number().int(), quantity: z.number() })),
		memo: z.string().nullable(),
		due_date: z.string().nullable(),
		created_at: z.string(),
	})
	.meta({ id: "InvoiceV13" });

const invoiceListQueryV13 = z.strictObject({
	customer_id: z.string().min(1).max(64).optional(),
	status: z.enum(Object.keys(v13Statuses) as [V13Status, ...V13Status[]]).optional(),
	limit: z.coerce.number().int().min(1).max(100).default(20),
	offset: z.coerce.number().int().min(0).default(0),
});

const invoiceListV13 = z
	.object({
		data: z.array(invoiceV13),
		limit: z.number().int(),
		offset: z.number().int(),
		has_more: z.boolean(),
	})
	.meta({ id: "InvoiceListV13" });

function presentV13(invoice: InvoiceResource): z.infer<typeof invoiceV13> {
	return {
		id: invoice.id as string,
		customer_id: invoice.customer_id,
		subscription_id: invoice.metadata[SUBSCRIPTION_KEY] ?? null,
		status: v13StatusOf(invoice.status),
		total: invoice.total,
		line_items: invoice.lines.map((line) => ({
			description: line.description,
			amount: line.unit_price,
			quantity: Number(line.quantity),
		})),
		memo: invoice.memo,
		due_date: invoice.due_date,
		created_at: invoice.created_at as string,
	};
}

export class InvoiceCreateV13 extends ApiRoute {
	readonly access = "invoices:write";
	/** Answers in the seed's own shape, read after its commits. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Billing API v1.3"],
		summary: "Create an invoice (v1.3)",
		description: "Issued at once. A line item's `amount` is the price of one unit in cents.",
		operationId: "createInvoiceV13",
		request: { body: { content: contentJson(invoiceCreateV13), required: true } },
		responses: {
			"201": { description: "The invoice", content: contentJson(invoiceV13) },
			"400": problemResponse("Invalid request parameters"),
			"404": problemResponse("Unknown customer or subscription"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		await loadCustomer(ctx, body.customer_id);
		if (body.subscription_id !== undefined) {
			const subscription = await loadSubscription(ctx, body.subscription_id);
			if (subscription.customerId !== body.customer_id) {
				throw fieldInvalid("body", "subscription_id", "belongs to another customer");
			}
		}
		const invoice = await createInvoice({
			ctx,
			input: {
				customer_id: body.customer_id,
				items: body.line_items.map((item) => ({
					description: item.description,
					quantity: { units: BigInt(item.quantity), scale: 0 },
					unit_price: item.amount,
					discounts: [],
					taxes: [],
				})),
				due_date: body.due_date,
				memo: body.memo,
				metadata: body.subscription_id === undefined ? undefined : { [SUBSCRIPTION_KEY]: body.subscription_id },
				finalize: true,
			},
		});
		return c.json(presentV13(invoice), 201);
	}
}

export class InvoiceListV13 extends ApiRoute {
	readonly access = "invoices:read";
	override schema = {
		tags: ["Billing API v1.3"],
		summary: "List invoices (v1.3)",
		description: "Newest first; `offset` skips that many invoices.",
		operationId: "listInvoicesV13",
		request: { query: invoiceListQueryV13 },
		responses: {
			"200": { description: "A page of invoices", content: contentJson(invoiceListV13) },
			"400": problemResponse("Invalid request parameters"),
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const page = await listInvoices({
			ctx: tenantContext(c),
			query: {
				customer_id: query.customer_id,
				status: query.status === undefined ? undefined : [...v13Statuses[query.status]],
				limit: query.limit,
				offset: query.offset,
				order: "desc",
				sort: "-created_at",
			},
		});
		return c.json({
			data: page.data.map(presentV13),
			limit: query.limit,
			offset: query.offset,
			has_more: page.has_more,
		});
	}
}
