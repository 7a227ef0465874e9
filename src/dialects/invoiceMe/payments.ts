// Seed 004's payments and refunds onto the canonical payment services, which move the money inside
// the customer's account object. A payment is recorded for one invoice: what exceeds its balance stays
// with the customer as credit; a refund takes money back off one paid invoice.
import { z } from "zod";
import { todayOf } from "../../lib/clock";
import { type AppContext, tenantContext } from "../../lib/context";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import type { CustomerOwnership } from "../../routes/base";
import { contentJson, prefixedId } from "../../schemas/common";
import { loadInvoiceDetail } from "../../services/invoices/loadInvoice";
import { allocatePayment } from "../../services/payments/allocatePayment";
import { recordPayment } from "../../services/payments/recordPayment";
import { refundPayment } from "../../services/payments/refundPayment";
import { PAYMENT_INVOICE_KEY, searchPayments } from "../../services/payments/searchPayments";
import {
	decimalInput,
	decimalOut,
	InvoiceMeRoute,
	minorUnits,
	pageQuery,
	parseSort,
	problem,
	springPage,
} from "./base";

const methods = { CREDIT_CARD: "card", ACH: "bank_transfer" } as const;
type Method = keyof typeof methods;
const methodOf = (ours: string): string =>
	(Object.keys(methods) as Method[]).find((name) => methods[name] === ours) ?? ours.toUpperCase();

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

const paymentCreate = z
	.strictObject({
		invoiceId: z.string().min(1).max(64),
		amount: decimalInput,
		paymentMethod: z.enum(["CREDIT_CARD", "ACH"]),
		paymentDate: isoDate,
		paymentReference: z.string().trim().min(1).max(200).optional(),
		notes: z.string().max(500).optional(),
	})
	.meta({
		id: "InvoiceMePaymentCreate",
		example: {
			invoiceId: "inv_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
			amount: "120.50",
			paymentMethod: "ACH",
			paymentDate: "2026-01-20",
		},
	});

const paymentSchema = z
	.object({
		id: z.string(),
		invoiceId: z.string().nullable(),
		invoiceNumber: z.string().nullable(),
		customerId: z.string(),
		customerName: z.string(),
		amount: z.string(),
		currency: z.string(),
		paymentMethod: z.string(),
		paymentDate: z.string(),
		paymentReference: z.string().nullable(),
		notes: z.string().nullable(),
		status: z.enum(["COMPLETED", "REFUNDED"]),
		createdAt: z.string(),
	})
	.meta({ id: "InvoiceMePayment" });

type Found = Awaited<ReturnType<typeof searchPayments>>["content"][number];

const presentPayment = ({ payment, customerName, invoiceNumber }: Found) => ({
	id: payment.id,
	invoiceId: payment.metadata[PAYMENT_INVOICE_KEY] ?? null,
	invoiceNumber,
	customerId: payment.customerId,
	customerName,
	amount: decimalOut(payment.amount, payment.currency),
	currency: payment.currency,
	paymentMethod: methodOf(payment.paymentMethod),
	paymentDate: payment.paidAt.slice(0, 10),
	paymentReference: payment.reference,
	notes: payment.metadata.notes ?? null,
	status: payment.amountRefunded === payment.amount ? ("REFUNDED" as const) : ("COMPLETED" as const),
	createdAt: payment.createdAt,
});

async function paymentById(c: AppContext, id: string) {
	const { content } = await searchPayments({
		ctx: tenantContext(c),
		query: { ids: [id], sort: { by: "created_at", direction: "asc" }, offset: 0, limit: 1 },
	});
	const [found] = content;
	if (!found) throw notFound("payment", id);
	return presentPayment(found);
}

const OPEN = ["issued", "partially_paid"];

