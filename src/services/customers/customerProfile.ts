import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { paymentMethods, subscriptions } from "../../db/schema";
import { delinquencyOf } from "../../domain/delinquency";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { presentCustomerProfile } from "../../schemas/customerProfile";
import { balanceQueries, balancesOf } from "./customerBalance";
import { customerRowQuery } from "./loadCustomer";

/**
 * A customer as its billing profile shows it: with its balances per currency, its payment methods in
 * brief and its delinquency, all read in one round trip. Also the version its ETag carries.
 */
export async function customerProfile({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const today = todayOf(ctx.clock.now());
	const [[row], open, paymentCredit, noteCredit, methods, [pastDue]] = await ctx.db.batch([
		customerRowQuery(ctx, id),
		...balanceQueries(ctx, id),
		ctx.db
			.select()
			.from(paymentMethods)
			.where(
				and(
					eq(paymentMethods.tenantId, ctx.tenantId),
					eq(paymentMethods.customerId, id),
					isNull(paymentMethods.deletedAt),
				),
			),
		ctx.db
			.select({ n: count() })
			.from(subscriptions)
			.where(
				and(
					eq(subscriptions.tenantId, ctx.tenantId),
					eq(subscriptions.customerId, id),
					inArray(subscriptions.status, ["past_due", "unpaid"]),
				),
			),
	]);
	if (!row) throw notFound("customer", id);
	return {
		version: row.version,
		profile: presentCustomerProfile(row, {
			balances: balancesOf([open, paymentCredit, noteCredit], today),
			paymentMethods: methods,
			delinquency: delinquencyOf(open, pastDue?.n ?? 0, today),
			today,
		}),
	};
}
