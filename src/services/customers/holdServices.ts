import { customers } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { isVersionConflict } from "../../lib/dbErrors";
import { presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "./loadCustomer";

/** Times a hold is tried again on a customer another writer changed meanwhile. */
const HOLD_TRIES = 3;

/**
 * Puts a customer's services on hold (`services_held_at`), recorded with a `customer.services_held`
 * event; a customer already on hold stays as it is. Released by clearing `services_held_at`.
 */
export async function holdServices(ctx: ServiceContext, customerId: string) {
	for (let attempt = 1; ; attempt++) {
		const current = await loadCustomer(ctx, customerId);
		if (current.servicesHeldAt !== null) return current;
		const now = ctx.clock.now().toISOString();
		const next = { ...current, servicesHeldAt: now, version: current.version + 1, updatedAt: now };
		try {
			// The version trigger refuses the batch if the customer moved on since it was read.
			await ctx.db.batch([
				ctx.db
					.update(customers)
					.set({ servicesHeldAt: now, version: next.version, updatedAt: now })
					.where(idInTenant(customers, ctx.tenantId, customerId)),
				...changeStatements(ctx, {
					action: "customer.services_held",
					target: { type: "customer", id: customerId },
					before: presentCustomer(current),
					after: presentCustomer(next),
				}),
			]);
			return next;
		} catch (error) {
			if (!isVersionConflict(error) || attempt >= HOLD_TRIES) throw error;
		}
	}
}
