import type { InvoiceAction } from "../../domain/invoiceStatus";
import { transition } from "../../domain/invoiceStatus";
import { isVersionConflict } from "../../lib/dbErrors";
import { AppError } from "../../lib/errors";
import type { InvoiceRow } from "./loadInvoice";

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

/** Runs a batch that names the invoice version it read, turning a lost race into a 409. */
export async function commitVersioned<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		if (isVersionConflict(error)) {
			throw new AppError("version_conflict", "The invoice was changed concurrently; fetch it again and retry.");
		}
		throw error;
	}
}
