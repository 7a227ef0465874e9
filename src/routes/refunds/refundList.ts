import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { refundListQuery, refundSchema } from "../../schemas/payment";
import { listRefunds } from "../../services/payments/listPayments";
import { ApiRoute } from "../base";

export class RefundList extends ApiRoute {
	readonly access = "payments:read";
	override schema = {
		tags: ["Refunds"],
		summary: "List refunds",
		operationId: "listRefunds",
		request: { query: refundListQuery },
		responses: {
			"200": { description: "A page of refunds", content: contentJson(listEnvelope(refundSchema, "RefundList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listRefunds({ ctx: tenantContext(c), query }));
	}
}
