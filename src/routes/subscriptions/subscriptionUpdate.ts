import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { subscriptionSchema, subscriptionUpdateBody } from "../../schemas/subscription";
import { updateSubscription } from "../../services/subscriptions/updateSubscription";
import { ApiRoute } from "../base";

export class SubscriptionUpdate extends ApiRoute {
	readonly access = "subscriptions:write";
	/**
	 * A proration commits a credit note or an invoice after the subscription, so no single commit is the
	 * answer.
	 */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Subscriptions"],
		summary: "Change a subscription's plan or quantity",
		description:
			"Upgrades and downgrades take effect today. The unused part of the period on the old terms is credited, and " +
			"the rest of the period on the new terms is charged with the next invoice (create_prorations) or at once " +
			"(always_invoice); none changes only future periods. `proration` reports the amounts.",
		operationId: "updateSubscription",
		request: { params: idParam("sub"), body: { content: contentJson(subscriptionUpdateBody), required: true } },
		responses: {
			"200": {
				description: "The subscription with the proration applied",
				content: contentJson(
					subscriptionSchema.extend({
						proration: z
							.object({ credit: z.number().int(), charge: z.number().int(), net: z.number().int() })
							.nullable(),
					}),
				),
			},
			"402": problemResponse("The payment method cannot be used"),
			"404": problemResponse("No such subscription for this tenant"),
			"409": problemResponse("The subscription is canceled"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await updateSubscription({ ctx: tenantContext(c), id: params.id, input: body }));
	}
}
