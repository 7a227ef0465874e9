import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import type { RefundInput } from "../../schemas/payment";
import { loadPaymentRow } from "./loadPayment";

export async function refundPayment({
	ctx,
	paymentId,
	input,
	requestKey,
}: {
	ctx: ServiceContext;
	paymentId: string;
	input: RefundInput;
	requestKey: string | null;
}) {
	const { customerId } = await loadPaymentRow(ctx, paymentId);
	return callAccount(ctx, customerId, "refundPayment", {
		...input,
		paymentId,
		requestKey,
	});
}
