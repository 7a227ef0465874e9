import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { deliveryListQuery, webhookDeliverySchema } from "../../schemas/webhook";
import { getDelivery, listDeliveries, redeliver } from "../../services/webhooks/deliveries";
import { ApiRoute } from "../base";

const deliveryParams = idParam("we").extend({
	deliveryId: z.string().regex(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a msg_ id"),
});

export class WebhookDeliveryList extends ApiRoute {
	readonly access = "webhooks:read";
	override schema = {
		tags: ["Webhooks"],
		summary: "An endpoint's delivery log",
		operationId: "listWebhookDeliveries",
		request: { params: idParam("we"), query: deliveryListQuery },
		responses: {
			"200": {
				description: "A page of deliveries",
				content: contentJson(listEnvelope(webhookDeliverySchema, "WebhookDeliveryList")),
			},
			"404": problemResponse("No such endpoint for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listDeliveries({ ctx: tenantContext(c), endpointId: params.id, query }));
	}
}

export class WebhookDeliveryGet extends ApiRoute {
	readonly access = "webhooks:read";
	override schema = {
		tags: ["Webhooks"],
		summary: "A delivery with every attempt: status code, latency, error",
		operationId: "getWebhookDelivery",
		request: { params: deliveryParams },
		responses: {
			"200": { description: "The delivery", content: contentJson(webhookDeliverySchema) },
			"404": problemResponse("No such delivery for this endpoint"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getDelivery({ ctx: tenantContext(c), endpointId: params.id, deliveryId: params.deliveryId }));
	}
}

export class WebhookRedeliver extends ApiRoute {
	readonly access = "webhooks:write";
	override schema = {
		tags: ["Webhooks"],
		summary: "Send a delivery again",
		operationId: "redeliverWebhook",
		request: { params: deliveryParams },
		responses: {
			"202": { description: "Queued", content: contentJson(webhookDeliverySchema) },
			"404": problemResponse("No such delivery for this endpoint"),
			"409": problemResponse("The endpoint is disabled"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await redeliver({ ctx: tenantContext(c), endpointId: params.id, deliveryId: params.deliveryId }),
			202,
		);
	}
}
