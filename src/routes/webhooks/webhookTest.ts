import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { contentJson, problemResponse } from "../../schemas/common";
import { webhookTestBody } from "../../schemas/webhook";
import { post } from "../../services/webhooks/deliver";
import { loadEndpoint } from "../../services/webhooks/endpoints";
import { ApiRoute } from "../base";

const testResultSchema = z
	.object({
		object: z.literal("webhook_test"),
		endpoint_id: z.string(),
		webhook_id: z.string(),
		delivered: z.boolean(),
		status_code: z.number().int().nullable(),
		latency_ms: z.number().int(),
		error: z.string().nullable(),
	})
	.meta({ id: "WebhookTestResult" });

export class WebhookTest extends ApiRoute {
	readonly access = "webhooks:write";
	/** Posts to the endpoint, outside our storage: the key is claimed before, its answer stored after. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Webhooks"],
		summary: "Send a signed test event to an endpoint and report what it answered",
		operationId: "testWebhookEndpoint",
		request: { body: { content: contentJson(webhookTestBody), required: true } },
		responses: {
			"200": { description: "The endpoint's answer", content: contentJson(testResultSchema) },
			"404": problemResponse("No such endpoint for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const endpoint = await loadEndpoint(ctx, body.endpoint_id);
		const now = ctx.clock.now();
		const webhookId = newId("webhookDelivery");
		const payload = JSON.stringify({
			type: body.event_type,
			timestamp: now.toISOString(),
			data: { test: true, endpoint_id: endpoint.id, request_id: ctx.requestId },
		});
		const outcome = await post(endpoint, webhookId, payload, now);
		return c.json({
			object: "webhook_test" as const,
			endpoint_id: endpoint.id,
			webhook_id: webhookId,
			delivered: outcome.ok,
			status_code: outcome.statusCode,
			latency_ms: outcome.latencyMs,
			error: outcome.error,
		});
	}
}
