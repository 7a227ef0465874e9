import { eq } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { settingsUpdateBody } from "../../schemas/settings";
import { changeStatements } from "../changeLog";

type TenantRow = typeof tenants.$inferSelect;

const presentSettings = (row: TenantRow) => ({
	object: "settings" as const,
	tenant_id: row.id,
	name: row.name,
	default_currency: row.defaultCurrency,
	invoice_number_format: row.invoiceNumberFormat,
});

async function loadTenant(ctx: ServiceContext) {
	const row = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).get();
	if (!row) throw notFound("tenant", ctx.tenantId);
	return row;
}

export async function getSettings({ ctx }: { ctx: ServiceContext }) {
	return presentSettings(await loadTenant(ctx));
}

/** A new number format applies to invoices finalized from now on; issued numbers never change. */
export async function updateSettings({
	ctx,
	patch,
}: {
	ctx: ServiceContext;
	patch: z.infer<typeof settingsUpdateBody>;
}) {
	const current = await loadTenant(ctx);
	const next: TenantRow = {
		...current,
		name: patch.name ?? current.name,
		defaultCurrency: patch.default_currency ?? current.defaultCurrency,
		invoiceNumberFormat: patch.invoice_number_format ?? current.invoiceNumberFormat,
	};
	await runBatch(ctx.db, [
		ctx.db
			.update(tenants)
			.set({ name: next.name, defaultCurrency: next.defaultCurrency, invoiceNumberFormat: next.invoiceNumberFormat })
			.where(eq(tenants.id, ctx.tenantId)),
		...changeStatements(ctx, {
			action: "settings.updated",
			target: { type: "tenant", id: ctx.tenantId },
			before: presentSettings(current),
			after: presentSettings(next),
			event: null,
		}),
	]);
	return presentSettings(next);
}
