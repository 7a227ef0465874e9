import { callAccount } from "../../../durable-objects/account/client";
import type { AccountInputs } from "../../../durable-objects/account/contract";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import type { SubscriptionCreateInput } from "../../schemas/subscription";
import { loadCustomer } from "../customers/loadCustomer";
import { customerContext } from "../testClocks/testClocks";

/**
 * Subscribes a customer to a plan inside its account object. A subscription that starts active is
 * billed for its first period at once; one in trial gets a preview of the invoice its trial ends with.
 * `missingAs` lets seed 002's surface answer unknown ids with 404 where the canonical API names the field.
 */
export async function createSubscription({
	ctx,
	input,
	missingAs = "validation",
}: {
	ctx: ServiceContext;
	input: SubscriptionCreateInput;
	missingAs?: AccountInputs["createSubscription"]["missingAs"];
}) {
	const customer = await loadCustomer(ctx, input.customer_id).catch(() => null);
	if (!customer) {
		if (missingAs === "not_found") throw notFound("customer", input.customer_id);
		throw fieldInvalid("body", "customer_id", `no customer '${input.customer_id}' exists`);
	}
	const onClock = await customerContext(ctx, customer);
	return callAccount(onClock, customer.id, "createSubscription", {
		...input,
		missingAs,
	});
}
