// A customer's tax profile as a buyer: whether it holds together before the engine relies on it.
import { isVatexCode } from "./categories";
import type { TaxStatus } from "./engine";
import { checkTaxId } from "./taxIds";

export type BuyerProfile = {
	country: string | null;
	taxId: string | null;
	taxStatus: TaxStatus;
	exemptionReason: string | null;
	exemptionReasonCode: string | null;
};

/** What is wrong with a profile, naming the customer's field; null when nothing is. */
export function buyerProfileProblem(profile: BuyerProfile): { field: string; message: string } | null {
	if (profile.taxStatus === "reverse_charge") {
		if (profile.taxId === null) return { field: "tax_id", message: "is required when tax_status is reverse_charge" };
		const check = profile.country === null ? null : checkTaxId(profile.country, profile.taxId);
		if (check && !check.valid) return { field: "tax_id", message: check.reason };
	}
	if (profile.taxStatus === "exempt" && profile.exemptionReason === null) {
		return { field: "tax_exemption_reason", message: "is required when tax_status is exempt" };
	}
	if (profile.exemptionReasonCode !== null && !isVatexCode(profile.exemptionReasonCode)) {
		return { field: "tax_exemption_reason_code", message: "must be a VATEX code, such as VATEX-EU-132-1I" };
	}
	return null;
}
