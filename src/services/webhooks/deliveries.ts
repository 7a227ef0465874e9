import { and, asc, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { webhookAttempts, webhookDeliveries } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import type { PaginationQuery } from "../../schemas/common";
import type { WebhookMessage } from "../../schemas/event";
import { presentDelivery } from "../../schemas/webhook";
import { changeStatements } from "../changeLog";
import { paginate } from "../pagination";
import { loadEndpoint } from "./endpoints";

export async function listDeliveries({
	ctx,
	endpointId,
	query,
}: {
	ctx: ServiceContext;
	endpointId: string;
	query: PaginationQuery & { status?: "pending" | "succeeded" | "failed" | "dead_lettered" };
}) {
	await loadEndpoint(ctx, endpointId);
	return paginate({
		query,
		idColumn: webhookDeliveries.id,
		run: (p) =>
			ctx.db
				.select()
				.from(webhookDeliveries)
				.where(
					and(
						eq(webhookDeliveries.tenantId, ctx.tenantId),
						eq(webhookDeliveries.endpointId, endpointId),
						query.status ? eq(webhookDeliveries.status, query.status) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: (row) => presentDelivery(row),
	});
}

async function loadDelivery(ctx: ServiceContext, endpointId: string, deliveryId: string) {
	const row = await ctx.db
		.select()
		.from(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.tenantId, ctx.tenantId),
				eq(webhookDeliveries.endpointId, endpointId),
				eq(webhookDeliveries.id, deliveryId),
			),
		)
		.get();
	if (!row) throw notFound("webhook delivery", deliveryId);
	return row;
}

export async function getDelivery({
	ctx,
	endpointId,
	deliveryId,
}: {
	ctx: ServiceContext;
	endpointId: string;
	deliveryId: string;
}) {
	const row = await loadDelivery(ctx, endpointId, deliveryId);
	const attempts = await ctx.db
		.select()
		.from(webhookAttempts)
		.where(and(eq(webhookAttempts.tenantId, ctx.tenantId), eq(webhookAttempts.deliveryId, deliveryId)))
		.orderBy(asc(webhookAttempts.attempt));
	return presentDelivery(row, attempts);
}

/** Sends a delivery again, whatever became of it; the receiver sees the same webhook-id. */
export async function redeliver({
	ctx,
	endpointId,
	deliveryId,
}: {
	ctx: ServiceContext;
	endpointId: string;
	deliveryId: string;
}) {
	const endpoint = await loadEndpoint(ctx, endpointId);
	if (endpoint.status !== "enabled") {
		throw new AppError("invalid_state", `Endpoint ${endpointId} is disabled; enable it first.`, {
			extensions: { current_status: endpoint.status },
		});
	}
	const row = await loadDelivery(ctx, endpointId, deliveryId);
	const now = ctx.clock.now().toISOString();
	const redelivered = presentDelivery({ ...row, status: "pending", nextRetryAt: now, updatedAt: now });
	await runBatch(ctx.db, [
		ctx.db
			.update(webhookDeliveries)
			.set({ status: "pending", nextRetryAt: now, updatedAt: now })
			.where(idInTenant(webhookDeliveries, ctx.tenantId, row.id)),
		...changeStatements(ctx, {
			action: "webhook_delivery.redelivered",
			target: { type: "webhook_delivery", id: row.id },
			before: { status: row.status },
			after: { status: "pending" },
			event: null,
			answers: { status: 200, body: redelivered },
		}),
	]);
	await ctx.env.WEBHOOKS.send({
		v: 1,
		kind: "delivery",
		tenant_id: ctx.tenantId,
		delivery_id: row.id,
	} satisfies WebhookMessage);
	return redelivered;
}
