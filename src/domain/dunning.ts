// Dunning: a rule's steps fire a number of days after an invoice's due date while money is still owed.
// Each (invoice, step) is taken once; a step whose day passed without a run is taken at the next run.
import { daysBetween } from "./billingPeriods";
import type { InvoiceStatus } from "./invoiceStatus";

export const DUNNING_ACTIONS = ["email", "sms", "hold_services"] as const;
export type DunningAction = (typeof DUNNING_ACTIONS)[number];

export const MAX_DAYS_AFTER_DUE = 365;
export const MAX_DUNNING_STEPS = 20;

export type DunningStep = { days_after_due: number; action: DunningAction; template_id: string | null };

export type DunningRuleTerms = {
	id: string;
	steps: readonly DunningStep[];
	escalation: "case" | null;
	currency: string | null;
	isDefault: boolean;
	active: boolean;
};

export type StepProblem = { field: string; message: string };

/** What is wrong with a rule's steps, each naming its field (`steps`, `steps.1.days_after_due` …). */
export function stepProblems(steps: readonly DunningStep[]): StepProblem[] {
	if (steps.length === 0) return [{ field: "steps", message: "needs at least one step" }];
	if (steps.length > MAX_DUNNING_STEPS) {
		return [{ field: "steps", message: `may hold at most ${MAX_DUNNING_STEPS} steps` }];
	}
	const problems: StepProblem[] = [];
	steps.forEach((step, index) => {
		const days = step.days_after_due;
		if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS_AFTER_DUE) {
			problems.push({
				field: `steps.${index}.days_after_due`,
				message: `must be a whole number of days from 0 to ${MAX_DAYS_AFTER_DUE}`,
			});
		} else {
			const previous = steps[index - 1]?.days_after_due;
			if (previous !== undefined && days <= previous) {
				problems.push({
					field: `steps.${index}.days_after_due`,
					message: `must be after the previous step's ${previous} days: steps run in increasing order`,
				});
			}
		}
		if (!DUNNING_ACTIONS.includes(step.action)) {
			problems.push({ field: `steps.${index}.action`, message: `must be one of ${DUNNING_ACTIONS.join(", ")}` });
		}
		if (step.template_id !== null && step.action !== "email") {
			problems.push({ field: `steps.${index}.template_id`, message: "only an email step takes a template" });
		}
	});
	return problems;
}

/** Statuses that still owe money: nothing else is dunned. */
const DUNNABLE: readonly InvoiceStatus[] = ["issued", "partially_paid"];

export type DunnedInvoice = { status: InvoiceStatus; dueDate: string | null; balance: number; currency: string };

/**
 * The steps of `rule` an invoice is due on `date`, oldest first: those whose day has come and that were
 * not taken yet (`takenDays` holds the `days_after_due` of the steps already taken). None for an invoice
 * paid, voided, written off, without a due date or with nothing owed.
 */
export function dueSteps(
	rule: Pick<DunningRuleTerms, "steps">,
	invoice: DunnedInvoice,
	takenDays: ReadonlySet<number>,
	date: string,
): DunningStep[] {
	if (!DUNNABLE.includes(invoice.status) || invoice.balance <= 0 || invoice.dueDate === null) return [];
	const overdueDays = daysBetween(invoice.dueDate, date);
	return rule.steps.filter((step) => step.days_after_due <= overdueDays && !takenDays.has(step.days_after_due));
}

/** Whether an invoice has been through every step of a rule that escalates to a collection case. */
export const escalates = (rule: Pick<DunningRuleTerms, "steps" | "escalation">, takenDays: ReadonlySet<number>) =>
	rule.escalation === "case" && rule.steps.every((step) => takenDays.has(step.days_after_due));

/** The tenant's default rule: the active one marked default, else its only active rule, else none. */
export function defaultRule<R extends Pick<DunningRuleTerms, "isDefault" | "active">>(rules: readonly R[]): R | null {
	const active = rules.filter((rule) => rule.active);
	return active.find((rule) => rule.isDefault) ?? (active.length === 1 ? (active[0] ?? null) : null);
}

/**
 * The rule an invoice follows: its customer's own rule when active, else the tenant's default; either
 * only when it covers the invoice's currency.
 */
export function ruleForInvoice<R extends Pick<DunningRuleTerms, "id" | "isDefault" | "active" | "currency">>(
	rules: readonly R[],
	customerRuleId: string | null,
	currency: string,
): R | null {
	const own = customerRuleId ? rules.find((rule) => rule.id === customerRuleId && rule.active) : undefined;
	const rule = own ?? defaultRule(rules);
	return rule && (rule.currency === null || rule.currency === currency) ? rule : null;
}
