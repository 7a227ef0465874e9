import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope, problemResponse } from "../../schemas/common";
import { invoiceSchema } from "../../schemas/invoice";
import {
	usagePreviewQuery,
	usageQuery,
	usageRejectionListQuery,
	usageRejectionSchema,
	usageReportBody,
	usageRowSchema,
} from "../../schemas/usage";
import { listUsage, listUsageRejections, previewUsageInvoice, usageReport } from "../../services/usage/usageQueries";
import { ApiRoute } from "../base";

export class UsageList extends ApiRoute {
	readonly access = "usage:read";
	override schema = {
		tags: ["Usage"],
		summary: "Query usage",
		description:
			"Each metric's usage per customer, aggregated the metric's way, per day, month or the whole window (default: this month so far), optionally grouped by dimensions (`group_by=region`) and filtered by them (`dimensions[region]=eu-west-1`).",
		operationId: "listUsage",
		request: { query: usageQuery },
		responses: {
			"200": { description: "Usage rows", content: contentJson(listEnvelope(usageRowSchema, "UsageList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listUsage({ ctx: tenantContext(c), query }));
	}
}

export class UsagePreviewInvoice extends ApiRoute {
	readonly access = "usage:read";
	override schema = {
		tags: ["Usage"],
		summary: "Preview the invoice of a window's usage",
		description:
			"The subscription's usage in the window rated at its plan's prices, as the invoice it would be. Nothing is stored.",
		operationId: "previewUsageInvoice",
		request: { query: usagePreviewQuery },
		responses: {
			"200": { description: "The invoice it would be", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such subscription"),
			"409": problemResponse("The plan prices no usage"),
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await previewUsageInvoice({ ctx: tenantContext(c), query }));
	}
}

const usageReportSchema = z
	.object({
		object: z.literal("usage_report"),
		start_date: z.string(),
		end_date: z.string(),
		filters: z.record(z.string(), z.string()),
		usage: z.array(
			z.object({
				customer_id: z.string(),
				subscription_id: z.string().nullable(),
				metric: z.string(),
				start_date: z.string(),
				end_date: z.string(),
				quantity: z.string(),
				amount: z.number().int().nullable().meta({ description: "Minor units; null when no plan prices the metric." }),
				currency: z.string().nullable(),
				cost: z.string().nullable().meta({ description: "The amount as a decimal string." }),
			}),
		),
		total_cost: z.string().nullable().meta({ description: "The total when every cost is in one currency." }),
		totals: z.array(z.object({ currency: z.string(), amount: z.number().int(), cost: z.string() })),
	})
	.meta({ id: "UsageReport" });

export class UsageReport extends ApiRoute {
	readonly access = "usage:read";
	/** Stores nothing: the key is claimed, its answer stored after. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Usage"],
		summary: "Usage report with costs",
		description:
			"Usage per customer and metric between two dates (inclusive), filtered by dimensions, with each line's cost at the prices of the customer's plan (the window rated as one period).",
		operationId: "usageReport",
		request: { body: { content: contentJson(usageReportBody), required: true } },
		responses: { "200": { description: "The report", content: contentJson(usageReportSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await usageReport({ ctx: tenantContext(c), input: body }));
	}
}

export class UsageRejectionList extends ApiRoute {
	readonly access = "usage:read";
	override schema = {
		tags: ["Usage"],
		summary: "List usage the queue could not accept",
		description:
			"Events a producer sent straight to the usage queue that failed validation, and messages that exhausted their retries, each with its errors. Fix and send them again.",
		operationId: "listUsageRejections",
		request: { query: usageRejectionListQuery },
		responses: {
			"200": {
				description: "A page of rejections",
				content: contentJson(listEnvelope(usageRejectionSchema, "UsageRejectionList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listUsageRejections({ ctx: tenantContext(c), query }));
	}
}
