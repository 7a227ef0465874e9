import { eq } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { type EmailTransportSetting, type TenantLogo, tenants } from "../../db/schema";
import { logoType, MAX_LOGO_BYTES } from "../../documents/logo";
import { localDate } from "../../domain/billingPeriods";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { encryptSecret, sha256Hex } from "../../lib/crypto";
import { fieldInvalid, notFound } from "../../lib/errors";
import { newWebhookSecret } from "../../lib/webhookSignature";
import type { settingsUpdateBody } from "../../schemas/settings";
import { changeStatements } from "../changeLog";

type TenantRow = typeof tenants.$inferSelect;

const presentSettings = (row: TenantRow, withSecret = false) => ({
	object: "settings" as const,
	tenant_id: row.id,
	name: row.name,
	default_currency: row.defaultCurrency,
	invoice_number_format: row.invoiceNumberFormat,
	time_zone: row.timeZone,
	erp_webhook_url: row.erpWebhookUrl,
	...(withSecret && row.erpWebhookSecret ? { erp_webhook_secret: row.erpWebhookSecret } : {}),
	legal_profile: row.legalProfile,
	logo: row.logo ? { content_type: row.logo.content_type, size: row.logo.size } : null,
	email_transport:
		row.emailTransport?.provider === "http"
			? { provider: "http" as const, endpoint: row.emailTransport.endpoint }
			: { provider: "send_email" as const, endpoint: null },
});

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
		token_ciphertext: await encryptSecret(input.token, ctx.env.SECRETS_KEY),
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
				legalProfile: next.legalProfile,
				logo: next.logo,
				emailTransport: next.emailTransport,
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
