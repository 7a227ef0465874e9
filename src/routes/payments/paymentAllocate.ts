import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { allocateBody, paymentSchema } from "../../schemas/payment";
import { allocatePayment } from "../../services/payments/allocatePayment";
import { ApiRoute } from "../base";

export class PaymentAllocate extends ApiRoute {
	readonly access = "payments:write";
	override schema = {
		tags: ["Payments"],
		summary: "Allocate or unallocate a payment across invoices",
		description:
			"Unallocations apply first. Never more than the payment's unapplied amount or an invoice's balance; the " +
			"invoices must be the customer's, open, and in the payment's currency.",
		operationId: "allocatePayment",
		request: { params: idParam("pay"), body: { content: contentJson(allocateBody), required: true } },
		responses: {
			"200": { description: "The payment with its allocations", content: contentJson(paymentSchema) },
			"404": problemResponse("No such payment for this tenant"),
			"409": problemResponse("More than the payment has unapplied, or an invoice that is not open"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await allocatePayment({ ctx: tenantContext(c), paymentId: params.id, input: body }));
	}
}
