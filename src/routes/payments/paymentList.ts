import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { paymentListQuery, paymentSchema } from "../../schemas/payment";
import { listPayments } from "../../services/payments/listPayments";
import { ApiRoute } from "../base";

export class PaymentList extends ApiRoute {
	readonly access = "payments:read";
	override schema = {
		tags: ["Payments"],
		summary: "List payments",
		operationId: "listPayments",
		request: { query: paymentListQuery },
		responses: {
			"200": { description: "A page of payments", content: contentJson(listEnvelope(paymentSchema, "PaymentList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listPayments({ ctx: tenantContext(c), query }));
	}
}
