import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { loadCustomer } from "./loadCustomer";

export async function deleteCustomer({ ctx, id, hard }: { ctx: ServiceContext; id: string; hard: boolean }) {
	await loadCustomer(ctx, id);
	return callAccount(ctx, id, "deleteCustomer", { customerId: id, hard });
}
