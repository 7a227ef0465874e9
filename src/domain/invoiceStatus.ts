// The invoice lifecycle as a pure state machine:
//
//   draft ──finalize──> issued ──payment──> partially_paid ──payment──> paid
//     │                  │  │                    │
//   update/delete        │  └──────void (nothing paid)──> voided
//                        └──write_off (balance > 0)──> written_off   (also from partially_paid)
//
// `overdue` is not a status: it is derived from the clock and the due date.
import { balanceOf, type Settlement } from "./invoiceTotals";

export const invoiceStatuses = ["draft", "issued", "partially_paid", "paid", "voided", "written_off"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export const invoiceActions = ["update", "delete", "finalize", "void", "write_off", "send", "remind"] as const;
export type InvoiceAction = (typeof invoiceActions)[number];

export type TransitionResult = { ok: true; status: InvoiceStatus } | { ok: false; reason: string };

const OPEN: readonly InvoiceStatus[] = ["issued", "partially_paid"];

/** The status an action leads to, or why it is refused in the current state. */
export function transition(status: InvoiceStatus, action: InvoiceAction, settlement: Settlement): TransitionResult {
	const refuse = (reason: string): TransitionResult => ({ ok: false, reason });
	switch (action) {
		case "update":
		case "delete":
			return status === "draft" ? { ok: true, status } : refuse(`only a draft invoice can be ${action}d`);
		case "finalize":
			if (status !== "draft") return refuse("only a draft invoice can be finalized");
			return { ok: true, status: settlementStatus(settlement) };
		case "void":
			if (!OPEN.includes(status)) return refuse("only an issued invoice can be voided");
			if (settlement.amountPaid > 0 || settlement.amountCredited > 0) {
				return refuse("an invoice with payments or credits applied cannot be voided; refund or credit it first");
			}
			return { ok: true, status: "voided" };
		case "write_off":
			if (!OPEN.includes(status)) return refuse("only an issued or partially paid invoice can be written off");
			if (balanceOf(settlement) <= 0) return refuse("nothing is owed on the invoice");
			return { ok: true, status: "written_off" };
		case "send":
			return status === "draft" || status === "voided"
				? refuse(`a ${status} invoice cannot be sent`)
				: { ok: true, status };
		case "remind":
			return OPEN.includes(status)
				? { ok: true, status }
				: refuse("only an invoice with an open balance can be reminded");
	}
}

/** The status an issued invoice has for what has been settled so far. */
export function settlementStatus(settlement: Settlement): InvoiceStatus {
	if (balanceOf(settlement) === 0) return "paid";
	return settlement.amountPaid > 0 || settlement.amountCredited > 0 ? "partially_paid" : "issued";
}

/** Past its due date with money still owed, as of `today` (`YYYY-MM-DD`). */
export function isOverdue(status: InvoiceStatus, dueDate: string | null, today: string): boolean {
	return OPEN.includes(status) && dueDate !== null && dueDate < today;
}
