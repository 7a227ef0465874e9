import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { refundCreateBody, refundSchema } from "../../schemas/payment";
import { refundPayment } from "../../services/payments/refundPayment";
import { ApiRoute } from "../base";

export class RefundCreate extends ApiRoute {
	readonly access = "payments:write";
	override schema = {
		tags: ["Refunds"],
		summary: "Create a refund",
		description: "The same as POST /v1/billing/payments/{id}/refund, naming the payment in the body.",
		operationId: "createRefund",
		request: { body: { content: contentJson(refundCreateBody), required: true } },
		responses: {
			"201": { description: "The refund", content: contentJson(refundSchema) },
			"404": problemResponse("No such payment for this tenant"),
			"409": problemResponse("More than is refundable"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const { payment_id, ...input } = body;
		const refund = await refundPayment({
			ctx: tenantContext(c),
			paymentId: payment_id,
			input,
			requestKey: c.req.header("idempotency-key") ?? null,
		});
		return c.json(refund, 201, { Location: `/v1/billing/refunds/${refund.id}` });
	}
}
