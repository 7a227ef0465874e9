import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	type InvoiceAction,
	type InvoiceStatus,
	invoiceActions,
	invoiceStatuses,
	isOverdue,
	settlementStatus,
	transition,
} from "../../src/domain/invoiceStatus";
import type { Settlement } from "../../src/domain/invoiceTotals";

const settlement = (total: number, paid = 0, credited = 0, writtenOff = 0): Settlement => ({
	total,
	amountPaid: paid,
	amountCredited: credited,
	amountWrittenOff: writtenOff,
});

const UNPAID = settlement(10000);
const ZERO_TOTAL = settlement(0);
const PART_PAID = settlement(10000, 4000);
const PART_CREDITED = settlement(10000, 0, 4000);
const FULLY_PAID = settlement(10000, 10000);
const WRITTEN_OFF = settlement(10000, 4000, 0, 6000);

/** The settlement each status naturally has. */
const NATURAL: Record<InvoiceStatus, Settlement> = {
	draft: UNPAID,
	issued: UNPAID,
	partially_paid: PART_PAID,
	paid: FULLY_PAID,
	voided: UNPAID,
	written_off: WRITTEN_OFF,
};

// Written by hand from the rules: the status an action leads to, or null when it is refused.
//   draft: update/delete/finalize only; finalize → issued (paid when the total is 0)
//   void: only issued/partially_paid, and only with nothing paid or credited
//   write_off: issued/partially_paid
//   send: anything but draft/voided
//   remind: issued/partially_paid only
const X = null;
const EXPECTED: Record<InvoiceStatus, Record<InvoiceAction, InvoiceStatus | null>> = {
	draft: { update: "draft", delete: "draft", finalize: "issued", void: X, write_off: X, send: X, remind: X },
	issued: {
		update: X,
		delete: X,
		finalize: X,
		void: "voided",
		write_off: "written_off",
		send: "issued",
		remind: "issued",
	},
	partially_paid: {
		update: X,
		delete: X,
		finalize: X,
		void: X, // payments applied
		write_off: "written_off",
		send: "partially_paid",
		remind: "partially_paid",
	},
	paid: { update: X, delete: X, finalize: X, void: X, write_off: X, send: "paid", remind: X },
	voided: { update: X, delete: X, finalize: X, void: X, write_off: X, send: X, remind: X },
	written_off: { update: X, delete: X, finalize: X, void: X, write_off: X, send: "written_off", remind: X },
};

const outcome = (status: InvoiceStatus, action: InvoiceAction, s: Settlement) => {
	const result = transition(status, action, s);
	return result.ok ? result.status : null;
};

describe("transition", () => {
	it("knows exactly the statuses and actions of the table", () => {
		expect([...invoiceStatuses]).toEqual(["draft", "issued", "partially_paid", "paid", "voided", "written_off"]);
		expect([...invoiceActions]).toEqual(["update", "delete", "finalize", "void", "write_off", "send", "remind"]);
		expect(Object.keys(EXPECTED).sort()).toEqual([...invoiceStatuses].sort());
	});

	describe.each(invoiceStatuses.map((s) => [s]))("from %s", (status) => {
		it.each(invoiceActions.map((a) => [a]))("%s", (action) => {
			const expected = EXPECTED[status][action];
			const result = transition(status, action, NATURAL[status]);
			if (expected === null) {
				expect(result.ok).toBe(false);
				if (!result.ok) expect(result.reason).toMatch(/\S/);
			} else {
				expect(result).toEqual({ ok: true, status: expected });
			}
		});
	});

	describe("settlement-dependent actions", () => {
		it("finalize issues a draft with an amount due, and pays a zero-total draft at once", () => {
			expect(transition("draft", "finalize", UNPAID)).toEqual({ ok: true, status: "issued" });
			expect(transition("draft", "finalize", ZERO_TOTAL)).toEqual({ ok: true, status: "paid" });
		});

		it.each<[string, Settlement, InvoiceStatus | null]>([
			["unpaid", UNPAID, "voided"],
			["zero total", ZERO_TOTAL, "voided"],
			["partly paid", PART_PAID, null],
			["partly credited", PART_CREDITED, null],
			["one minor unit paid", settlement(10000, 1), null],
			["one minor unit credited", settlement(10000, 0, 1), null],
			["fully paid", FULLY_PAID, null],
		])("void with %s", (_, s, expected) => {
			for (const status of ["issued", "partially_paid"] as const) {
				expect(outcome(status, "void", s)).toBe(expected);
			}
		});

		it("void refused for payments says to refund or credit first", () => {
			const result = transition("issued", "void", PART_PAID);
			expect(result).toEqual({
				ok: false,
				reason: "an invoice with payments or credits applied cannot be voided; refund or credit it first",
			});
		});

		it("void is never allowed outside issued/partially_paid, whatever the settlement", () => {
			for (const status of ["draft", "paid", "voided", "written_off"] as const) {
				expect(transition(status, "void", UNPAID)).toEqual({
					ok: false,
					reason: "only an issued invoice can be voided",
				});
			}
		});
	});

	it("gives specific reasons", () => {
		expect(transition("issued", "update", UNPAID)).toEqual({
			ok: false,
			reason: "only a draft invoice can be updated",
		});
		expect(transition("paid", "delete", FULLY_PAID)).toEqual({
			ok: false,
			reason: "only a draft invoice can be deleted",
		});
		expect(transition("issued", "finalize", UNPAID)).toEqual({
			ok: false,
			reason: "only a draft invoice can be finalized",
		});
		expect(transition("draft", "send", UNPAID)).toEqual({ ok: false, reason: "a draft invoice cannot be sent" });
		expect(transition("voided", "send", UNPAID)).toEqual({ ok: false, reason: "a voided invoice cannot be sent" });
		expect(transition("paid", "remind", FULLY_PAID)).toEqual({
			ok: false,
			reason: "only an invoice with an open balance can be reminded",
		});
		expect(transition("draft", "write_off", UNPAID)).toEqual({
			ok: false,
			reason: "only an issued or partially paid invoice can be written off",
		});
	});

	it("only finalize, void and write_off depend on the settlement, and nothing is mutated", () => {
		const amount = fc.integer({ min: 0, max: 1_000_000 });
		const settlementArb = fc
			.tuple(amount, amount, amount, amount)
			.map(([total, paid, credited, writtenOff]) => settlement(total, paid, credited, writtenOff));
		fc.assert(
			fc.property(
				fc.constantFrom(...invoiceStatuses),
				fc.constantFrom(...invoiceActions),
				settlementArb,
				(status, action, s) => {
					const frozen = Object.freeze({ ...s });
					const got = outcome(status, action, frozen);
					expect(frozen).toEqual(s);
					if (action === "finalize") {
						expect(got).toBe(status === "draft" ? settlementStatus(s) : null);
					} else if (action === "void") {
						const open = status === "issued" || status === "partially_paid";
						expect(got).toBe(open && s.amountPaid === 0 && s.amountCredited === 0 ? "voided" : null);
					} else if (action === "write_off") {
						const owed = s.total - s.amountPaid - s.amountCredited - s.amountWrittenOff > 0;
						expect(got).toBe(EXPECTED[status][action] && owed ? "written_off" : null);
					} else {
						expect(got).toBe(EXPECTED[status][action]);
					}
				},
			),
			{ numRuns: 500 },
		);
	});

	it("an allowed action either keeps the status or moves it along the lifecycle", () => {
		for (const status of invoiceStatuses) {
			for (const action of invoiceActions) {
				const next = EXPECTED[status][action];
				if (next === null || next === status) continue;
				expect([
					["draft", "issued"],
					["issued", "voided"],
					["issued", "written_off"],
					["partially_paid", "written_off"],
				]).toContainEqual([status, next]);
			}
		}
	});
});

