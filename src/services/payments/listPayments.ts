import { and, eq, exists, gte, inArray, lt, sql } from "drizzle-orm";
import { byIdChunks } from "../../db/chunks";
import { paymentAllocations, payments, refunds } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { type PaymentListQuery, presentPayment, presentRefund, type RefundListQuery } from "../../schemas/payment";
import { paginate } from "../pagination";

const DAY_MS = 86_400_000;
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString();

export async function listPayments({ ctx, query }: { ctx: ServiceContext; query: PaymentListQuery }) {
	const filters = and(
		eq(payments.tenantId, ctx.tenantId),
		query.customer_id ? eq(payments.customerId, query.customer_id) : undefined,
		query.payment_method ? eq(payments.paymentMethod, query.payment_method) : undefined,
		query.from ? gte(payments.paidAt, `${query.from}T00:00:00.000Z`) : undefined,
		query.to ? lt(payments.paidAt, nextDay(query.to)) : undefined,
		query.invoice_id
			? exists(
					ctx.db
						.select({ one: sql`1` })
						.from(paymentAllocations)
						.where(
							and(
								eq(paymentAllocations.paymentId, payments.id),
								eq(paymentAllocations.invoiceId, query.invoice_id),
								sql`${paymentAllocations.amount} > 0`,
							),
						),
				)
			: undefined,
	);
	const page = await paginate({
		query,
		idColumn: payments.id,
		run: (p) =>
			ctx.db
				.select()
				.from(payments)
				.where(and(filters, p.where))
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: (row) => row,
	});
	const ids = page.data.map((p) => p.id);
	const allocations = await byIdChunks(ids, (chunk) =>
		ctx.db
			.select()
			.from(paymentAllocations)
			.where(and(eq(paymentAllocations.tenantId, ctx.tenantId), inArray(paymentAllocations.paymentId, chunk))),
	);
	return {
		...page,
		data: page.data.map((row) =>
			presentPayment(
				row,
				allocations.filter((a) => a.paymentId === row.id),
			),
		),
	};
}

export const listRefunds = ({ ctx, query }: { ctx: ServiceContext; query: RefundListQuery }) =>
	paginate({
		query,
		idColumn: refunds.id,
		run: (p) =>
			ctx.db
				.select()
				.from(refunds)
				.where(
					and(
						eq(refunds.tenantId, ctx.tenantId),
						query.payment_id ? eq(refunds.paymentId, query.payment_id) : undefined,
						query.customer_id ? eq(refunds.customerId, query.customer_id) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: presentRefund,
	});

export async function getRefund({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const row = await ctx.db
		.select()
		.from(refunds)
		.where(idInTenant(refunds, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("refund", id);
	return presentRefund(row);
}
