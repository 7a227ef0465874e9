import { eq } from "drizzle-orm";
import { customers, tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { type CustomerCreateInput, presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { loadTestClock } from "../testClocks/testClocks";

export async function createCustomer({ ctx, input }: { ctx: ServiceContext; input: CustomerCreateInput }) {
	const currency =
		input.currency ??
		(await ctx.db.select({ currency: tenants.defaultCurrency }).from(tenants).where(eq(tenants.id, ctx.tenantId)).get())
			?.currency ??
		"USD";
	if (input.test_clock_id) await loadTestClock(ctx, input.test_clock_id, "test_clock_id");
	const now = ctx.clock.now().toISOString();
	const row: typeof customers.$inferSelect = {
		id: newId("customer"),
		tenantId: ctx.tenantId,
		name: input.name,
		email: input.email ?? null,
		billingAddress: input.billing_address ?? null,
		taxId: input.tax_id ?? null,
		currency,
		paymentTerms: input.payment_terms,
		accountCode: input.account_code ?? null,
		segment: input.segment ?? null,
		testClockId: input.test_clock_id ?? null,
		status: "active",
		metadata: input.metadata ?? {},
		version: 1,
		createdAt: now,
		updatedAt: now,
		deletedAt: null,
	};
	await ctx.db.batch([
		ctx.db.insert(customers).values(row),
		...changeStatements(ctx, {
			action: "customer.created",
			target: { type: "customer", id: row.id },
			before: null,
			after: presentCustomer(row),
		}),
	]);
	return row;
}
