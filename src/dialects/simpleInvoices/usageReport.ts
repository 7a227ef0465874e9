// Seed 001's usage report at POST /v1/usage-report: the canonical usage report (usage store, priced at
// each customer's plan) in the seed's shape. `filters` narrow by event dimensions; its `metric` and
// `customer_id`, when sent, choose one billable metric or one customer.
import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { ApiRoute } from "../../routes/base";
import { contentJson, problemResponse } from "../../schemas/common";
import { usageReport } from "../../services/usage/usageQueries";

const day = z.iso.date("must be a date as YYYY-MM-DD");

const reportBody = z
	.strictObject({
		start_date: day,
		end_date: day,
		filters: z.record(z.string().min(1).max(64), z.string().max(200)).default({}),
	})
	.refine((b) => b.start_date <= b.end_date, { message: "must not be after end_date", path: ["start_date"] })
	.meta({
		id: "SimpleUsageReportRequest",
		example: { start_date: "2022-01-01", end_date: "2022-01-31", filters: { region: "us-west-1" } },
	});

const usageEntry = z.object({
	resource_id: z.string().meta({ description: "The customer whose usage it is." }),
	service: z.string().meta({ description: "The billable metric." }),
	region: z.string().nullable(),
	start_time: z.string(),
	end_time: z.string(),
	duration: z.number().int().meta({ description: "Seconds in the window." }),
	quantity: z.string(),
	cost: z.number().nullable().meta({ description: "At the customer's plan; null when no plan prices the metric." }),
});

const reportSchema = z
	.object({
		start_date: z.string(),
		end_date: z.string(),
		filters: z.record(z.string(), z.string()),
		usage: z.array(usageEntry),
		total_cost: z.number().nullable().meta({ description: "Null when the costs are in more than one currency." }),
	})
	.meta({ id: "SimpleUsageReport" });

const DAY_SECONDS = 86_400;

export class SimpleUsageReport extends ApiRoute {
	readonly access = "usage:read";
	/** Stores nothing: the key is claimed, its answer stored after. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices (seed 001)"],
		summary: "Usage and its cost in a date range",
		operationId: "simpleUsageReport",
		request: { body: { content: contentJson(reportBody), required: true } },
		responses: {
			"200": { description: "The usage report", content: contentJson(reportSchema) },
			"400": problemResponse("The body is invalid"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const { metric, customer_id, ...dimensions } = body.filters;
		const report = await usageReport({
			ctx: tenantContext(c),
			input: { start_date: body.start_date, end_date: body.end_date, filters: dimensions, metric, customer_id },
		});
		const startTime = `${body.start_date}T00:00:00Z`;
		const endTime = new Date(Date.parse(`${body.end_date}T00:00:00Z`) + DAY_SECONDS * 1000)
			.toISOString()
			.replace(".000", "");
		const duration = (Date.parse(endTime) - Date.parse(startTime)) / 1000;
		return c.json({
			start_date: body.start_date,
			end_date: body.end_date,
			filters: body.filters,
			usage: report.usage.map((u) => ({
				resource_id: u.customer_id,
				service: u.metric,
				region: dimensions.region ?? null,
				start_time: startTime,
				end_time: endTime,
				duration,
				quantity: u.quantity,
				// JSON numbers, as the seed shows them: decimal text of exact minor units, parsed only for output.
				cost: u.cost === null ? null : Number(u.cost),
			})),
			total_cost: report.total_cost === null ? null : Number(report.total_cost),
		});
	}
}
