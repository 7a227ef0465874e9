import { describe, expect, it } from "vitest";
import {
	type DunnedInvoice,
	type DunningStep,
	defaultRule,
	dueSteps,
	escalates,
	ruleForInvoice,
	stepProblems,
} from "../../src/domain/dunning";

const step = (
	days: number,
	action: DunningStep["action"] = "email",
	template_id: string | null = null,
): DunningStep => ({
	days_after_due: days,
	action,
	template_id,
});

const rule = { steps: [step(0), step(7, "sms"), step(14, "hold_services")] };
const open: DunnedInvoice = { status: "issued", dueDate: "2026-03-01", balance: 5000, currency: "EUR" };
const days = (steps: DunningStep[]) => steps.map((s) => s.days_after_due);

describe("stepProblems", () => {
	it("accepts steps in strictly increasing order from 0 to 365 days", () => {
		expect(stepProblems([step(0), step(1, "sms"), step(365, "hold_services")])).toEqual([]);
		expect(stepProblems([step(3, "email", "tmpl_x")])).toEqual([]);
	});

	it("needs a step, and at most twenty", () => {
		expect(stepProblems([])).toEqual([{ field: "steps", message: "needs at least one step" }]);
		const many = Array.from({ length: 21 }, (_, i) => step(i));
		expect(stepProblems(many).map((p) => p.field)).toEqual(["steps"]);
	});

	it("names each day out of range or not after the step before", () => {
		expect(stepProblems([step(-1), step(366), step(1.5)]).map((p) => p.field)).toEqual([
			"steps.0.days_after_due",
			"steps.1.days_after_due",
			"steps.2.days_after_due",
		]);
		expect(stepProblems([step(7), step(7)])).toEqual([
			{
				field: "steps.1.days_after_due",
				message: "must be after the previous step's 7 days: steps run in increasing order",
			},
		]);
		expect(stepProblems([step(7), step(3)]).map((p) => p.field)).toEqual(["steps.1.days_after_due"]);
	});

	it("names an unknown action and a template on a step that sends no email", () => {
		expect(stepProblems([{ days_after_due: 1, action: "fax" as never, template_id: null }])).toEqual([
			{ field: "steps.0.action", message: "must be one of email, sms, hold_services" },
		]);
		expect(stepProblems([step(1, "sms", "tmpl_x"), step(2, "hold_services", "tmpl_y")]).map((p) => p.field)).toEqual([
			"steps.0.template_id",
			"steps.1.template_id",
		]);
	});
});

describe("dueSteps", () => {
	it("takes nothing before the first step's day", () => {
		expect(dueSteps(rule, open, new Set(), "2026-02-28")).toEqual([]);
		expect(dueSteps({ steps: [step(3)] }, open, new Set(), "2026-03-03")).toEqual([]);
	});

	it("takes a step on its day, and never again once taken", () => {
		expect(days(dueSteps(rule, open, new Set(), "2026-03-01"))).toEqual([0]);
		expect(days(dueSteps(rule, open, new Set([0]), "2026-03-01"))).toEqual([]);
		expect(days(dueSteps(rule, open, new Set([0]), "2026-03-07"))).toEqual([]);
		expect(days(dueSteps(rule, open, new Set([0]), "2026-03-08"))).toEqual([7]);
		expect(days(dueSteps(rule, open, new Set([0, 7]), "2026-03-10"))).toEqual([]);
	});

	it("takes a step whose day passed without a run at the next run, once, with the others due", () => {
		expect(days(dueSteps(rule, open, new Set(), "2026-03-20"))).toEqual([0, 7, 14]);
		expect(days(dueSteps(rule, open, new Set([0]), "2026-04-30"))).toEqual([7, 14]);
		expect(days(dueSteps(rule, open, new Set([0, 7, 14]), "2026-12-31"))).toEqual([]);
	});

	it("takes a step added to the rule later, and ignores taken days the rule no longer has", () => {
		const changed = { steps: [step(0), step(10)] };
		expect(days(dueSteps(changed, open, new Set([0, 7]), "2026-03-11"))).toEqual([10]);
	});

	it("duns a partially paid invoice", () => {
		expect(days(dueSteps(rule, { ...open, status: "partially_paid" }, new Set(), "2026-03-01"))).toEqual([0]);
	});

	it("duns nothing paid, voided, written off, draft, with nothing owed or without a due date", () => {
		for (const status of ["draft", "paid", "voided", "written_off"] as const) {
			expect(dueSteps(rule, { ...open, status }, new Set(), "2026-06-01")).toEqual([]);
		}
		expect(dueSteps(rule, { ...open, balance: 0 }, new Set(), "2026-06-01")).toEqual([]);
		expect(dueSteps(rule, { ...open, balance: -1 }, new Set(), "2026-06-01")).toEqual([]);
		expect(dueSteps(rule, { ...open, dueDate: null }, new Set(), "2026-06-01")).toEqual([]);
	});

	it("counts days across month and year ends", () => {
		const december = { ...open, dueDate: "2026-12-25" };
		expect(days(dueSteps(rule, december, new Set([0]), "2027-01-01"))).toEqual([7]);
		const leap = { ...open, dueDate: "2028-02-22" };
		expect(days(dueSteps(rule, leap, new Set([0]), "2028-02-29"))).toEqual([7]);
	});
});

describe("escalates", () => {
	it("escalates once every step of a rule that escalates was taken", () => {
		const escalating = { ...rule, escalation: "case" as const };
		expect(escalates(escalating, new Set([0, 7]))).toBe(false);
		expect(escalates(escalating, new Set([0, 7, 14]))).toBe(true);
		expect(escalates({ ...rule, escalation: null }, new Set([0, 7, 14]))).toBe(false);
	});
});

describe("choosing the rule", () => {
	const terms = (id: string, isDefault: boolean, active: boolean, currency: string | null = null) => ({
		id,
		isDefault,
		active,
		currency,
	});

	it("defaults to the active rule marked default, else the only active rule", () => {
		expect(defaultRule([terms("a", false, true), terms("b", true, true)])?.id).toBe("b");
		expect(defaultRule([terms("a", false, true), terms("b", true, false)])?.id).toBe("a");
		expect(defaultRule([terms("a", false, true), terms("b", false, true)])).toBeNull();
		expect(defaultRule([terms("a", true, false)])).toBeNull();
		expect(defaultRule([])).toBeNull();
	});

	it("follows the customer's own active rule, else the default, when it covers the currency", () => {
		const rules = [terms("a", true, true), terms("b", false, true, "USD"), terms("c", false, false)];
		expect(ruleForInvoice(rules, "b", "USD")?.id).toBe("b");
		expect(ruleForInvoice(rules, "b", "EUR")).toBeNull();
		expect(ruleForInvoice(rules, "c", "EUR")?.id).toBe("a");
		expect(ruleForInvoice(rules, "gone", "EUR")?.id).toBe("a");
		expect(ruleForInvoice(rules, null, "JPY")?.id).toBe("a");
		expect(ruleForInvoice([terms("d", true, true, "GBP")], null, "EUR")).toBeNull();
	});
});
