import { runBatch } from "../../db/client";
import { taxProviders } from "../../db/schema";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { sealSecret } from "../../lib/crypto";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { changeStatements } from "../changeLog";

export const presentTaxProvider = (row: typeof taxProviders.$inferSelect) => ({
	object: "tax_provider" as const,
	id: row.id,
	name: row.name,
	endpoint_url: row.endpointUrl,
	secret_hint: `…${row.secretHint}`,
	created_at: row.createdAt,
});

/** What a sealed provider secret is bound to: it opens only for this tenant's row. */
export const providerSecretContext = (tenantId: string, providerId: string) => `tax_provider/${tenantId}/${providerId}`;

/**
 * Configures an external tax service reached over HTTP. The endpoint passes the same guard as webhook
 * targets (HTTPS, no private addresses); the secret is sealed with SECRETS_KEY and never returned.
 */
export async function createTaxProvider({
	ctx,
	input,
}: {
	ctx: ServiceContext;
	input: { name: string; endpoint_url: string; secret: string };
}) {
	const target = checkWebhookTarget(input.endpoint_url, { allowLocalhost: config(ctx.env).webhookAllowLocalhost });
	if (!target.ok) throw fieldInvalid("body", "endpoint_url", target.reason);
	const key = ctx.env.SECRETS_KEY;
	if (!key) {
		throw new AppError(
			"service_unavailable",
			"Secrets cannot be stored: the deployment has no SECRETS_KEY configured.",
		);
	}
	const id = newId("taxProvider");
	const row: typeof taxProviders.$inferSelect = {
		id,
		tenantId: ctx.tenantId,
		name: input.name,
		endpointUrl: target.url.toString(),
		secretCiphertext: await sealSecret(key, input.secret, providerSecretContext(ctx.tenantId, id)),
		secretHint: input.secret.slice(-4),
		createdAt: ctx.clock.now().toISOString(),
	};
	const presented = presentTaxProvider(row);
	await runBatch(ctx.db, [
		ctx.db.insert(taxProviders).values(row),
		...changeStatements(ctx, {
			action: "tax_provider.created",
			target: { type: "tax_provider", id },
			before: null,
			after: presented,
			event: null,
			answers: { status: 201 },
		}),
	]);
	return presented;
}
