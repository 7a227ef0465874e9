import { callAccountAnswering } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { createdResponse, type RequestKey, type StoredResponse } from "../../lib/idempotency";
import type { Payment, PaymentCreateInput } from "../../schemas/payment";

/** Records money received, inside the customer's account object so it never over-applies. */
export async function recordPayment({
	ctx,
	input,
	requestKey,
	idempotencyKey,
}: {
	ctx: ServiceContext;
	input: PaymentCreateInput;
	requestKey: string | null;
	/** The request's Idempotency-Key: the commit stores the answer to it in the same batch. */
	idempotencyKey?: RequestKey;
}) {
	// The account object checks the customer in its own first read: no round trip of its own here.
	return callAccountAnswering(ctx, input.customer_id, "recordPayment", { ...input, requestKey }, idempotencyKey);
}

/** The HTTP answer to a recorded payment, as sent and as stored for its Idempotency-Key. */
export const paymentRecordedResponse = (payment: Payment): StoredResponse =>
	createdResponse(`/v1/billing/payments/${payment.id}`, payment);
