import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { loadJob } from "../../services/jobs/jobs";
import { tenantToday } from "../../services/settings/settings";
import { recurringCycles, startRecurringRun } from "../../services/subscriptions/recurringRun";
import { ApiRoute } from "../base";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

const runBody = z.union([z.strictObject({ date: isoDate }), z.strictObject({ from: isoDate, to: isoDate })]).meta({
	id: "RecurringRun",
	description:
		"Bill everything due by a date, or (a backfill) periods due from one day to another; neither may be after the tenant's today.",
	example: { date: "2026-02-01" },
});

export class RecurringRun extends ApiRoute {
	readonly access = "subscriptions:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Recurring billing"],
		summary: "Run recurring billing for a date or a date range",
		operationId: "runRecurringBilling",
		request: { body: { content: contentJson(runBody), required: true } },
		responses: {
			"202": { description: "The run; poll GET /v1/billing/recurring/jobs/{id}", content: contentJson(jobSchema) },
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const input = "date" in body ? { date: body.date } : { date: body.to, from: body.from };
		if (input.from && input.from > input.date)
			throw new AppError("validation_failed", "from must not be after to.", {
				errors: [{ location: "body", field: "to", message: "is before from" }],
			});
		const ctx = tenantContext(c);
		const today = await tenantToday(ctx);
		if (input.date > today) {
			throw fieldInvalid(
				"body",
				"date" in body ? "date" : "to",
				`is after today (${today} in the tenant's time zone): a run bills only what is due by today`,
			);
		}
		const job = await startRecurringRun(ctx, input);
		return c.json(presentJob(job), 202, { Location: `/v1/billing/recurring/jobs/${job.id}` });
	}
}

export class RecurringJobGet extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Recurring billing"],
		summary: "A run's status, progress (accounts processed of total) and per-subscription errors",
		operationId: "getRecurringJob",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The run", content: contentJson(jobSchema) },
			"404": problemResponse("No such run for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const job = await loadJob(tenantContext(c), params.id);
		if (job.type !== "recurring_run") throw notFound("recurring run", params.id);
		return c.json(presentJob(job));
	}
}

const cyclesSchema = z
	.object({
		object: z.literal("recurring_cycles"),
		next_run_at: z.string(),
		due_now: z.number().int(),
		due_within_7_days: z.number().int(),
		upcoming: z.array(z.object({ date: z.string(), subscriptions: z.number().int() })),
	})
	.meta({ id: "RecurringCycles" });

export class RecurringCycles extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Recurring billing"],
		summary: "Scheduled billing: the next run and what is due",
		operationId: "getRecurringCycles",
		responses: { "200": { description: "Due counts for the coming month", content: contentJson(cyclesSchema) } },
	};

	override async handle(c: AppContext) {
		const ctx = tenantContext(c);
		return c.json(await recurringCycles(ctx));
	}
}
