import { and, eq } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isVersionConflict } from "../../lib/dbErrors";
import { AppError } from "../../lib/errors";
import { presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "./loadCustomer";

/** Soft delete marks the customer deleted and keeps it readable; hard delete removes the row. */
export async function deleteCustomer({ ctx, id, hard }: { ctx: ServiceContext; id: string; hard: boolean }) {
	const current = await loadCustomer(ctx, id);
	const where = and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, id));
	if (hard) {
		await ctx.db.batch([
			ctx.db.delete(customers).where(where),
			...changeStatements(ctx, {
				action: "customer.deleted",
				target: { type: "customer", id },
				before: presentCustomer(current),
				after: null,
			}),
		]);
		return null;
	}
	if (current.status === "deleted") throw alreadyDeleted(id);
	const now = ctx.clock.now().toISOString();
	const next = { ...current, status: "deleted" as const, deletedAt: now, updatedAt: now, version: current.version + 1 };
	try {
		await ctx.db.batch([
			ctx.db
				.update(customers)
				.set({ status: next.status, deletedAt: now, updatedAt: now, version: next.version })
				.where(where),
			...changeStatements(ctx, {
				action: "customer.deleted",
				target: { type: "customer", id },
				before: presentCustomer(current),
				after: presentCustomer(next),
			}),
		]);
	} catch (error) {
		// A concurrent write moved the version first and the version trigger failed this batch: answer
		// as if the two had arrived one after the other, never with a 500.
		if (!isVersionConflict(error)) throw error;
		if ((await loadCustomer(ctx, id)).status === "deleted") throw alreadyDeleted(id);
		throw new AppError(
			"version_conflict",
			"The customer was changed while it was being deleted; fetch it again and retry.",
		);
	}
	return next;
}

const alreadyDeleted = (id: string) =>
	new AppError("invalid_state", `Customer ${id} is already deleted.`, {
		extensions: { current_status: "deleted" },
	});
