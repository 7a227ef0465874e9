import { eq } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { tenants } from "../../db/schema";
import { localDate } from "../../domain/billingPeriods";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import { newWebhookSecret } from "../../lib/webhookSignature";
import type { settingsUpdateBody } from "../../schemas/settings";
import { presentSettings } from "../../schemas/settings";
import { changeStatements } from "../changeLog";

type TenantRow = typeof tenants.$inferSelect;

async function loadTenant(ctx: ServiceContext) {
	const row = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).get();
	if (!row) throw notFound("tenant", ctx.tenantId);
	return row;
}

/** The tenant's business date: today's calendar date in its time zone, on the context's clock. */
export async function tenantToday(ctx: ServiceContext): Promise<string> {
	const row = await ctx.db
		.select({ timeZone: tenants.timeZone })
		.from(tenants)
		.where(eq(tenants.id, ctx.tenantId))
		.get();
	return localDate(ctx.clock.now(), row?.timeZone ?? "UTC");
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
	let erpWebhookUrl = current.erpWebhookUrl;
	if (patch.erp_webhook_url !== undefined) {
		const target =
			patch.erp_webhook_url === null
				? null
				: checkWebhookTarget(patch.erp_webhook_url, { allowLocalhost: config(ctx.env).webhookAllowLocalhost });
		if (target && !target.ok) throw fieldInvalid("body", "erp_webhook_url", target.reason);
		erpWebhookUrl = target ? target.url.toString() : null;
	}
	const newSecret = erpWebhookUrl !== null && current.erpWebhookSecret === null;
	const next: TenantRow = {
		...current,
		name: patch.name ?? current.name,
		defaultCurrency: patch.default_currency ?? current.defaultCurrency,
		invoiceNumberFormat: patch.invoice_number_format ?? current.invoiceNumberFormat,
		timeZone: patch.time_zone ?? current.timeZone,
		erpWebhookUrl,
		erpWebhookSecret: newSecret ? newWebhookSecret() : current.erpWebhookSecret,
	};
	await runBatch(ctx.db, [
		ctx.db
			.update(tenants)
			.set({
				name: next.name,
				defaultCurrency: next.defaultCurrency,
				invoiceNumberFormat: next.invoiceNumberFormat,
				timeZone: next.timeZone,
				erpWebhookUrl: next.erpWebhookUrl,
				erpWebhookSecret: next.erpWebhookSecret,
			})
			.where(eq(tenants.id, ctx.tenantId)),
		...changeStatements(ctx, {
			action: "settings.updated",
			target: { type: "tenant", id: ctx.tenantId },
			before: presentSettings(current),
			after: presentSettings(next),
			event: null,
		}),
	]);
	return presentSettings(next, newSecret);
}
