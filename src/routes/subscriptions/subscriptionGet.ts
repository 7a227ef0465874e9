import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { presentSubscription, subscriptionSchema } from "../../schemas/subscription";
import { loadSubscription } from "../../services/subscriptions/loadSubscription";
import { ApiRoute } from "../base";

export class SubscriptionGet extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Subscriptions"],
		summary: "Retrieve a subscription",
		operationId: "getSubscription",
		request: { params: idParam("sub") },
		responses: {
			"200": { description: "The subscription", content: contentJson(subscriptionSchema) },
			"404": problemResponse("No such subscription for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentSubscription(await loadSubscription(tenantContext(c), params.id)));
	}
}
