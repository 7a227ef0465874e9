import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import type { AllocateInput } from "../../schemas/payment";
import { loadPaymentRow } from "./loadPayment";

export async function allocatePayment({
	ctx,
	paymentId,
	input,
}: {
	ctx: ServiceContext;
	paymentId: string;
	input: AllocateInput;
}) {
	const { customerId } = await loadPaymentRow(ctx, paymentId);
	return callAccount(ctx, customerId, "allocatePayment", { ...input, paymentId });
}
