import { and, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { invoices, subscriptionInvoices, subscriptions } from "../../db/schema";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { presentInvoice } from "../../schemas/invoice";
import { presentSubscription, type subscriptionListQuery } from "../../schemas/subscription";
import { loadInvoiceDetail } from "../invoices/loadInvoice";
import { paginate } from "../pagination";
import { loadSubscription } from "./loadSubscription";

export const listSubscriptions = ({
	ctx,
	query,
}: {
	ctx: ServiceContext;
	query: z.infer<typeof subscriptionListQuery>;
}) =>
	paginate({
		query,
		idColumn: subscriptions.id,
		run: (p) =>
			ctx.db
				.select()
				.from(subscriptions)
				.where(
					and(
						eq(subscriptions.tenantId, ctx.tenantId),
						query.customer_id ? eq(subscriptions.customerId, query.customer_id) : undefined,
						query.status ? eq(subscriptions.status, query.status) : undefined,
						query.plan_id ? eq(subscriptions.planId, query.plan_id) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: presentSubscription,
	});

/**
 * The invoices a subscription generated, newest first: its periods' (with the period each bills), and
 * those without a period of their own (prorations, final usage, invoice-now).
 */
export async function subscriptionInvoiceList({ ctx, id }: { ctx: ServiceContext; id: string }) {
	await loadSubscription(ctx, id);
	const rows = await ctx.db
		.select({
			invoiceId: invoices.id,
			periodStart: subscriptionInvoices.periodStart,
			periodEnd: subscriptionInvoices.periodEnd,
		})
		.from(invoices)
		.leftJoin(subscriptionInvoices, eq(subscriptionInvoices.invoiceId, invoices.id))
		.where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.subscriptionId, id)))
		.orderBy(desc(sql`coalesce(${invoices.issueDate}, substr(${invoices.createdAt}, 1, 10))`), desc(invoices.createdAt))
		.limit(100);
	const today = todayOf(ctx.clock.now());
	const data = await Promise.all(
		rows.map(async (row) => ({
			...presentInvoice(await loadInvoiceDetail(ctx, row.invoiceId), today),
			period: row.periodStart && row.periodEnd ? { start: row.periodStart, end: row.periodEnd } : null,
		})),
	);
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}
