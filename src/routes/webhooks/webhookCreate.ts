import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { webhookCreateBody, webhookEndpointSchema } from "../../schemas/webhook";
import { createEndpoint } from "../../services/webhooks/endpoints";
import { ApiRoute } from "../base";

export class WebhookCreate extends ApiRoute {
	readonly access = "webhooks:write";
	override schema = {
		tags: ["Webhooks"],
		summary: "Register a webhook endpoint",
		description:
			"Deliveries are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the " +
			"endpoint's secret, shown once. Only https URLs to public hosts are accepted. `events` names types of the " +
			"event catalog (the enum) or `*`; an alias is stored as the catalog's spelling.",
		operationId: "createWebhookEndpoint",
		request: { body: { content: contentJson(webhookCreateBody), required: true } },
		responses: { "201": { description: "The endpoint, with its secret", content: contentJson(webhookEndpointSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createEndpoint({ ctx: tenantContext(c), input: body }), 201);
	}
}
