import { and, eq, inArray, sql } from "drizzle-orm";
import { customers, invoices, payments } from "../../../src/db/schema";
import { idInTenant } from "../../../src/db/scope";
import type { ServiceContext } from "../../../src/lib/context";
import { refusalOf } from "../../../src/lib/dbErrors";
import { AppError } from "../../../src/lib/errors";
import { staleVersion } from "../../../src/lib/etag";
import { presentCustomer } from "../../../src/schemas/customer";
import { loadCustomer } from "../../../src/services/customers/loadCustomer";
import { commit } from "../commit";

/**
 * Inside the account object, so no invoice is issued to the customer meanwhile. Soft delete marks the
 * customer deleted and keeps it readable; hard delete removes a customer that has no billing history.
 * Neither is allowed while the customer owes money.
 */
export async function commitDeleteCustomer(
	ctx: ServiceContext,
	{ customerId: id, hard }: { customerId: string; hard: boolean },
) {
	const current = await loadCustomer(ctx, id);
	const where = idInTenant(customers, ctx.tenantId, id);
	const [owed, history] = await ctx.db.batch([
		ctx.db
			.select({ total: sql<number>`coalesce(sum(${invoices.balance}), 0)` })
			.from(invoices)
			.where(
				and(
					eq(invoices.tenantId, ctx.tenantId),
					eq(invoices.customerId, id),
					inArray(invoices.status, ["issued", "partially_paid"]),
				),
			),
		ctx.db
			.select({
				n: sql<number>`(select count(*) from ${invoices} where ${invoices.tenantId} = ${ctx.tenantId} and ${invoices.customerId} = ${id}) + (select count(*) from ${payments} where ${payments.tenantId} = ${ctx.tenantId} and ${payments.customerId} = ${id})`,
			})
			.from(customers)
			.where(where),
	]);
	const openBalance = owed[0]?.total ?? 0;
	if (openBalance > 0) {
		throw new AppError(
			"invalid_state",
			`Customer ${id} still owes ${openBalance}; settle, credit or write off its invoices first.`,
			{
				extensions: { open_balance: openBalance },
			},
		);
	}
	if (hard && (history[0]?.n ?? 0) > 0) {
		throw new AppError(
			"conflict",
			`Customer ${id} has invoices or payments; its billing history is kept, so soft-delete it instead.`,
		);
	}
	if (hard) {
		await commit(ctx, {
			writes: [ctx.db.delete(customers).where(where)],
			changes: [
				{
					action: "customer.deleted",
					target: { type: "customer", id },
					before: presentCustomer(current),
					after: null,
					answers: { status: 204, body: null },
				},
			],
		});
		return null;
	}
	if (current.status === "deleted") throw alreadyDeleted(id);
	const now = ctx.clock.now().toISOString();
	const next = { ...current, status: "deleted" as const, deletedAt: now, updatedAt: now, version: current.version + 1 };
	try {
		await commit(ctx, {
			writes: [
				ctx.db
					.update(customers)
					.set({ status: next.status, deletedAt: now, updatedAt: now, version: next.version })
					.where(where),
			],
			changes: [
				{
					action: "customer.deleted",
					target: { type: "customer", id },
					before: presentCustomer(current),
					after: presentCustomer(next),
					answers: { status: 200 },
				},
			],
		});
	} catch (error) {
		// A concurrent write moved the version first and the version trigger failed this batch: answer
		// as if the two had arrived one after the other, never with a 500.
		if (refusalOf(error) !== "version_conflict") throw error;
		if ((await loadCustomer(ctx, id)).status === "deleted") throw alreadyDeleted(id);
		throw staleVersion("customer");
	}
	return next;
}

const alreadyDeleted = (id: string) =>
	new AppError("invalid_state", `Customer ${id} is already deleted.`, {
		extensions: { current_status: "deleted" },
	});
