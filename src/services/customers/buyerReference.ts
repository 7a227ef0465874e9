import type { customers } from "../../db/schema";
import { isLeitwegId } from "../../domain/leitwegId";
import { fieldInvalid } from "../../lib/errors";

/** XRechnung routes by the Leitweg-ID: a customer who prefers it and gives a buyer reference must give a
 * well-formed one, whichever of the two fields the request changed. */
export function requireLeitwegId(
	row: Pick<typeof customers.$inferSelect, "buyerReference" | "preferredEinvoiceFormat">,
) {
	if (row.preferredEinvoiceFormat === "xrechnung" && row.buyerReference && !isLeitwegId(row.buyerReference)) {
		throw fieldInvalid(
			"body",
			"buyer_reference",
			"is not a Leitweg-ID (e.g. 04011000-1234512345-06, with its check digits), which xrechnung requires",
		);
	}
}
