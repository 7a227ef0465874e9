// Billable metrics: what usage events count. Defining a metric also counts the events that arrived
// for it before it existed (they were kept, never dropped).
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { billableMetrics, usageEvents } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { committedOnVersion, requireVersion } from "../../lib/etag";
import { newId } from "../../lib/ids";
import {
	type BillableMetricRow,
	type billableMetricCreateBody,
	type billableMetricUpdateBody,
	presentBillableMetric,
} from "../../schemas/usage";
import { changeStatements } from "../changeLog";
import { startUsageAggregation } from "./usageJobs";

const metricWhere = (ctx: Pick<ServiceContext, "tenantId">, id: string) =>
	idInTenant(billableMetrics, ctx.tenantId, id);

export async function loadMetric(ctx: ServiceContext, id: string): Promise<BillableMetricRow> {
	const row = await ctx.db.select().from(billableMetrics).where(metricWhere(ctx, id)).get();
	if (!row) throw notFound("billable metric", id);
	return row;
}

/** The tenant's metrics by code (all of them, or those named). */
export async function metricsByCode(
	ctx: Pick<ServiceContext, "db" | "tenantId">,
	codes?: readonly string[],
): Promise<Map<string, BillableMetricRow>> {
	const rows = await ctx.db
		.select()
		.from(billableMetrics)
		.where(
			and(
				eq(billableMetrics.tenantId, ctx.tenantId),
				codes ? inArray(billableMetrics.code, [...codes].slice(0, 100)) : undefined,
			),
		);
	return new Map(rows.map((row) => [row.code, row]));
}

/** Refuses plan charges that name a metric the tenant has not defined. */
export async function assertMetricsExist(ctx: ServiceContext, charges: readonly { metric: string }[], field: string) {
	if (charges.length === 0) return;
	const known = await metricsByCode(
		ctx,
		charges.map((c) => c.metric),
	);
	charges.forEach((charge, i) => {
		if (!known.has(charge.metric))
			throw fieldInvalid("body", `${field}.${i}.metric`, `no billable metric '${charge.metric}' exists`);
	});
}

export async function createMetric({
	ctx,
	input,
}: {
	ctx: ServiceContext;
	input: z.infer<typeof billableMetricCreateBody>;
}) {
	const now = ctx.clock.now().toISOString();
	const row: BillableMetricRow = {
		id: newId("billableMetric"),
		tenantId: ctx.tenantId,
		code: input.code,
		name: input.name,
		description: input.description ?? null,
		aggregation: input.aggregation,
		field: input.field ?? null,
		filters: input.filters ?? {},
		version: 1,
		createdAt: now,
		updatedAt: now,
	};
	try {
		await runBatch(ctx.db, [
			ctx.db.insert(billableMetrics).values(row),
			...changeStatements(ctx, {
				action: "billable_metric.created",
				target: { type: "billable_metric", id: row.id },
				before: null,
				after: presentBillableMetric(row),
			}),
		]);
	} catch (error) {
		if (isUniqueViolation(error))
			throw new AppError("conflict", `A billable metric with code '${input.code}' exists already.`);
		throw error;
	}
	const waiting = await ctx.db
		.select({ eventId: usageEvents.eventId })
		.from(usageEvents)
		.where(
			and(eq(usageEvents.tenantId, ctx.tenantId), eq(usageEvents.metricCode, row.code), isNull(usageEvents.valueE6)),
		)
		.limit(1)
		.get();
	if (waiting) await startUsageAggregation({ ctx, input: { metric: row.code } });
	return presentBillableMetric(row);
}

export async function listMetrics({ ctx }: { ctx: ServiceContext }) {
	const rows = await ctx.db
		.select()
		.from(billableMetrics)
		.where(eq(billableMetrics.tenantId, ctx.tenantId))
		.orderBy(asc(billableMetrics.code));
	const data = rows.map(presentBillableMetric);
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

export const getMetric = async ({ ctx, id }: { ctx: ServiceContext; id: string }) =>
	presentBillableMetric(await loadMetric(ctx, id));

export async function updateMetric({
	ctx,
	id,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	id: string;
	patch: Omit<z.infer<typeof billableMetricUpdateBody>, "version">;
	expectedVersion?: number;
}) {
	const current = await loadMetric(ctx, id);
	requireVersion("billable metric", expectedVersion, current.version);
	const next: BillableMetricRow = {
		...current,
		name: patch.name ?? current.name,
		description: patch.description === undefined ? current.description : patch.description,
		version: current.version + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	await committedOnVersion("billable metric", () =>
		runBatch(ctx.db, [
			ctx.db
				.update(billableMetrics)
				.set({ name: next.name, description: next.description, version: next.version, updatedAt: next.updatedAt })
				.where(metricWhere(ctx, id)),
			...changeStatements(ctx, {
				action: "billable_metric.updated",
				target: { type: "billable_metric", id },
				before: presentBillableMetric(current),
				after: presentBillableMetric(next),
				answers: { status: 200 },
			}),
		]),
	);
	return presentBillableMetric(next);
}
