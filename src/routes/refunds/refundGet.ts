import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { refundSchema } from "../../schemas/payment";
import { getRefund } from "../../services/payments/listPayments";
import { ApiRoute } from "../base";

export class RefundGet extends ApiRoute {
	readonly access = "payments:read";
	override schema = {
		tags: ["Refunds"],
		summary: "Retrieve a refund",
		operationId: "getRefund",
		request: { params: idParam("re") },
		responses: {
			"200": { description: "The refund", content: contentJson(refundSchema) },
			"404": problemResponse("No such refund for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getRefund({ ctx: tenantContext(c), id: params.id }));
	}
}
