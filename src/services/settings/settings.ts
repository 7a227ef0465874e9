import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { rawStatement, runBatch } from "../../db/client";
import { type EmailTransportSetting, type SmsTransportSetting, type TenantLogo, tenants } from "../../db/schema";
import { logoType, MAX_LOGO_BYTES } from "../../documents/logo";
import { localDate } from "../../domain/billingPeriods";
import { isKnownRegion } from "../../domain/tax/countries";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { sealSecret, sha256Hex } from "../../lib/crypto";
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

/** The tenant's email transport as stored: an HTTP API's endpoint checked like a webhook's, its token encrypted. */
async function emailTransportSetting(
	ctx: ServiceContext,
	input: NonNullable<z.infer<typeof settingsUpdateBody>["email_transport"]>,
): Promise<EmailTransportSetting> {
	if (input.provider === "send_email") return input;
	const target = checkWebhookTarget(input.endpoint, { allowLocalhost: config(ctx.env).webhookAllowLocalhost });
	if (!target.ok) throw fieldInvalid("body", "email_transport.endpoint", target.reason);
	if (!ctx.env.SECRETS_KEY) {
		throw fieldInvalid("body", "email_transport.token", "cannot be stored: the deployment has no SECRETS_KEY");
	}
	return {
		provider: "http",
		endpoint: target.url.toString(),
		token_ciphertext: await sealSecret(ctx.env.SECRETS_KEY, input.token, emailTokenContext(ctx.tenantId)),
	};
}

/** The tenant's SMS transport as stored: its endpoint checked like a webhook's, its token encrypted. */
async function smsTransportSetting(
	ctx: ServiceContext,
	input: NonNullable<z.infer<typeof settingsUpdateBody>["sms_transport"]>,
): Promise<SmsTransportSetting> {
	const target = checkWebhookTarget(input.endpoint, { allowLocalhost: config(ctx.env).webhookAllowLocalhost });
	if (!target.ok) throw fieldInvalid("body", "sms_transport.endpoint", target.reason);
	if (!ctx.env.SECRETS_KEY) {
		throw fieldInvalid("body", "sms_transport.token", "cannot be stored: the deployment has no SECRETS_KEY");
	}
	return {
		endpoint: target.url.origin + target.url.pathname.replace(/\/+$/, ""),
		account_sid: input.account_sid,
		from: input.from,
		token_ciphertext: await sealSecret(ctx.env.SECRETS_KEY, input.token, smsTokenContext(ctx.tenantId)),
	};
}

/** Checks an uploaded logo and stores it under a key of its own, so documents already issued keep theirs. */
async function storeLogo(ctx: ServiceContext, upload: { content_type: string; data: string }): Promise<TenantLogo> {
	const bytes = Uint8Array.from(atob(upload.data), (c) => c.charCodeAt(0));
	if (bytes.byteLength > MAX_LOGO_BYTES) {
		throw fieldInvalid("body", "logo.data", `is ${bytes.byteLength} bytes; a logo may have at most ${MAX_LOGO_BYTES}`);
	}
	const type = logoType(bytes);
	if (type === null) throw fieldInvalid("body", "logo.data", "is neither a PNG nor a JPEG image");
	if (type !== upload.content_type) throw fieldInvalid("body", "logo.content_type", `the image is ${type}`);
	const key = `tenants/${ctx.tenantId}/logos/${await sha256Hex(bytes)}`;
	await ctx.env.FILES.put(key, bytes, { httpMetadata: { contentType: type } });
	return { key, content_type: type, size: bytes.byteLength };
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

/** The tax rounding mode a patch sets, under either of its names (which must then agree). */
function roundingOf(patch: SettingsPatch) {
	if (patch.rounding && patch.tax_rounding && patch.rounding !== patch.tax_rounding) {
		throw fieldInvalid(
			"body",
			"rounding",
			`is tax_rounding by another name; it cannot differ from '${patch.tax_rounding}'`,
		);
	}
	return patch.rounding ?? patch.tax_rounding;
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
	const logo = patch.logo ? await storeLogo(ctx, patch.logo) : patch.logo === null ? null : current.logo;
	const next: TenantRow = {
		...current,
		name: patch.name ?? current.name,
		defaultCurrency: patch.default_currency ?? current.defaultCurrency,
		invoiceNumberFormat: patch.invoice_number_format ?? current.invoiceNumberFormat,
		timeZone: patch.time_zone ?? current.timeZone,
		erpWebhookUrl,
		erpWebhookSecret: newSecret ? newWebhookSecret() : current.erpWebhookSecret,
		legalProfile: patch.legal_profile === undefined ? current.legalProfile : patch.legal_profile,
		logo,
		emailTransport: patch.email_transport
			? await emailTransportSetting(ctx, patch.email_transport)
			: current.emailTransport,
		smsTransport:
			patch.sms_transport === undefined
				? current.smsTransport
				: patch.sms_transport && (await smsTransportSetting(ctx, patch.sms_transport)),
		taxRounding: roundingOf(patch) ?? current.taxRounding,
		taxPricesIncludeTax: patch.tax_prices_include_tax ?? current.taxPricesIncludeTax,
		taxOriginCountry: patch.tax_origin_country === undefined ? current.taxOriginCountry : patch.tax_origin_country,
		taxOriginRegion: patch.tax_origin_region === undefined ? current.taxOriginRegion : patch.tax_origin_region,
		taxRegistrations: patch.tax_registrations ?? current.taxRegistrations,
		taxOssRegistered: patch.tax_oss_registered ?? current.taxOssRegistered,
		taxEuDistanceSalesAboveThreshold:
			patch.tax_eu_distance_sales_above_threshold ?? current.taxEuDistanceSalesAboveThreshold,
		defaultPaymentTerms: patch.default_payment_terms ?? current.defaultPaymentTerms,
		revenueRecognitionPolicy: patch.revenue_recognition_policy ?? current.revenueRecognitionPolicy,
		locale: patch.locale ?? current.locale,
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
				legalProfile: next.legalProfile,
				logo: next.logo,
				emailTransport: next.emailTransport,
				smsTransport: next.smsTransport,
				taxRounding: next.taxRounding,
				taxPricesIncludeTax: next.taxPricesIncludeTax,
				taxOriginCountry: next.taxOriginCountry,
				taxOriginRegion: next.taxOriginRegion,
				taxRegistrations: next.taxRegistrations,
				taxOssRegistered: next.taxOssRegistered,
				taxEuDistanceSalesAboveThreshold: next.taxEuDistanceSalesAboveThreshold,
				defaultPaymentTerms: next.defaultPaymentTerms,
				revenueRecognitionPolicy: next.revenueRecognitionPolicy,
				locale: next.locale,
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

/** What a tenant's sealed email API token is bound to: it opens for that tenant's transport alone. */
export const emailTokenContext = (tenantId: string) => `${tenantId}/email_transport`;

/** What a tenant's sealed SMS auth token is bound to. */
export const smsTokenContext = (tenantId: string) => `${tenantId}/sms_transport`;
