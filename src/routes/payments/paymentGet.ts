import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { paymentSchema } from "../../schemas/payment";
import { presentPaymentById } from "../../services/payments/loadPayment";
import { ApiRoute, type CustomerOwnership } from "../base";

export class PaymentGet extends ApiRoute {
	readonly access = "payments:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "payment" };
	override schema = {
		tags: ["Payments"],
		summary: "Retrieve a payment and its allocations",
		operationId: "getPayment",
		request: { params: idParam("pay") },
		responses: {
			"200": { description: "The payment", content: contentJson(paymentSchema) },
			"404": problemResponse("No such payment for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await presentPaymentById(tenantContext(c), params.id));
	}
}
