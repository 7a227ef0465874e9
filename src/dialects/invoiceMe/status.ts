// Seed 004's invoice statuses onto ours, in one table. SENT and OVERDUE are the same open statuses,
// told apart by the due date (overdue is derived from the clock here too, never stored).
import { type InvoiceStatus, isOverdue } from "../../domain/invoiceStatus";

export const invoiceMeStatuses = ["DRAFT", "SENT", "PAID", "OVERDUE", "CANCELLED"] as const;
export type InvoiceMeStatus = (typeof invoiceMeStatuses)[number];

export const STATUS_TABLE: Record<InvoiceMeStatus, { ours: readonly InvoiceStatus[]; overdue?: boolean }> = {
	DRAFT: { ours: ["draft"] },
	SENT: { ours: ["issued", "partially_paid"], overdue: false },
	OVERDUE: { ours: ["issued", "partially_paid"], overdue: true },
	PAID: { ours: ["paid"] },
	CANCELLED: { ours: ["voided", "written_off"] },
};

export function invoiceMeStatus(status: InvoiceStatus, dueDate: string | null, today: string): InvoiceMeStatus {
	const overdue = isOverdue(status, dueDate, today);
	const found = invoiceMeStatuses.find((name) => {
		const entry = STATUS_TABLE[name];
		return entry.ours.includes(status) && (entry.overdue === undefined || entry.overdue === overdue);
	});
	if (!found) throw new Error(`invoice status ${status} has no InvoiceMe status`);
	return found;
}
