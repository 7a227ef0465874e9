import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueDateFor, MAX_NET_DAYS, parsePaymentTerms } from "../../src/domain/paymentTerms";

describe("parsePaymentTerms", () => {
	it.each([
		["due_on_receipt", { kind: "due_on_receipt", days: 0 }],
		["prepaid", { kind: "prepaid", days: 0 }],
		["net30", { kind: "net", days: 30 }],
		["net_30", { kind: "net", days: 30 }],
		["net_45", { kind: "net", days: 45 }],
		["net0", { kind: "net", days: 0 }],
		["net_007", { kind: "net", days: 7 }],
		["net_365", { kind: "net", days: 365 }],
	])("parses %s", (value, expected) => {
		expect(parsePaymentTerms(value)).toEqual(expected);
	});

	it.each([
		"net_366",
		"net_400",
		"net_1000",
		"net",
		"net_",
		"net-30",
		"net 30",
		"NET30",
		"net_-1",
		"net_3.5",
		"bogus",
		"",
		" net30",
		"net30 ",
		"Prepaid",
		"due-on-receipt",
	])("refuses %j", (value) => {
		expect(parsePaymentTerms(value)).toBe(null);
	});

	it("accepts net_N exactly for N from 0 to MAX_NET_DAYS", () => {
		expect(MAX_NET_DAYS).toBe(365);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 999 }), fc.boolean(), (days, underscore) => {
				const parsed = parsePaymentTerms(`net${underscore ? "_" : ""}${days}`);
				expect(parsed).toEqual(days <= MAX_NET_DAYS ? { kind: "net", days } : null);
			}),
		);
	});
});

describe("dueDateFor", () => {
	const net = (days: number) => ({ kind: "net" as const, days });

	it.each([
		["2026-01-15", net(30), "2026-02-14"],
		["2026-01-31", net(30), "2026-03-02"],
		["2026-12-15", net(30), "2027-01-14"],
		["2028-02-28", net(1), "2028-02-29"],
		["2027-02-28", net(1), "2027-03-01"],
		["2026-03-28", net(3), "2026-03-31"],
		["2026-01-01", net(365), "2027-01-01"],
		["2028-01-01", net(365), "2028-12-31"],
		["2026-05-05", net(0), "2026-05-05"],
		["2026-05-05", { kind: "due_on_receipt" as const, days: 0 as const }, "2026-05-05"],
		["2026-05-05", { kind: "prepaid" as const, days: 0 as const }, "2026-05-05"],
	])("an invoice issued %s under %j is due %s", (issued, terms, due) => {
		expect(dueDateFor(issued, terms)).toBe(due);
	});

	it("is the issue date plus the days, in whole UTC days, for any date and term", () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true }),
				fc.integer({ min: 0, max: MAX_NET_DAYS }),
				(date, days) => {
					const issued = date.toISOString().slice(0, 10);
					const due = dueDateFor(issued, net(days));
					expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
					expect((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${issued}T00:00:00Z`)) / 86_400_000).toBe(days);
				},
			),
		);
	});
});
