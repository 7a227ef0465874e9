import { and, eq } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isVersionConflict } from "../../lib/dbErrors";
import { AppError } from "../../lib/errors";
import { type CustomerUpdateInput, presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "./loadCustomer";

/**
 * Partial update under optimistic concurrency: the write names the version it read and moves it up by
 * one; a trigger refuses any other step, so a concurrent writer that got there first fails the batch.
 */
export async function updateCustomer({
	ctx,
	id,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	id: string;
	patch: CustomerUpdateInput;
	expectedVersion?: number;
}) {
	const current = await loadCustomer(ctx, id);
	if (current.status === "deleted") {
		throw new AppError("invalid_state", `Customer ${id} is deleted and cannot be changed.`, {
			extensions: { current_status: current.status },
		});
	}
	const baseVersion = expectedVersion ?? current.version;
	if (baseVersion !== current.version) throw staleVersion(current.version);

	const next: typeof customers.$inferSelect = {
		...current,
		name: patch.name ?? current.name,
		email: patch.email === undefined ? current.email : patch.email,
		billingAddress: patch.billing_address === undefined ? current.billingAddress : patch.billing_address,
		taxId: patch.tax_id === undefined ? current.taxId : patch.tax_id,
		currency: patch.currency ?? current.currency,
		paymentTerms: patch.payment_terms ?? current.paymentTerms,
		accountCode: patch.account_code === undefined ? current.accountCode : patch.account_code,
		segment: patch.segment === undefined ? current.segment : patch.segment,
		metadata: patch.metadata ?? current.metadata,
		version: baseVersion + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	const { id: _id, tenantId: _tenant, createdAt: _created, ...changes } = next;
	try {
		await ctx.db.batch([
			ctx.db
				.update(customers)
				.set(changes)
				.where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, id))),
			...changeStatements(ctx, {
				action: "customer.updated",
				target: { type: "customer", id },
				before: presentCustomer(current),
				after: presentCustomer(next),
			}),
		]);
	} catch (error) {
		if (isVersionConflict(error)) throw staleVersion(null);
		throw error;
	}
	return next;
}

const staleVersion = (currentVersion: number | null) =>
	new AppError(
		"version_conflict",
		"The customer was changed since you read it; fetch it again and retry with the new version.",
		{ extensions: currentVersion === null ? {} : { current_version: currentVersion } },
	);
