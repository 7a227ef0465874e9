import { and, eq } from "drizzle-orm";
import { callAccount } from "../../../durable-objects/account/client";
import { disputes } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import {
	type DisputeCreateInput,
	type DisputeListQuery,
	type DisputeRow,
	type DisputeUpdateInput,
	presentDispute,
} from "../../schemas/dispute";
import { paginate } from "../pagination";
import { loadPaymentRow } from "../payments/loadPayment";

export async function loadDispute(ctx: ServiceContext, id: string): Promise<DisputeRow> {
	const row = await ctx.db
		.select()
		.from(disputes)
		.where(idInTenant(disputes, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("dispute", id);
	return row;
}

export async function openDispute({ ctx, input }: { ctx: ServiceContext; input: DisputeCreateInput }) {
	const payment = await loadPaymentRow(ctx, input.payment_id);
	return callAccount(ctx, payment.customerId, "openDispute", input);
}

export async function updateDispute({
	ctx,
	id,
	input,
}: {
	ctx: ServiceContext;
	id: string;
	input: DisputeUpdateInput;
}) {
	const row = await loadDispute(ctx, id);
	return callAccount(ctx, row.customerId, "updateDispute", {
		disputeId: id,
		...input,
	});
}

export async function resolveDispute({
	ctx,
	id,
	outcome,
	note,
}: {
	ctx: ServiceContext;
	id: string;
	outcome: "won" | "lost";
	note?: string;
}) {
	const row = await loadDispute(ctx, id);
	return callAccount(ctx, row.customerId, "resolveDispute", {
		disputeId: id,
		outcome,
		note,
	});
}

export const listDisputes = ({ ctx, query }: { ctx: ServiceContext; query: DisputeListQuery }) =>
	paginate({
		query,
		idColumn: disputes.id,
		run: (p) =>
			ctx.db
				.select()
				.from(disputes)
				.where(
					and(
						eq(disputes.tenantId, ctx.tenantId),
						query.status ? eq(disputes.status, query.status) : undefined,
						query.customer_id ? eq(disputes.customerId, query.customer_id) : undefined,
						query.payment_id ? eq(disputes.paymentId, query.payment_id) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: presentDispute,
	});
