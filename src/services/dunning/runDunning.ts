import { and, asc, eq, gt, inArray, lte } from "drizzle-orm";
import { customers, dunningAttempts, invoices } from "../../db/schema";
import { dueSteps, escalates, ruleForInvoice } from "../../domain/dunning";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import type { DunningAttemptRow } from "../../schemas/dunning";
import { type JobRow, saveJobProgress, startJob } from "../jobs/jobs";
import { tenantToday } from "../settings/settings";
import { tenantDunningRules } from "./loadRule";
import { escalateToCase } from "./openCase";
import { takeDunningStep } from "./takeStep";

/** Invoices a run reads and works through at a time, with a checkpoint after each chunk. */
const CHUNK = 100;

export type DunningRunInput = { date: string };

/** Starts a dunning run as of `date` (default the tenant's today; never later). */
export async function startDunningRun(ctx: ServiceContext, { date }: { date?: string }) {
	const today = await tenantToday(ctx);
	if (date && date > today) {
		throw fieldInvalid("body", "date", `is after today (${today} in the tenant's time zone): steps are taken when due`);
	}
	return startJob(ctx, "dunning_run", { date: date ?? today } satisfies DunningRunInput);
}

/** Open invoices due by `date` after the id `after`, with what their customer's dunning needs. */
const overdueInvoices = (ctx: ServiceContext, date: string, after: string) =>
	ctx.db
		.select({
			id: invoices.id,
			customerId: invoices.customerId,
			status: invoices.status,
			dueDate: invoices.dueDate,
			balance: invoices.balance,
			currency: invoices.currency,
			customerRuleId: customers.dunningRuleId,
		})
		.from(invoices)
		.innerJoin(customers, and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId)))
		.where(
			and(
				eq(invoices.tenantId, ctx.tenantId),
				inArray(invoices.status, ["issued", "partially_paid"]),
				gt(invoices.balance, 0),
				lte(invoices.dueDate, date),
				gt(invoices.id, after),
			),
		)
		.orderBy(asc(invoices.id))
		.limit(CHUNK);

/**
 * A dunning run (the `dunning_run` job): every open invoice past its due date takes the steps of its rule
 * that are due and not yet taken, each once; an invoice through every step of a rule that escalates
 * joins its customer's collection case. Counts are of steps taken (succeeded or failed); each step's
 * outcome is a `dunning_attempts` row naming the job.
 */
export async function runDunningJob(ctx: ServiceContext, job: JobRow): Promise<void> {
	const { date } = job.input as DunningRunInput;
	const rules = (await tenantDunningRules(ctx)).filter((rule) => rule.active);
	let row: JobRow = { ...job, status: "running", updatedAt: ctx.clock.now().toISOString() };
	let after = "";
	while (rules.length > 0) {
		const chunk = await overdueInvoices(ctx, date, after);
		if (chunk.length === 0) break;
		const attempts = await ctx.db
			.select()
			.from(dunningAttempts)
			.where(
				and(
					eq(dunningAttempts.tenantId, ctx.tenantId),
					inArray(
						dunningAttempts.invoiceId,
						chunk.map((invoice) => invoice.id),
					),
				),
			);
		for (const invoice of chunk) {
			const rule = ruleForInvoice(rules, invoice.customerRuleId, invoice.currency);
			if (!rule) continue;
			const ofRule = attempts.filter((a) => a.invoiceId === invoice.id && a.ruleId === rule.id);
			// This job's own claims left unfinished (its message delivered again) are taken up again.
			const resumable = new Map<number, DunningAttemptRow>(
				ofRule.filter((a) => a.status === "pending" && a.jobId === job.id).map((a) => [a.daysAfterDue, a]),
			);
			const taken = new Set(ofRule.filter((a) => !resumable.has(a.daysAfterDue)).map((a) => a.daysAfterDue));
			const lastDays = rule.steps.at(-1)?.days_after_due;
			// The job that took the last step escalates (again, if its message is delivered again).
			let lastStepBy = ofRule.find((a) => a.daysAfterDue === lastDays)?.jobId ?? null;
			for (const step of dueSteps(rule, invoice, taken, date)) {
				const outcome = await takeDunningStep(ctx, {
					jobId: job.id,
					invoice,
					ruleId: rule.id,
					step,
					date,
					resumed: resumable.get(step.days_after_due),
				});
				taken.add(step.days_after_due);
				if (!outcome) continue;
				if (step.days_after_due === lastDays) lastStepBy = job.id;
				row = {
					...row,
					processed: row.processed + 1,
					succeeded: row.succeeded + (outcome.status === "succeeded" ? 1 : 0),
					failed: row.failed + (outcome.status === "failed" ? 1 : 0),
					errors:
						outcome.status === "failed"
							? [
									...row.errors,
									{
										invoice_id: invoice.id,
										days_after_due: step.days_after_due,
										action: step.action,
										error: outcome.error,
									},
								]
							: row.errors,
				};
			}
			if (lastStepBy === job.id && escalates(rule, taken)) {
				await escalateToCase(ctx, { customerId: invoice.customerId, invoiceId: invoice.id, ruleId: rule.id });
			}
		}
		after = chunk.at(-1)?.id ?? after;
		row = { ...row, updatedAt: ctx.clock.now().toISOString() };
		await saveJobProgress(ctx.db, row);
	}
	const at = ctx.clock.now().toISOString();
	await saveJobProgress(ctx.db, {
		...row,
		status: "succeeded",
		total: row.processed,
		result: { date, steps_taken: row.processed, steps_succeeded: row.succeeded, steps_failed: row.failed },
		updatedAt: at,
		finishedAt: at,
	});
}
