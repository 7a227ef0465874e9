import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { invoiceSchema } from "../../schemas/invoice";
import { subscriptionInvoiceList } from "../../services/subscriptions/listSubscriptions";
import { ApiRoute } from "../base";

export class SubscriptionInvoices extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Subscriptions"],
		summary: "The invoices a subscription generated",
		operationId: "listSubscriptionInvoices",
		request: { params: idParam("sub") },
		responses: {
			"200": {
				description: "Newest period first",
				content: contentJson(listEnvelope(invoiceSchema, "SubscriptionInvoiceList")),
			},
			"404": problemResponse("No such subscription for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await subscriptionInvoiceList({ ctx: tenantContext(c), id: params.id }));
	}
}