describe("settlementStatus", () => {
	it.each<[string, Settlement, InvoiceStatus]>([
		["nothing settled", UNPAID, "issued"],
		["zero total", ZERO_TOTAL, "paid"],
		["partly paid", PART_PAID, "partially_paid"],
		["partly credited", PART_CREDITED, "partially_paid"],
		["paid and credited in part", settlement(10000, 3000, 2000), "partially_paid"],
		["fully paid", FULLY_PAID, "paid"],
		["fully credited", settlement(10000, 0, 10000), "paid"],
		["paid and credited in full", settlement(10000, 6000, 4000), "paid"],
		["one minor unit short", settlement(10000, 9999), "partially_paid"],
		["one minor unit paid", settlement(10000, 1), "partially_paid"],
	])("%s → %s", (_, s, expected) => {
		expect(settlementStatus(s)).toBe(expected);
	});

	it("is paid exactly when nothing is owed, otherwise partly paid once anything is paid or credited", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 1_000_000 }),
				fc.integer({ min: 0, max: 1_000_000 }),
				fc.integer({ min: 0, max: 1_000_000 }),
				(total, a, b) => {
					// paid + credited ≤ total, as the database enforces
					const paid = a % (total + 1);
					const credited = b % (total - paid + 1);
					const s = settlement(total, paid, credited);
					const expected = paid + credited === total ? "paid" : paid + credited > 0 ? "partially_paid" : "issued";
					expect(settlementStatus(s)).toBe(expected);
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe("isOverdue", () => {
	const TODAY = "2026-03-15";
	const OPEN = ["issued", "partially_paid"] as const;

	it.each(OPEN.map((s) => [s]))("%s: overdue only once the due date has passed", (status) => {
		expect(isOverdue(status, "2026-03-14", TODAY)).toBe(true); // yesterday
		expect(isOverdue(status, "2026-03-15", TODAY)).toBe(false); // today
		expect(isOverdue(status, "2026-03-16", TODAY)).toBe(false); // tomorrow
		expect(isOverdue(status, "2025-12-31", "2026-01-01")).toBe(true); // across a year
		expect(isOverdue(status, "2026-02-28", "2026-03-01")).toBe(true); // across a month
		expect(isOverdue(status, "2026-01-01", "2025-12-31")).toBe(false);
		expect(isOverdue(status, null, TODAY)).toBe(false);
	});

	it.each(["draft", "paid", "voided", "written_off"].map((s) => [s as InvoiceStatus]))(
		"%s is never overdue",
		(status) => {
			expect(isOverdue(status, "2026-03-14", TODAY)).toBe(false);
			expect(isOverdue(status, "2000-01-01", TODAY)).toBe(false);
			expect(isOverdue(status, null, TODAY)).toBe(false);
		},
	);

	it("agrees with calendar order for any pair of dates", () => {
		const day = fc.integer({ min: 0, max: 365 * 200 }).map((n) => {
			const date = new Date(Date.UTC(1950, 0, 1) + n * 86_400_000);
			return date.toISOString().slice(0, 10);
		});
		fc.assert(
			fc.property(fc.constantFrom(...invoiceStatuses), day, day, (status, due, today) => {
				const open = status === "issued" || status === "partially_paid";
				expect(isOverdue(status, due, today)).toBe(open && Date.parse(due) < Date.parse(today));
			}),
			{ numRuns: 500 },
		);
	});
});
