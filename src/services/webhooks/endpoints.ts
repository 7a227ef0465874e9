import { asc, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { webhookEndpoints } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { canonicalEventName } from "../../domain/eventCatalog";
import { checkWebhookTarget } from "../../domain/webhookTarget";
import { config } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import type { ChangeAnswer } from "../../lib/idempotency";
import { newId } from "../../lib/ids";
import { newWebhookSecret } from "../../lib/webhookSignature";
import { type EndpointRow, presentEndpoint, type WebhookCreateInput } from "../../schemas/webhook";
import { changeStatements } from "../changeLog";
import { heardOf } from "./listeners";

export async function loadEndpoint(ctx: Pick<ServiceContext, "db" | "tenantId">, id: string): Promise<EndpointRow> {
	const row = await ctx.db
		.select()
		.from(webhookEndpoints)
		.where(idInTenant(webhookEndpoints, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("webhook endpoint", id);
	return row;
}

export async function createEndpoint({ ctx, input }: { ctx: ServiceContext; input: WebhookCreateInput }) {
	const target = checkWebhookTarget(input.url, { allowLocalhost: config(ctx.env).webhookAllowLocalhost });
	if (!target.ok) throw fieldInvalid("body", "url", target.reason);
	const now = ctx.clock.now().toISOString();
	const row: EndpointRow = {
		id: newId("webhookEndpoint"),
		tenantId: ctx.tenantId,
		url: target.url.toString(),
		description: input.description ?? null,
		events: [...new Set(input.events.map(canonicalEventName))],
		secret: input.secret ?? newWebhookSecret(),
		status: "enabled",
		disabledReason: null,
		consecutiveFailures: 0,
		failingSince: null,
		createdAt: now,
		updatedAt: now,
	};
	await runBatch(ctx.db, [
		ctx.db.insert(webhookEndpoints).values(row),
		...changeStatements(ctx, {
			action: "webhook_endpoint.created",
			target: { type: "webhook_endpoint", id: row.id },
			before: null,
			after: presentEndpoint(row),
			event: null,
			answers: { status: 201, body: presentEndpoint(row, true) },
		}),
	]);
	heardOf(ctx.tenantId);
	return presentEndpoint(row, true);
}

export async function listEndpoints({ ctx }: { ctx: ServiceContext }) {
	const rows = await ctx.db
		.select()
		.from(webhookEndpoints)
		.where(eq(webhookEndpoints.tenantId, ctx.tenantId))
		.orderBy(asc(webhookEndpoints.id));
	const data = rows.map((row) => presentEndpoint(row));
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

type EndpointChange = "enabled" | "disabled" | "secret_rotated" | "deleted";

/** Enable, disable, rotate the secret of, or delete an endpoint; each change is audited. */
export async function changeEndpoint({ ctx, id, change }: { ctx: ServiceContext; id: string; change: EndpointChange }) {
	const current = await loadEndpoint(ctx, id);
	const now = ctx.clock.now().toISOString();
	const where = idInTenant(webhookEndpoints, ctx.tenantId, id);
	const next: EndpointRow = {
		...current,
		updatedAt: now,
		...(change === "enabled"
			? { status: "enabled", disabledReason: null, consecutiveFailures: 0, failingSince: null }
			: {}),
		...(change === "disabled" ? { status: "disabled", disabledReason: "disabled by a user" } : {}),
		...(change === "secret_rotated" ? { secret: newWebhookSecret() } : {}),
	};
	const { id: _id, tenantId: _tenant, createdAt: _created, ...fields } = next;
	await runBatch(ctx.db, [
		change === "deleted"
			? ctx.db.delete(webhookEndpoints).where(where)
			: ctx.db.update(webhookEndpoints).set(fields).where(where),
		...changeStatements(ctx, {
			action: `webhook_endpoint.${change}`,
			target: { type: "webhook_endpoint", id },
			before: presentEndpoint(current),
			after: change === "deleted" ? null : presentEndpoint(next),
			event: null,
			answers: answerTo(change, next),
		}),
	]);
	return change === "deleted" ? null : presentEndpoint(next, change === "secret_rotated");
}

/** The answer to an endpoint's change: none once deleted; the new secret shown once, when rotated. */
const answerTo = (change: EndpointChange, next: EndpointRow): ChangeAnswer =>
	change === "deleted"
		? { status: 204, body: null }
		: { status: 200, ...(change === "secret_rotated" ? { body: presentEndpoint(next, true) } : {}) };
