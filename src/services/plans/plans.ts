import { and, eq, inArray, or } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { plans, subscriptions } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { knownTaxCodes } from "../../domain/tax/rates";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { committedOnVersion, requireVersion } from "../../lib/etag";
import { newId } from "../../lib/ids";
import {
	type PlanCreateInput,
	type PlanRow,
	type planListQuery,
	type planUpdateBody,
	presentPlan,
} from "../../schemas/plan";
import { changeStatements } from "../changeLog";
import { paginate } from "../pagination";
import { loadTenantTaxSetup } from "../tax/tenantTaxSetup";
import { assertMetricsExist } from "../usage/metrics";

export async function loadPlan(ctx: Pick<ServiceContext, "db" | "tenantId">, id: string): Promise<PlanRow> {
	const row = await ctx.db
		.select()
		.from(plans)
		.where(idInTenant(plans, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("plan", id);
	return row;
}

/**
 * The id of the tenant's plan that `reference` names: its id, its code, or its code behind a `plan_`
 * prefix (seed 002 addresses plans as `plan_pro_monthly`). Unknown references come back unchanged, for
 * the caller's own not-found answer.
 */
export async function planIdFor(ctx: Pick<ServiceContext, "db" | "tenantId">, reference: string): Promise<string> {
	const codes = [reference, reference.replace(/^plan_/, "")];
	const matches = await ctx.db
		.select({ id: plans.id, code: plans.code })
		.from(plans)
		.where(and(eq(plans.tenantId, ctx.tenantId), or(eq(plans.id, reference), inArray(plans.code, codes))));
	const rank = (plan: { id: string; code: string }) => (plan.id === reference ? 0 : plan.code === reference ? 1 : 2);
	return matches.sort((a, b) => rank(a) - rank(b))[0]?.id ?? reference;
}

/** A plan's tax code must be one the engine knows: built in, or one of the tenant's rates. */
async function assertTaxCodeExists(ctx: ServiceContext, code: string) {
	const { rates } = await loadTenantTaxSetup(ctx);
	const known = knownTaxCodes(rates);
	if (!known.has(code)) {
		throw fieldInvalid("body", "tax_code", `is not a tax code: use one of ${[...known].sort().join(", ")}`);
	}
}

export async function createPlan({ ctx, input }: { ctx: ServiceContext; input: PlanCreateInput }) {
	await assertMetricsExist(ctx, input.charges ?? [], "charges");
	if (input.tax_code) await assertTaxCodeExists(ctx, input.tax_code);
	const now = ctx.clock.now().toISOString();
	const row: PlanRow = {
		id: newId("plan"),
		tenantId: ctx.tenantId,
		code: input.code,
		name: input.name,
		interval: input.interval,
		intervalCount: input.interval_count,
		amount: input.amount,
		currency: input.currency,
		trialPeriodDays: input.trial_period_days,
		billingDay: input.billing_day ?? null,
		charges: input.charges ?? [],
		taxCode: input.tax_code ?? null,
		pricesIncludeTax: input.prices_include_tax ?? null,
		metadata: input.metadata ?? {},
		status: "active",
		version: 1,
		createdAt: now,
		updatedAt: now,
	};
	try {
		await runBatch(ctx.db, [
			ctx.db.insert(plans).values(row),
			...changeStatements(ctx, {
				action: "plan.created",
				target: { type: "plan", id: row.id },
				before: null,
				after: presentPlan(row),
				answers: { status: 201 },
			}),
		]);
	} catch (error) {
		if (isUniqueViolation(error)) throw new AppError("conflict", `A plan with code '${input.code}' exists already.`);
		throw error;
	}
	return presentPlan(row);
}

export const listPlans = ({ ctx, query }: { ctx: ServiceContext; query: z.infer<typeof planListQuery> }) =>
	paginate({
		query,
		idColumn: plans.id,
		run: (p) =>
			ctx.db
				.select()
				.from(plans)
				.where(
					and(eq(plans.tenantId, ctx.tenantId), query.status ? eq(plans.status, query.status) : undefined, p.where),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: presentPlan,
	});

export async function updatePlan({
	ctx,
	id,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	id: string;
	patch: Omit<z.infer<typeof planUpdateBody>, "version">;
	expectedVersion?: number;
}) {
	const current = await loadPlan(ctx, id);
	if (patch.charges) await assertMetricsExist(ctx, patch.charges, "charges");
	if (patch.tax_code) await assertTaxCodeExists(ctx, patch.tax_code);
	requireVersion("plan", expectedVersion, current.version);
	const next: PlanRow = {
		...current,
		name: patch.name ?? current.name,
		amount: patch.amount ?? current.amount,
		trialPeriodDays: patch.trial_period_days ?? current.trialPeriodDays,
		charges: patch.charges ?? current.charges,
		taxCode: patch.tax_code === undefined ? current.taxCode : patch.tax_code,
		pricesIncludeTax: patch.prices_include_tax === undefined ? current.pricesIncludeTax : patch.prices_include_tax,
		metadata: patch.metadata ?? current.metadata,
		version: current.version + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	const { id: _id, tenantId: _t, createdAt: _c, ...fields } = next;
	await committedOnVersion("plan", () =>
		runBatch(ctx.db, [
			ctx.db
				.update(plans)
				.set(fields)
				.where(idInTenant(plans, ctx.tenantId, id)),
			...changeStatements(ctx, {
				action: "plan.updated",
				target: { type: "plan", id },
				before: presentPlan(current),
				after: presentPlan(next),
				answers: { status: 200 },
			}),
		]),
	);
	return presentPlan(next);
}

/** A plan never subscribed to is deleted; any other is archived: it keeps billing, but takes no new subscribers. */
export async function deletePlan({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const current = await loadPlan(ctx, id);
	const where = idInTenant(plans, ctx.tenantId, id);
	const archived: PlanRow = {
		...current,
		status: "archived",
		version: current.version + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	const subscribed = await ctx.db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(and(eq(subscriptions.tenantId, ctx.tenantId), eq(subscriptions.planId, id)))
		.limit(1)
		.get();
	if (subscribed) {
		await committedOnVersion("plan", () =>
			runBatch(ctx.db, [
				ctx.db
					.update(plans)
					.set({ status: "archived", version: archived.version, updatedAt: archived.updatedAt })
					.where(where),
				...changeStatements(ctx, {
					action: "plan.archived",
					target: { type: "plan", id },
					before: presentPlan(current),
					after: presentPlan(archived),
					answers: { status: 200 },
				}),
			]),
		);
		return presentPlan(archived);
	}
	await runBatch(ctx.db, [
		ctx.db.delete(plans).where(where),
		...changeStatements(ctx, {
			action: "plan.deleted",
			target: { type: "plan", id },
			before: presentPlan(current),
			after: null,
			answers: { status: 204, body: null },
		}),
	]);
	return null;
}
