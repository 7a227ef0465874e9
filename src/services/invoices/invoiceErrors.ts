import type { InvoiceAction } from "../../domain/invoiceStatus";
import { transition } from "../../domain/invoiceStatus";
import { AppError } from "../../lib/errors";
import type { InvoiceRow } from "../../schemas/invoice";

/** The status `action` leads to, or a 409 that names the invoice's current status. */
export function requireTransition(invoice: InvoiceRow, action: InvoiceAction) {
	const result = transition(invoice.status, action, invoice);
	if (!result.ok) {
		throw new AppError("invalid_state", `Invoice ${invoice.id} is ${invoice.status}: ${result.reason}.`, {
			extensions: { current_status: invoice.status, action },
		});
	}
	return result.status;
}
