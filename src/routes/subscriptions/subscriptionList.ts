import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { subscriptionListQuery, subscriptionSchema } from "../../schemas/subscription";
import { listSubscriptions } from "../../services/subscriptions/listSubscriptions";
import { ApiRoute } from "../base";

export class SubscriptionList extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Subscriptions"],
		summary: "List subscriptions",
		operationId: "listSubscriptions",
		request: { query: subscriptionListQuery },
		responses: {
			"200": {
				description: "A page of subscriptions",
				content: contentJson(listEnvelope(subscriptionSchema, "SubscriptionList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listSubscriptions({ ctx: tenantContext(c), query }));
	}
}
