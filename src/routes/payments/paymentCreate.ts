import { type AppContext, tenantContext } from "../../lib/context";
import { responseOf } from "../../lib/idempotency";
import { contentJson, problemResponse } from "../../schemas/common";
import { paymentCreateBody, paymentSchema } from "../../schemas/payment";
import { paymentRecordedResponse, recordPayment } from "../../services/payments/recordPayment";
import { ApiRoute, type CustomerOwnership } from "../base";

export class PaymentCreate extends ApiRoute {
	readonly access = "payments:write";
	protected override readonly ownership: CustomerOwnership = { in: "body", field: "customer_id", of: "customer" };
	override schema = {
		tags: ["Payments"],
		summary: "Record a payment",
		description:
			"Applies the money to the named invoice, or else to the customer's open invoices oldest-due first; any " +
			"excess is kept as customer credit. Runs in the customer's account object, so concurrent payments never " +
			"over-apply; with an Idempotency-Key, a retry records nothing new.",
		operationId: "recordPayment",
		request: { body: { content: contentJson(paymentCreateBody), required: true } },
		responses: {
			"201": { description: "The receipt, with its allocations", content: contentJson(paymentSchema) },
			"409": problemResponse("The named invoice is not open"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const requestKey = c.req.header("idempotency-key") ?? null;
		const payment = await recordPayment({ ctx: tenantContext(c), input: body, requestKey });
		return responseOf(paymentRecordedResponse(payment));
	}
}
