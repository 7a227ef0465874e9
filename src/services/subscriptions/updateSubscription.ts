// Changing a subscription's plan or quantity mid-period, with the proration behaviour asked for.

import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import type { SubscriptionUpdateInput } from "../../schemas/subscription";
import { loadSubscription } from "./loadSubscription";

export async function updateSubscription({
	ctx,
	id,
	input,
}: {
	ctx: ServiceContext;
	id: string;
	input: SubscriptionUpdateInput;
}) {
	const { customerId } = await loadSubscription(ctx, id);
	return callAccount(ctx, customerId, "updateSubscription", {
		...input,
		subscriptionId: id,
	});
}
