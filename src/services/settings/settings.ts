import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { rawStatement, runBatch } from "../../db/client";
import { tenants } from "../../db/schema";
import { localDate } from "../../domain/billingPeriods";
import { isKnownRegion } from "../../domain/tax/countries";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { refusalOf } from "../../lib/dbErrors";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { requireVersion, staleVersion } from "../../lib/etag";
import { newWebhookSecret } from "../../lib/webhookSignature";
import type { settingsUpdateBody } from "../../schemas/settings";
import { presentSettings } from "../../schemas/settings";
import { changeStatements } from "../changeLog";

type TenantRow = typeof tenants.$inferSelect;

/** The settings as the audit trail records them: the version is the trail's order, not part of the change. */
function auditSnapshot(row: TenantRow) {
	const { version: _version, ...settings } = presentSettings(row);
	return settings;
}

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

/** A region must be one the country has (where the engine knows them: US, CA, IN, ES). */
function checkTaxPlaces(next: TenantRow) {
	if (next.taxOriginRegion !== null) {
		if (next.taxOriginCountry === null) {
			throw fieldInvalid("body", "tax_origin_region", "needs tax_origin_country");
		}
		if (!isKnownRegion(next.taxOriginCountry, next.taxOriginRegion)) {
			throw fieldInvalid("body", "tax_origin_region", `is not a region of ${next.taxOriginCountry}`);
		}
	}
	for (const [i, registration] of next.taxRegistrations.entries()) {
		if (registration.region !== null && !isKnownRegion(registration.country, registration.region)) {
			throw fieldInvalid("body", `tax_registrations.${i}.region`, `is not a region of ${registration.country}`);
		}
	}
}

export async function getSettings({ ctx }: { ctx: ServiceContext }) {
	return presentSettings(await loadTenant(ctx));
}

type SettingsPatch = Omit<z.infer<typeof settingsUpdateBody>, "version">;

/**
 * A new number format applies to invoices finalized from now on; issued numbers never change. The patch
 * applies to the settings as read, and is refused when they moved before it committed: with the version
 * the client named, that is a conflict; without one, the patch is applied again to what is there now.
 */
export async function updateSettings({
	ctx,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	patch: SettingsPatch;
	expectedVersion?: number;
}) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await applySettingsPatch(ctx, patch, expectedVersion);
		} catch (error) {
			const moved = error instanceof AppError && error.code === "version_conflict";
			if (!moved || expectedVersion !== undefined || attempt === 3) throw error;
		}
	}
}

async function applySettingsPatch(ctx: ServiceContext, patch: SettingsPatch, expectedVersion: number | undefined) {
	const current = await loadTenant(ctx);
	requireVersion("settings", expectedVersion, current.settingsVersion);
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
		taxRounding: patch.tax_rounding ?? current.taxRounding,
		taxPricesIncludeTax: patch.tax_prices_include_tax ?? current.taxPricesIncludeTax,
		taxOriginCountry: patch.tax_origin_country === undefined ? current.taxOriginCountry : patch.tax_origin_country,
		taxOriginRegion: patch.tax_origin_region === undefined ? current.taxOriginRegion : patch.tax_origin_region,
		taxRegistrations: patch.tax_registrations ?? current.taxRegistrations,
		taxOssRegistered: patch.tax_oss_registered ?? current.taxOssRegistered,
		taxEuDistanceSalesAboveThreshold:
			patch.tax_eu_distance_sales_above_threshold ?? current.taxEuDistanceSalesAboveThreshold,
	};
	checkTaxPlaces(next);
	const batch = runBatch(ctx.db, [
		// The batch is refused whole when the settings moved since they were read (the view's trigger raises).
		rawStatement(
			ctx.db,
			sql`insert into account_state_checks (expected, actual) select ${String(current.settingsVersion)}, cast(settings_version as text) from tenants where id = ${ctx.tenantId}`,
		),
		ctx.db
			.update(tenants)
			.set({
				name: next.name,
				defaultCurrency: next.defaultCurrency,
				invoiceNumberFormat: next.invoiceNumberFormat,
				timeZone: next.timeZone,
				erpWebhookUrl: next.erpWebhookUrl,
				erpWebhookSecret: next.erpWebhookSecret,
				taxRounding: next.taxRounding,
				taxPricesIncludeTax: next.taxPricesIncludeTax,
				taxOriginCountry: next.taxOriginCountry,
				taxOriginRegion: next.taxOriginRegion,
				taxRegistrations: next.taxRegistrations,
				taxOssRegistered: next.taxOssRegistered,
				taxEuDistanceSalesAboveThreshold: next.taxEuDistanceSalesAboveThreshold,
			})
			.where(eq(tenants.id, ctx.tenantId)),
		...changeStatements(ctx, {
			action: "settings.updated",
			target: { type: "tenant", id: ctx.tenantId },
			before: auditSnapshot(current),
			after: auditSnapshot(next),
			event: null,
		}),
	]);
	try {
		await batch;
	} catch (error) {
		if (refusalOf(error) === "state_changed") throw staleVersion("settings");
		throw error;
	}
	// Triggers move the version whenever settings an account operation reads change.
	return presentSettings(await loadTenant(ctx), newSecret);
}
