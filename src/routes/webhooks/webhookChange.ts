import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { webhookEndpointSchema } from "../../schemas/webhook";
import { changeEndpoint } from "../../services/webhooks/endpoints";
import { ApiRoute } from "../base";

type Change = Parameters<typeof changeEndpoint>[0]["change"];

const changeSchema = (operationId: string, summary: string) => ({
	tags: ["Webhooks"],
	summary,
	operationId,
	request: { params: idParam("we") },
	responses: {
		"200": { description: "The endpoint", content: contentJson(webhookEndpointSchema) },
		"404": problemResponse("No such endpoint for this tenant"),
	},
});

abstract class WebhookChange extends ApiRoute {
	readonly access = "webhooks:write";
	abstract readonly change: Change;

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<ReturnType<typeof changeSchema>>();
		const endpoint = await changeEndpoint({ ctx: tenantContext(c), id: params.id, change: this.change });
		return endpoint ? c.json(endpoint) : c.body(null, 204);
	}
}

export class WebhookEnable extends WebhookChange {
	readonly change = "enabled";
	override schema = changeSchema("enableWebhookEndpoint", "Enable an endpoint (and reset its failure count)");
}

export class WebhookDisable extends WebhookChange {
	readonly change = "disabled";
	override schema = changeSchema("disableWebhookEndpoint", "Disable an endpoint");
}

export class WebhookRotateSecret extends WebhookChange {
	readonly change = "secret_rotated";
	override schema = changeSchema(
		"rotateWebhookSecret",
		"Rotate an endpoint's signing secret (the new one is shown once)",
	);
}

export class WebhookDelete extends WebhookChange {
	readonly change = "deleted";
	override schema = {
		...changeSchema("deleteWebhookEndpoint", "Delete an endpoint"),
		responses: { "204": { description: "Deleted" }, "404": problemResponse("No such endpoint for this tenant") },
	};
}
