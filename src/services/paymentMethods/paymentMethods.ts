import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { paymentMethods } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import {
	isExpired,
	type PaymentMethodRow,
	type paymentMethodCreateBody,
	presentPaymentMethod,
} from "../../schemas/paymentMethod";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";

const today = (ctx: ServiceContext) => ctx.clock.now().toISOString().slice(0, 10);
const liveOf = (ctx: ServiceContext, customerId: string) =>
	and(
		eq(paymentMethods.tenantId, ctx.tenantId),
		eq(paymentMethods.customerId, customerId),
		isNull(paymentMethods.deletedAt),
	);

export async function listPaymentMethods({ ctx, customerId }: { ctx: ServiceContext; customerId: string }) {
	await loadCustomer(ctx, customerId);
	const rows = await ctx.db
		.select()
		.from(paymentMethods)
		.where(liveOf(ctx, customerId))
		.orderBy(asc(paymentMethods.id));
	const data = rows.map((row) => presentPaymentMethod(row, today(ctx)));
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

/** The first method a customer adds is its default; a new default replaces the old one. */
export async function addPaymentMethod({
	ctx,
	customerId,
	input,
}: {
	ctx: ServiceContext;
	customerId: string;
	input: z.infer<typeof paymentMethodCreateBody>;
}) {
	await loadCustomer(ctx, customerId);
	const existing = await ctx.db
		.select({ id: paymentMethods.id })
		.from(paymentMethods)
		.where(liveOf(ctx, customerId))
		.limit(1)
		.get();
	const row: PaymentMethodRow = {
		id: newId("paymentMethod"),
		tenantId: ctx.tenantId,
		customerId,
		gatewayToken: input.gateway_token,
		brand: input.brand ?? null,
		last4: input.last4 ?? null,
		expMonth: input.exp_month ?? null,
		expYear: input.exp_year ?? null,
		isDefault: input.default || !existing,
		createdAt: ctx.clock.now().toISOString(),
		deletedAt: null,
	};
	await runBatch(ctx.db, [
		...(row.isDefault ? [ctx.db.update(paymentMethods).set({ isDefault: false }).where(liveOf(ctx, customerId))] : []),
		ctx.db.insert(paymentMethods).values(row),
		...changeStatements(ctx, {
			action: "payment_method.added",
			target: { type: "customer", id: customerId },
			before: null,
			after: presentPaymentMethod(row, today(ctx)),
			event: null,
			answers: { status: 201 },
		}),
	]);
	return presentPaymentMethod(row, today(ctx));
}

export async function removePaymentMethod({
	ctx,
	customerId,
	id,
}: {
	ctx: ServiceContext;
	customerId: string;
	id: string;
}) {
	const row = await ctx.db
		.select()
		.from(paymentMethods)
		.where(and(liveOf(ctx, customerId), eq(paymentMethods.id, id)))
		.get();
	if (!row) throw notFound("payment method", id);
	await runBatch(ctx.db, [
		ctx.db
			.update(paymentMethods)
			.set({ deletedAt: ctx.clock.now().toISOString(), isDefault: false })
			.where(idInTenant(paymentMethods, ctx.tenantId, id)),
		...changeStatements(ctx, {
			action: "payment_method.removed",
			target: { type: "customer", id: customerId },
			before: presentPaymentMethod(row, today(ctx)),
			after: null,
			event: null,
			answers: { status: 204, body: null },
		}),
	]);
}

/**
 * The id of the customer's live payment method that `reference` names: its id or the gateway's token
 * for it (seed 002 passes the gateway's `pm_…`). Unknown references come back unchanged, for the
 * caller's own refusal.
 */
export async function paymentMethodIdFor(ctx: ServiceContext, customerId: string, reference: string): Promise<string> {
	const matches = await ctx.db
		.select({ id: paymentMethods.id })
		.from(paymentMethods)
		.where(
			and(liveOf(ctx, customerId), or(eq(paymentMethods.id, reference), eq(paymentMethods.gatewayToken, reference))),
		)
		.orderBy(asc(paymentMethods.id));
	return matches.find((m) => m.id === reference)?.id ?? matches[0]?.id ?? reference;
}

/**
 * The payment method a subscription may charge: the customer's own, not removed, not expired. Any
 * other is a 402, as seed 002 specifies for payment-method validation.
 */
export async function usablePaymentMethod(
	ctx: ServiceContext,
	customerId: string,
	id: string,
): Promise<PaymentMethodRow> {
	const row = await ctx.db
		.select()
		.from(paymentMethods)
		.where(and(liveOf(ctx, customerId), eq(paymentMethods.id, id)))
		.get();
	if (!row) {
		throw new AppError("payment_method_invalid", `Payment method ${id} is not one of this customer's.`, {
			errors: [
				{ location: "body", field: "payment_method_id", message: "is not one of the customer's payment methods" },
			],
		});
	}
	if (isExpired(row, today(ctx))) {
		throw new AppError("payment_method_invalid", `Payment method ${id} expired in ${row.expMonth}/${row.expYear}.`, {
			errors: [{ location: "body", field: "payment_method_id", message: "has expired" }],
		});
	}
	return row;
}
