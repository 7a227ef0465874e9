import { and, asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { coupons } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { BillingCoupon } from "../../domain/billing/subscriptionBilling";
import { parseDecimal } from "../../domain/decimal";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { type CouponRow, type couponCreateBody, presentCoupon } from "../../schemas/coupon";
import { changeStatements } from "../changeLog";

export async function createCoupon({ ctx, input }: { ctx: ServiceContext; input: z.infer<typeof couponCreateBody> }) {
	const row: CouponRow = {
		id: newId("coupon"),
		tenantId: ctx.tenantId,
		code: input.code,
		name: input.name,
		percentOff: input.percent_off ?? null,
		amountOff: input.amount_off ?? null,
		currency: input.currency ?? null,
		duration: input.duration,
		durationInPeriods: input.duration_in_periods ?? null,
		maxRedemptions: input.max_redemptions ?? null,
		timesRedeemed: 0,
		expiresAt: input.expires_at ? new Date(input.expires_at).toISOString() : null,
		status: "active",
		createdAt: ctx.clock.now().toISOString(),
	};
	try {
		await runBatch(ctx.db, [
			ctx.db.insert(coupons).values(row),
			...changeStatements(ctx, {
				action: "coupon.created",
				target: { type: "coupon", id: row.id },
				before: null,
				after: presentCoupon(row),
				answers: { status: 201 },
			}),
		]);
	} catch (error) {
		if (isUniqueViolation(error)) throw new AppError("conflict", `A coupon with code '${input.code}' exists already.`);
		throw error;
	}
	return presentCoupon(row);
}

export async function listCoupons({ ctx }: { ctx: ServiceContext }) {
	const rows = await ctx.db.select().from(coupons).where(eq(coupons.tenantId, ctx.tenantId)).orderBy(asc(coupons.id));
	const data = rows.map(presentCoupon);
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

export async function archiveCoupon({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const row = await ctx.db
		.select()
		.from(coupons)
		.where(idInTenant(coupons, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("coupon", id);
	const archived = { ...row, status: "archived" as const };
	await runBatch(ctx.db, [
		ctx.db
			.update(coupons)
			.set({ status: "archived" })
			.where(idInTenant(coupons, ctx.tenantId, id)),
		...changeStatements(ctx, {
			action: "coupon.archived",
			target: { type: "coupon", id },
			before: presentCoupon(row),
			after: presentCoupon(archived),
			event: null,
			answers: { status: 200 },
		}),
	]);
	return presentCoupon(archived);
}

/**
 * A promotion code a subscription in `currency` may redeem now, with the statement that redeems it
 * (the redemption limit is the database's to enforce, in the subscription's own batch).
 */
export async function redeemableCoupon(ctx: ServiceContext, code: string, currency: string) {
	const row = await ctx.db
		.select()
		.from(coupons)
		.where(and(eq(coupons.tenantId, ctx.tenantId), eq(coupons.code, code)))
		.get();
	const refuse = (message: string) => fieldInvalid("body", "promo_code", message);
	if (row?.status !== "active") throw refuse("is not a known promotion code");
	if (row.expiresAt !== null && row.expiresAt <= ctx.clock.now().toISOString()) throw refuse("has expired");
	if (row.maxRedemptions !== null && row.timesRedeemed >= row.maxRedemptions)
		throw refuse("has been redeemed as often as it may be");
	if (row.currency !== null && row.currency !== currency) throw refuse(`is for ${row.currency} plans`);
	return {
		coupon: row,
		periods: row.duration === "forever" ? null : row.duration === "once" ? 1 : row.durationInPeriods,
		redeem: ctx.db
			.update(coupons)
			.set({ timesRedeemed: sql`${coupons.timesRedeemed} + 1` as unknown as number })
			.where(idInTenant(coupons, ctx.tenantId, row.id)),
	};
}

/** A stored coupon as billing applies it. */
export const billingCoupon = (coupon: CouponRow): BillingCoupon => ({
	percentOff: coupon.percentOff === null ? null : parseDecimalOrThrow(coupon.percentOff),
	amountOff: coupon.amountOff,
});

const parseDecimalOrThrow = (text: string) => {
	const value = parseDecimal(text, 4);
	if (!value) throw new Error(`invalid stored percentage ${text}`);
	return value;
};
