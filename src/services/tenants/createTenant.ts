import type { z } from "zod";
import type { Database } from "../../db/client";
import { apiKeys, tenants } from "../../db/schema";
import type { Env } from "../../env";
import type { Clock } from "../../lib/clock";
import type { RequestKey } from "../../lib/idempotency";
import { newId } from "../../lib/ids";
import type { Logger } from "../../lib/logger";
import { presentApiKey } from "../../schemas/apiKey";
import type { tenantCreateBody } from "../../schemas/tenant";
import { changeStatements } from "../changeLog";
import { issueApiKey } from "../keys/issueApiKey";

/** Onboards a tenant with its first `billing_admin` key; both land in one batch or neither does. */
export async function createTenant({
	db,
	env,
	clock,
	logger,
	requestId,
	requestKey,
	input,
}: {
	db: Database;
	env: Env;
	clock: Clock;
	logger: Logger;
	requestId: string;
	/** The request's Idempotency-Key, which the tenant's creation answers in its commit. */
	requestKey?: RequestKey;
	input: z.infer<typeof tenantCreateBody>;
}) {
	const now = clock.now().toISOString();
	const tenant = { id: newId("tenant"), name: input.name, defaultCurrency: input.default_currency, createdAt: now };
	const ctx = {
		db,
		env,
		clock,
		logger,
		requestId,
		requestKey,
		tenantId: tenant.id,
		actor: { type: "admin" as const, id: "operator" },
	};
	const { row, secret } = await issueApiKey({
		tenantId: tenant.id,
		name: "Initial admin key",
		role: "billing_admin",
		scopes: null,
		expiresAt: null,
		createdBy: "operator",
		now,
	});
	const presentedTenant = {
		id: tenant.id,
		object: "tenant" as const,
		name: tenant.name,
		default_currency: tenant.defaultCurrency,
		created_at: now,
	};
	const created = { tenant: presentedTenant, api_key: { ...presentApiKey(row), secret } };
	await db.batch([
		db.insert(tenants).values(tenant),
		db.insert(apiKeys).values(row),
		...changeStatements(ctx, {
			action: "tenant.created",
			target: { type: "tenant", id: tenant.id },
			before: null,
			after: presentedTenant,
			event: null,
			answers: { status: 201, body: created },
		}),
	]);
	return created;
}
