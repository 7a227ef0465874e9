import { describe, expect, it } from "vitest";
import { invoiceMeStatus, invoiceMeStatuses, STATUS_TABLE } from "../../src/dialects/invoiceMe/status";
import { invoiceStatuses } from "../../src/domain/invoiceStatus";

describe("InvoiceMe status table", () => {
	const today = "2026-06-15";

	it.each([
		["draft", "2026-06-01", "DRAFT"],
		["issued", "2026-06-30", "SENT"],
		["issued", null, "SENT"],
		["issued", "2026-06-15", "SENT"],
		["issued", "2026-06-14", "OVERDUE"],
		["partially_paid", "2026-07-01", "SENT"],
		["partially_paid", "2026-01-01", "OVERDUE"],
		["paid", "2026-01-01", "PAID"],
		["voided", "2026-01-01", "CANCELLED"],
		["written_off", "2026-01-01", "CANCELLED"],
	] as const)("%s due %s is %s", (status, due, expected) => {
		expect(invoiceMeStatus(status, due, today)).toBe(expected);
	});

	it("gives every status and due date exactly one InvoiceMe status", () => {
		for (const status of invoiceStatuses) {
			for (const due of [null, "2026-06-14", "2026-06-15", "2026-06-16"]) {
				const matches = invoiceMeStatuses.filter((name) => {
					const entry = STATUS_TABLE[name];
					const overdue = ["issued", "partially_paid"].includes(status) && due !== null && due < today;
					return entry.ours.includes(status) && (entry.overdue === undefined || entry.overdue === overdue);
				});
				expect(matches, `${status} ${due}`).toHaveLength(1);
			}
		}
	});
});
