import { describe, expect, it } from "vitest";
import { buildStatement, type Movement, statementPeriodError } from "../../src/domain/statement";

const movement = (date: string, type: Movement["type"], amount: number, sourceId = `${type}_${date}`): Movement => ({
	date,
	type,
	sourceId,
	reference: sourceId,
	amount,
});

describe("buildStatement", () => {
	const movements = [
		movement("2026-02-10", "payment", -5000),
		movement("2026-01-15", "invoice", 10000),
		movement("2026-02-10", "invoice", 3000),
		movement("2026-02-20", "credit_note", -1000),
		movement("2026-03-05", "refund", 500),
		movement("2026-04-01", "invoice", 9999),
	];

	it("opens with what was owed before the period and runs the balance through it in date order", () => {
		const statement = buildStatement(movements, "2026-02-01", "2026-03-31");
		expect(statement.openingBalance).toBe(10000);
		expect(statement.lines.map((l) => [l.date, l.type, l.debit, l.credit, l.balance])).toEqual([
			["2026-02-10", "invoice", 3000, 0, 13000],
			["2026-02-10", "payment", 0, 5000, 8000],
			["2026-02-20", "credit_note", 0, 1000, 7000],
			["2026-03-05", "refund", 500, 0, 7500],
		]);
		expect(statement.closingBalance).toBe(7500);
	});

	it("closes at the opening balance when nothing moved", () => {
		const statement = buildStatement(movements, "2026-03-10", "2026-03-20");
		expect(statement).toEqual({ openingBalance: 7500, lines: [], closingBalance: 7500 });
	});
});

describe("statementPeriodError", () => {
	it("names from when it is after to, and to when the period is over five years", () => {
		expect(statementPeriodError("2026-02-01", "2026-01-31")?.field).toBe("from");
		expect(statementPeriodError("2020-01-01", "2025-01-01")?.field).toBe("to");
		expect(statementPeriodError("2020-01-01", "2024-12-31")).toBeNull();
		expect(statementPeriodError("2026-01-01", "2026-01-01")).toBeNull();
	});
});
