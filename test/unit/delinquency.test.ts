import { describe, expect, it } from "vitest";
import { delinquencyOf } from "../../src/domain/delinquency";

const today = "2026-06-15";

describe("delinquencyOf", () => {
	it("is current with nothing open, or nothing past its due date", () => {
		const current = {
			delinquent: false,
			overdue_invoices: 0,
			oldest_overdue_due_date: null,
			days_past_due: 0,
			subscriptions_past_due: 0,
		};
		expect(delinquencyOf([], 0, today)).toEqual(current);
		expect(
			delinquencyOf(
				[
					{ dueDate: today, balance: 100 },
					{ dueDate: "2026-07-01", balance: 50 },
					{ dueDate: null, balance: 10 },
				],
				0,
				today,
			),
		).toEqual(current);
	});

	it("counts the invoices past due and dates the oldest", () => {
		const open = [
			{ dueDate: "2026-06-14", balance: 100 },
			{ dueDate: "2026-03-17", balance: 40 },
			{ dueDate: "2026-05-01", balance: 1 },
			{ dueDate: "2026-08-01", balance: 500 },
		];
		expect(delinquencyOf(open, 0, today)).toEqual({
			delinquent: true,
			overdue_invoices: 3,
			oldest_overdue_due_date: "2026-03-17",
			days_past_due: 90,
			subscriptions_past_due: 0,
		});
	});

	it("ignores settled invoices, and is delinquent with a past-due subscription alone", () => {
		expect(delinquencyOf([{ dueDate: "2026-01-01", balance: 0 }], 0, today).delinquent).toBe(false);
		expect(delinquencyOf([], 2, today)).toMatchObject({
			delinquent: true,
			overdue_invoices: 0,
			subscriptions_past_due: 2,
		});
	});

	it("counts a day past due from the day after the due date, across a year end", () => {
		expect(delinquencyOf([{ dueDate: "2025-12-31", balance: 1 }], 0, "2026-01-01").days_past_due).toBe(1);
		expect(delinquencyOf([{ dueDate: "2024-02-28", balance: 1 }], 0, "2024-03-01").days_past_due).toBe(2);
	});
});
