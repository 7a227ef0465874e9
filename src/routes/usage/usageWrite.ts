import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { contentJson } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { usageAdjustBody, usageAdjustmentSchema, usageAggregateBody } from "../../schemas/usage";
import { fieldErrorsOf } from "../../schemas/validation";
import { MAX_USAGE_IMPORT_LINES, startUsageAggregation, startUsageImport } from "../../services/usage/usageJobs";
import { adjustUsage } from "../../services/usage/usageQueries";
import { ApiRoute } from "../base";

export class UsageAdjust extends ApiRoute {
	readonly access = "usage:write";
	/** Answers the adjustment as stored, read after its commit. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Usage"],
		summary: "Adjust usage",
		description:
			"Records a correction (positive or negative) of a sum or count metric on a day, with its reason. History is never edited; a period invoiced already is corrected on the subscription's next invoice (or by a credit note).",
		operationId: "adjustUsage",
		request: { body: { content: contentJson(usageAdjustBody), required: true } },
		responses: { "201": { description: "The adjustment", content: contentJson(usageAdjustmentSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await adjustUsage({ ctx: tenantContext(c), input: body }), 201);
	}
}

export class UsageAggregate extends ApiRoute {
	readonly access = "usage:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Usage"],
		summary: "Re-aggregate usage",
		description:
			"A job that counts events whose metric was defined after they arrived and rebuilds a window's aggregates (default: the last 35 days) from the stored events. Aggregates are otherwise kept current as events arrive.",
		operationId: "aggregateUsage",
		request: { body: { content: contentJson(usageAggregateBody), required: true } },
		responses: { "202": { description: "The job", content: contentJson(jobSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const job = await startUsageAggregation({ ctx: tenantContext(c), input: body });
		return c.json(presentJob(job), 202, { Location: `/v1/billing/jobs/${job.id}` });
	}
}

const objectKeyBody = z
	.strictObject({ object_key: z.string().min(1).max(1024).meta({ description: "An NDJSON object in the R2 bucket." }) })
	.meta({ id: "UsageImportFromObject" });

export class UsageBulkIngest extends ApiRoute {
	readonly access = "usage:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Usage"],
		summary: "Ingest usage in bulk",
		description:
			`NDJSON (application/x-ndjson), one usage event per line (at most ${MAX_USAGE_IMPORT_LINES}), or JSON naming an R2 ` +
			"object under your tenant's prefix. Returns 202 with a job; each bad line is reported with its line number. A line " +
			"without event_id is identified by its job and line, so a resumed job never counts it twice.",
		operationId: "ingestUsageBulk",
		request: {
			body: {
				content: {
					"application/x-ndjson": { schema: z.string() },
					"application/json": { schema: objectKeyBody },
				},
				required: true,
			},
		},
		responses: { "202": { description: "The ingestion job", content: contentJson(jobSchema) } },
	};

	override async handle(c: AppContext) {
		const raw = c.get("rawBody") ?? "";
		let job: Awaited<ReturnType<typeof startUsageImport>>;
		if (/ndjson/i.test(c.req.header("content-type") ?? "")) {
			job = await startUsageImport({ ctx: tenantContext(c), source: { text: raw } });
		} else {
			const parsed = objectKeyBody.safeParse(raw ? JSON.parse(raw) : {}, { reportInput: true });
			if (!parsed.success)
				throw new AppError("validation_failed", "Send NDJSON, or JSON with object_key.", {
					errors: fieldErrorsOf(parsed.error.issues, "body"),
				});
			job = await startUsageImport({ ctx: tenantContext(c), source: { objectKey: parsed.data.object_key } });
		}
		return c.json(presentJob(job), 202, { Location: `/v1/billing/jobs/${job.id}` });
	}
}
