import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { invoiceSchema } from "../../schemas/invoice";
import { subscriptionInvoiceList } from "../../services/subscriptions/listSubscriptions";
import { ApiRoute } from "../base";

const subscriptionInvoiceSchema = invoiceSchema.extend({
	period: z
		.object({ start: z.string(), end: z.string() })
		.nullable()
		.meta({ description: "The billing period it bills; null for a proration, final usage or invoice-now." }),
});

export class SubscriptionInvoices extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Subscriptions"],
		summary: "The invoices a subscription generated: its periods, prorations and invoice-now",
		operationId: "listSubscriptionInvoices",
		request: { params: idParam("sub") },
		responses: {
			"200": {
				description: "Newest period first",
				content: contentJson(listEnvelope(subscriptionInvoiceSchema, "SubscriptionInvoiceList")),
			},
			"404": problemResponse("No such subscription for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await subscriptionInvoiceList({ ctx: tenantContext(c), id: params.id }));
	}
}
