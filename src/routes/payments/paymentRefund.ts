import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { refundBody, refundSchema } from "../../schemas/payment";
import { refundPayment } from "../../services/payments/refundPayment";
import { ApiRoute } from "../base";

export class PaymentRefund extends ApiRoute {
	readonly access = "payments:write";
	override schema = {
		tags: ["Payments"],
		summary: "Refund a payment",
		description:
			"Partial or full. Comes out of unapplied credit first, then off the payment's allocations, reopening those " +
			"invoices' balances. Never more than is still refundable.",
		operationId: "refundPayment",
		request: { params: idParam("pay"), body: { content: contentJson(refundBody), required: false } },
		responses: {
			"201": { description: "The refund", content: contentJson(refundSchema) },
			"404": problemResponse("No such payment for this tenant"),
			"409": problemResponse("More than is refundable"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const refund = await refundPayment({
			ctx: tenantContext(c),
			paymentId: params.id,
			input: body ?? {},
			requestKey: c.req.header("idempotency-key") ?? null,
		});
		return c.json(refund, 201, { Location: `/v1/billing/refunds/${refund.id}` });
	}
}
