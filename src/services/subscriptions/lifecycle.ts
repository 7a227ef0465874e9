// Cancel, pause, resume and invoice-now: each runs inside the customer's account object.

import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import type { LifecycleAction } from "../../schemas/subscription";
import { loadSubscription } from "./loadSubscription";

export async function changeSubscription({
	ctx,
	id,
	action,
}: {
	ctx: ServiceContext;
	id: string;
	action: LifecycleAction;
}) {
	const { customerId } = await loadSubscription(ctx, id);
	return callAccount(ctx, customerId, "changeSubscription", {
		subscriptionId: id,
		action,
	});
}
