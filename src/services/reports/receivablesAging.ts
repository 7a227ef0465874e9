import { and, eq, gt, inArray } from "drizzle-orm";
import { invoices } from "../../db/schema";
import { type AgingBuckets, bucketFor } from "../../domain/aging";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { defaultCurrency } from "../tenants/defaultCurrency";

/** Open receivables by days past due (domain/aging.ts buckets): how many invoices, and what they owe. */
export async function receivablesAging({ ctx }: { ctx: ServiceContext }) {
	const currency = await defaultCurrency(ctx);
	const today = todayOf(ctx.clock.now());
	const open = await ctx.db
		.select({ dueDate: invoices.dueDate, balance: invoices.balance })
		.from(invoices)
		.where(
			and(
				eq(invoices.tenantId, ctx.tenantId),
				eq(invoices.currency, currency),
				inArray(invoices.status, ["issued", "partially_paid"]),
				gt(invoices.balance, 0),
			),
		);
	const empty = () => ({ count: 0, amount: 0 });
	const buckets: Record<keyof AgingBuckets, { count: number; amount: number }> = {
		current: empty(),
		days_1_30: empty(),
		days_31_60: empty(),
		days_61_90: empty(),
		days_over_90: empty(),
	};
	for (const invoice of open) {
		const bucket = buckets[bucketFor(invoice.dueDate, today)];
		bucket.count += 1;
		bucket.amount += invoice.balance;
	}
	return { currency, buckets };
}
