import { describe, expect, it } from "vitest";
import { allocateOldestDueFirst } from "../../src/domain/allocation";

const invoice = (id: string, dueDate: string | null, balance: number) => ({ id, dueDate, balance });

describe("allocateOldestDueFirst", () => {
	it("pays the oldest due first, undated last, and keeps what is left as unapplied", () => {
		const plan = allocateOldestDueFirst(5000, [
			invoice("inv_c", null, 1000),
			invoice("inv_b", "2026-03-01", 3000),
			invoice("inv_a", "2026-02-01", 500),
		]);
		expect(plan).toEqual({
			allocations: [
				{ invoiceId: "inv_a", amount: 500 },
				{ invoiceId: "inv_b", amount: 3000 },
				{ invoiceId: "inv_c", amount: 1000 },
			],
			unapplied: 500,
		});
	});

	it("stops at the invoice that takes the last unit, part-paying it", () => {
		const plan = allocateOldestDueFirst(1500, [
			invoice("inv_a", "2026-01-01", 1000),
			invoice("inv_b", "2026-02-01", 1000),
		]);
		expect(plan.allocations).toEqual([
			{ invoiceId: "inv_a", amount: 1000 },
			{ invoiceId: "inv_b", amount: 500 },
		]);
		expect(plan.unapplied).toBe(0);
		expect(
			allocateOldestDueFirst(1000, [invoice("inv_a", "2026-01-01", 1000), invoice("inv_b", "2026-02-01", 1000)]),
		).toEqual({
			allocations: [{ invoiceId: "inv_a", amount: 1000 }],
			unapplied: 0,
		});
	});

	it("breaks a tie on the due date by id in code-unit order, as SQLite sorts text", () => {
		// Locale order would put "inv_a" first; SQLite's binary order puts "inv_B" (0x42) before it (0x61).
		const plan = allocateOldestDueFirst(100, [
			invoice("inv_a", "2026-01-01", 100),
			invoice("inv_B", "2026-01-01", 100),
		]);
		expect(plan.allocations).toEqual([{ invoiceId: "inv_B", amount: 100 }]);
	});

	it("applies nothing to nothing", () => {
		expect(allocateOldestDueFirst(700, [])).toEqual({ allocations: [], unapplied: 700 });
	});
});
