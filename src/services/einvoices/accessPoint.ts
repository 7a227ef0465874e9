import { eq } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { tenants } from "../../db/schema";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { openSecret, sealSecret } from "../../lib/crypto";
import { AppError, fieldInvalid } from "../../lib/errors";
import type { accessPointBody } from "../../schemas/einvoice";
import { changeStatements } from "../changeLog";
import { loadTenantRow } from "../documents/parties";
import type { AccessPoint } from "./accessPointClient";

/** What the sealed token is bound to: it opens only as this tenant's access point token. */
const tokenContext = (tenantId: string) => `einvoice_access_point/${tenantId}`;

export const presentAccessPoint = (endpoint: string) => ({
	object: "einvoice_access_point" as const,
	endpoint,
	token_configured: true as const,
});

/** The tenant's access point as configured (the token never leaves), or 404 when there is none. */
export async function getAccessPoint({ ctx }: { ctx: ServiceContext }) {
	const setting = (await loadTenantRow(ctx)).einvoiceAccessPoint;
	if (!setting) throw new AppError("not_found", "No e-invoice access point is configured for this tenant.");
	return presentAccessPoint(setting.endpoint);
}

/**
 * Sets the tenant's Peppol access point. The endpoint passes the same guard as webhook targets (HTTPS, no
 * private addresses); the token is sealed with SECRETS_KEY and never returned.
 */
export async function setAccessPoint({ ctx, input }: { ctx: ServiceContext; input: z.infer<typeof accessPointBody> }) {
	const target = checkWebhookTarget(input.endpoint, { allowLocalhost: config(ctx.env).webhookAllowLocalhost });
	if (!target.ok) throw fieldInvalid("body", "endpoint", target.reason);
	if (!ctx.env.SECRETS_KEY) {
		throw new AppError(
			"service_unavailable",
			"Secrets cannot be stored: the deployment has no SECRETS_KEY configured.",
		);
	}
	const before = (await loadTenantRow(ctx)).einvoiceAccessPoint;
	const endpoint = target.url.toString();
	const setting = {
		endpoint,
		token_ciphertext: await sealSecret(ctx.env.SECRETS_KEY, input.token, tokenContext(ctx.tenantId)),
	};
	await runBatch(ctx.db, [
		ctx.db.update(tenants).set({ einvoiceAccessPoint: setting }).where(eq(tenants.id, ctx.tenantId)),
		...changeStatements(ctx, {
			action: "einvoice_access_point.set",
			event: null,
			target: { type: "tenant", id: ctx.tenantId },
			before: before ? presentAccessPoint(before.endpoint) : null,
			after: presentAccessPoint(endpoint),
			answers: { status: 200 },
		}),
	]);
	return presentAccessPoint(endpoint);
}

/** The access point with its token opened, or null when the tenant has none. */
export async function accessPointCredentials(ctx: ServiceContext): Promise<AccessPoint | null> {
	const setting = (await loadTenantRow(ctx)).einvoiceAccessPoint;
	if (!setting) return null;
	if (!ctx.env.SECRETS_KEY) throw new Error("the access point token cannot be opened: no SECRETS_KEY");
	return {
		endpoint: setting.endpoint,
		token: await openSecret(ctx.env.SECRETS_KEY, setting.token_ciphertext, tokenContext(ctx.tenantId)),
	};
}
