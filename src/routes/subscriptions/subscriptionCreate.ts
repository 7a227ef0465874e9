import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { subscriptionCreateBody, subscriptionCreatedSchema } from "../../schemas/subscription";
import { createSubscription } from "../../services/subscriptions/createSubscription";
import { ApiRoute } from "../base";

export class SubscriptionCreate extends ApiRoute {
	readonly access = "subscriptions:write";
	/**
	 * The operation may commit more than once (the subscription, then its first invoice through billing),
	 * so no single commit is the answer.
	 */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Subscriptions"],
		summary: "Subscribe a customer to a plan",
		description:
			"Starts in trial (trial or trial_days) or active. An active subscription's first period is invoiced and " +
			"issued at once; a trialing one returns a preview of the invoice its trial ends with.",
		operationId: "createSubscription",
		request: { body: { content: contentJson(subscriptionCreateBody), required: true } },
		responses: {
			"201": { description: "The subscription and its first invoice", content: contentJson(subscriptionCreatedSchema) },
			"402": problemResponse("The payment method is unknown, expired or another customer's"),
			"409": problemResponse("An archived plan or a deleted customer"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const subscription = await createSubscription({ ctx: tenantContext(c), input: body });
		return c.json(subscription, 201, { Location: `/v1/billing/subscriptions/${subscription.id}` });
	}
}
