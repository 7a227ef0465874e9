import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { webhookEndpointSchema } from "../../schemas/webhook";
import { listEndpoints } from "../../services/webhooks/endpoints";
import { ApiRoute } from "../base";

export class WebhookList extends ApiRoute {
	readonly access = "webhooks:read";
	override schema = {
		tags: ["Webhooks"],
		summary: "List webhook endpoints",
		operationId: "listWebhookEndpoints",
		responses: {
			"200": {
				description: "All endpoints",
				content: contentJson(listEnvelope(webhookEndpointSchema, "WebhookEndpointList")),
			},
		},
	};

	override async handle(c: AppContext) {
		return c.json(await listEndpoints({ ctx: tenantContext(c) }));
	}
}
