import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema } from "../../schemas/invoice";
import { previewNextInvoice } from "../../services/subscriptions/nextInvoice";
import { ApiRoute } from "../base";

export class SubscriptionUpcoming extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Subscriptions"],
		summary: "Preview the subscription's next invoice",
		description:
			"The invoice its next billing date will issue, decided as billing will decide it then: the period's price " +
			"and coupon, pending items (prorations) and the usage recorded so far. Nothing is written; `id` is null.",
		operationId: "getUpcomingSubscriptionInvoice",
		request: { params: idParam("sub") },
		responses: {
			"200": { description: "The preview", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such subscription for this tenant"),
			"409": problemResponse("The subscription renews no more (canceled, paused or ending)"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await previewNextInvoice({ ctx: tenantContext(c), id: params.id }));
	}
}
