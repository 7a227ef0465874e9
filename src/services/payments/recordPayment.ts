import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { answerOf, type ChangeAnswer, type StoredResponse } from "../../lib/idempotency";
import type { Payment, PaymentCreateInput } from "../../schemas/payment";

/**
 * Records money received, inside the customer's account object so it never over-applies. The payment is
 * what the request answers with: its commit stores the answer to the request's Idempotency-Key.
 */
export async function recordPayment({
	ctx,
	input,
	requestKey,
}: {
	ctx: ServiceContext;
	input: PaymentCreateInput;
	requestKey: string | null;
}) {
	// The account object checks the customer in its own first read: no round trip of its own here.
	return callAccount(ctx, input.customer_id, "recordPayment", { ...input, requestKey });
}

/** How a recorded payment answers its request: 201 and its `Location`. */
export const paymentRecorded = (payment: Pick<Payment, "id">): ChangeAnswer => ({
	status: 201,
	location: `/v1/billing/payments/${payment.id}`,
});

/** The HTTP answer to a recorded payment, as sent and as stored for its Idempotency-Key. */
export const paymentRecordedResponse = (payment: Payment): StoredResponse =>
	answerOf(paymentRecorded(payment), payment);
