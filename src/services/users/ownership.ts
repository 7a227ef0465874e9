import { and, eq } from "drizzle-orm";
import { customers, invoices, payments } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";

export type OwnedResource = "customer" | "invoice" | "payment";

/** The customer a resource of the tenant belongs to; null when the tenant has no such resource. */
export async function ownerOf(ctx: ServiceContext, kind: OwnedResource, id: string): Promise<string | null> {
	if (id === "") return null;
	const table = { customer: customers, invoice: invoices, payment: payments }[kind];
	const owner = kind === "customer" ? customers.id : kind === "invoice" ? invoices.customerId : payments.customerId;
	const row = await ctx.db
		.select({ owner })
		.from(table)
		.where(and(eq(table.tenantId, ctx.tenantId), eq(table.id, id)))
		.get();
	return row?.owner ?? null;
}
