import type { customers } from "../../db/schema";
import { buyerProfileProblem } from "../../domain/tax/buyer";
import { fieldInvalid } from "../../lib/errors";

/** Refuses a customer whose tax profile the engine could not rely on, naming the field (422). */
export function requireBuyerProfile(customer: typeof customers.$inferSelect) {
	const problem = buyerProfileProblem({
		country: customer.billingAddress?.country ?? null,
		taxId: customer.taxId,
		taxStatus: customer.taxStatus,
		exemptionReason: customer.taxExemptionReason,
		exemptionReasonCode: customer.taxExemptionReasonCode,
	});
	if (problem) throw fieldInvalid("body", problem.field, problem.message);
}