export class PaymentCreate extends InvoiceMeRoute {
	readonly access = "payments:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "CUSTOMER"] as const;
	protected override readonly ownership: CustomerOwnership = { in: "body", field: "invoiceId", of: "invoice" };
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Record a payment for a sent or overdue invoice",
		operationId: "invoiceMeRecordPayment",
		request: { body: { content: contentJson(paymentCreate), required: true } },
		responses: {
			"201": { description: "The payment", content: contentJson(paymentSchema) },
			"400": problem("The invoice is not SENT or OVERDUE, or the amount is not positive"),
			"404": problem("No such invoice"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const { invoice } = await loadInvoiceDetail(ctx, body.invoiceId);
		if (!OPEN.includes(invoice.status)) {
			throw new AppError(
				"invalid_state",
				`Payments are accepted only on SENT or OVERDUE invoices; ${invoice.id} is not.`,
			);
		}
		const amount = minorUnits(body.amount, invoice.currency, "amount");
		if (amount <= 0) throw fieldInvalid("body", "amount", "must be greater than 0");
		const now = ctx.clock.now();
		const today = todayOf(now);
		if (body.paymentDate > today) throw fieldInvalid("body", "paymentDate", "must not be in the future");
		const payment = await recordPayment({
			ctx,
			input: {
				customer_id: invoice.customerId,
				invoice_id: invoice.id,
				amount,
				currency: invoice.currency,
				paid_at: body.paymentDate === today ? now.toISOString() : `${body.paymentDate}T00:00:00.000Z`,
				payment_method: methods[body.paymentMethod],
				reference: body.paymentReference,
				metadata: { [PAYMENT_INVOICE_KEY]: invoice.id, ...(body.notes ? { notes: body.notes } : {}) },
			},
			requestKey: c.req.header("idempotency-key") ?? null,
		});
		return c.json(await paymentById(c, payment.id), 201);
	}
}

const idParam = z.object({ id: prefixedId("pay") });

export class PaymentGet extends InvoiceMeRoute {
	readonly access = "payments:read";
	readonly roles = ["SYSADMIN", "ACCOUNTANT"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Get a payment",
		operationId: "invoiceMeGetPayment",
		request: { params: idParam },
		responses: {
			"200": { description: "The payment", content: contentJson(paymentSchema) },
			"404": problem("No such payment"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await paymentById(c, params.id));
	}
}

const sortable = { paymentDate: "paid_at", amount: "amount", createdAt: "created_at" } as const;

export class PaymentList extends InvoiceMeRoute {
	readonly access = "payments:read";
	readonly roles = ["SYSADMIN", "ACCOUNTANT"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "List payments",
		operationId: "invoiceMeListPayments",
		request: {
			query: z.object({
				...pageQuery,
				invoiceId: z.string().min(1).max(64).optional(),
				customerId: z.string().min(1).max(64).optional(),
				paymentMethod: z.enum(["CREDIT_CARD", "ACH"]).optional(),
				status: z.enum(["PENDING", "COMPLETED", "FAILED", "REFUNDED"]).optional(),
				paymentDateFrom: isoDate.optional(),
				paymentDateTo: isoDate.optional(),
			}),
		},
		responses: {
			"200": { description: "A page of payments", content: contentJson(z.object({ content: z.array(paymentSchema) })) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const sort = parseSort(query.sort, Object.keys(sortable), { field: "createdAt", direction: "desc" });
		// Payments are recorded when the money has arrived: none is ever PENDING or FAILED here.
		if (query.status === "PENDING" || query.status === "FAILED") {
			return c.json(springPage([], 0, query.page, query.size, sort));
		}
		const { content, total } = await searchPayments({
			ctx: tenantContext(c),
			query: {
				invoiceId: query.invoiceId,
				customerId: query.customerId,
				methods: query.paymentMethod ? [methods[query.paymentMethod]] : undefined,
				refunded: query.status === undefined ? undefined : query.status === "REFUNDED",
				paidFrom: query.paymentDateFrom,
				paidTo: query.paymentDateTo,
				sort: { by: sortable[sort.field as keyof typeof sortable], direction: sort.direction },
				offset: query.page * query.size,
				limit: query.size,
			},
		});
		return c.json(springPage(content.map(presentPayment), total, query.page, query.size, sort));
	}
}

const refundCreate = z
	.strictObject({
		invoiceId: z.string().min(1).max(64),
		amount: decimalInput,
		reason: z.string().trim().min(1).max(500),
		applyAsCredit: z.boolean().default(false),
	})
	.meta({
		id: "InvoiceMeRefundCreate",
		example: { invoiceId: "inv_01JD3Q8W5Z9K2M4N6P8R0T2V4X", amount: "20.00", reason: "Goodwill", applyAsCredit: false },
	});

const refundSchema = z
	.object({
		id: z.string(),
		invoiceId: z.string(),
		invoiceNumber: z.string().nullable(),
		customerId: z.string(),
		amount: z.string(),
		reason: z.string(),
		applyAsCredit: z.boolean(),
		status: z.literal("COMPLETED"),
		createdAt: z.string(),
	})
	.meta({ id: "InvoiceMeRefund" });

export class RefundCreate extends InvoiceMeRoute {
	readonly access = "payments:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Refund money paid on a paid invoice, or turn it into customer credit",
		operationId: "invoiceMeIssueRefund",
		request: { body: { content: contentJson(refundCreate), required: true } },
		responses: {
			"201": { description: "The refund", content: contentJson(refundSchema) },
			"400": problem("The invoice is not PAID, or the amount exceeds what was paid"),
			"404": problem("No such invoice"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const detail = await loadInvoiceDetail(ctx, body.invoiceId);
		const { invoice } = detail;
		if (invoice.status !== "paid") {
			throw new AppError("invalid_state", `Refunds are issued only on PAID invoices; ${invoice.id} is not.`);
		}
		const amount = minorUnits(body.amount, invoice.currency, "amount");
		if (amount <= 0) throw fieldInvalid("body", "amount", "must be greater than 0");
		if (amount > invoice.amountPaid) {
			throw fieldInvalid("body", "amount", `exceeds the ${decimalOut(invoice.amountPaid, invoice.currency)} paid`);
		}
		// Off the latest payments first; each step is one operation of the customer's account object.
		let remaining = amount;
		let refundId: string | null = null;
		for (const applied of [...(detail.settlements?.payments ?? [])].reverse()) {
			if (remaining === 0) break;
			const take = Math.min(remaining, applied.amount);
			if (body.applyAsCredit) {
				await allocatePayment({
					ctx,
					paymentId: applied.paymentId,
					input: { allocate: [], unallocate: [{ invoice_id: invoice.id, amount: take }] },
				});
			} else {
				const refund = await refundPayment({
					ctx,
					paymentId: applied.paymentId,
					input: { amount: take, invoice_id: invoice.id, reason: body.reason },
					requestKey: null,
				});
				refundId ??= refund.id;
			}
			remaining -= take;
		}
		return c.json(
			{
				// Money turned into credit leaves no refund record of its own: the payment it stays with names it.
				id: refundId ?? detail.settlements?.payments.at(-1)?.paymentId ?? invoice.id,
				invoiceId: invoice.id,
				invoiceNumber: invoice.number,
				customerId: invoice.customerId,
				amount: decimalOut(amount, invoice.currency),
				reason: body.reason,
				applyAsCredit: body.applyAsCredit,
				status: "COMPLETED" as const,
				createdAt: ctx.clock.now().toISOString(),
			},
			201,
		);
	}
}
