import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateOldestDueFirst, applyAllocations, dueOrder, reachedCount } from "../../src/domain/allocation";

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

describe("applyAllocations", () => {
	it("takes allocations off the balances, drops the settled invoices and keeps the rest as they were", () => {
		const open = [
			{ ...invoice("inv_a", "2026-02-01", 500), fxRate: "1.1" },
			{ ...invoice("inv_b", "2026-03-01", 3000), fxRate: null },
			{ ...invoice("inv_c", null, 1000), fxRate: null },
		];
		expect(
			applyAllocations(open, [
				{ invoiceId: "inv_a", amount: 500 },
				{ invoiceId: "inv_b", amount: 1000 },
				{ invoiceId: "inv_b", amount: 200 },
			]),
		).toEqual([
			{ ...invoice("inv_b", "2026-03-01", 1800), fxRate: null },
			{ ...invoice("inv_c", null, 1000), fxRate: null },
		]);
		expect(open[1]?.balance).toBe(3000);
	});

	it("leaves the invoices so that two payments in turn allocate as one payment of both", () => {
		const owed = fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 8 });
		const amount = fc.integer({ min: 1, max: 40_000 });
		fc.assert(
			fc.property(owed, amount, amount, (balances, first, second) => {
				const open = balances.map((balance, i) => invoice(`inv_${i}`, `2026-0${(i % 9) + 1}-01`, balance));
				const firstPlan = allocateOldestDueFirst(first, open);
				const after = applyAllocations(open, firstPlan.allocations);
				expect(after.every((i) => i.balance > 0)).toBe(true);
				const inTurn = new Map<string, number>();
				for (const a of [...firstPlan.allocations, ...allocateOldestDueFirst(second, after).allocations]) {
					inTurn.set(a.invoiceId, (inTurn.get(a.invoiceId) ?? 0) + a.amount);
				}
				const atOnce = allocateOldestDueFirst(first + second, open).allocations;
				expect(Object.fromEntries(inTurn)).toEqual(Object.fromEntries(atOnce.map((a) => [a.invoiceId, a.amount])));
			}),
		);
	});
});

describe("reachedCount", () => {
	it("counts the invoices in due order that owe less than the amount before them", () => {
		const ordered = [
			invoice("inv_a", "2026-02-01", 500),
			invoice("inv_b", "2026-03-01", 3000),
			invoice("inv_c", null, 1000),
		];
		expect(reachedCount(1, ordered)).toBe(1);
		expect(reachedCount(500, ordered)).toBe(1);
		expect(reachedCount(501, ordered)).toBe(2);
		expect(reachedCount(3500, ordered)).toBe(2);
		expect(reachedCount(3501, ordered)).toBe(3);
		expect(reachedCount(99_999, ordered)).toBe(3);
		expect(reachedCount(100, [])).toBe(0);
	});

	it("reaches every invoice a payment allocates to, and no more than it needs", () => {
		const owed = fc.array(
			fc.record({
				due: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
				balance: fc.integer({ min: 1, max: 5_000 }),
			}),
			{ maxLength: 10 },
		);
		fc.assert(
			fc.property(owed, fc.integer({ min: 1, max: 30_000 }), (rows, amount) => {
				const ordered = rows
					.map((r, i) => invoice(`inv_${i}`, r.due === null ? null : `2026-0${r.due}-01`, r.balance))
					.sort(dueOrder);
				const reach = reachedCount(amount, ordered);
				const plan = allocateOldestDueFirst(amount, ordered);
				expect(plan.allocations.map((a) => a.invoiceId)).toEqual(ordered.slice(0, reach).map((i) => i.id));
				expect(allocateOldestDueFirst(amount, ordered.slice(0, reach))).toEqual(plan);
			}),
		);
	});
});
