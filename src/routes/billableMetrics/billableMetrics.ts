import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { withExpectedVersion } from "../../lib/etag";
import { contentJson, listEnvelope, problemResponse } from "../../schemas/common";
import {
	billableMetricCreateBody,
	billableMetricIdParams,
	billableMetricSchema,
	billableMetricUpdateBody,
} from "../../schemas/usage";
import { createMetric, getMetric, listMetrics, updateMetric } from "../../services/usage/metrics";
import { ApiRoute } from "../base";

export class BillableMetricCreate extends ApiRoute {
	readonly access = "usage:write";
	/** May start aggregating the usage that waited for the metric: a job after its commit. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Usage"],
		summary: "Define a billable metric",
		description:
			"What usage events count: their quantity (or a property), aggregated by sum, count, max, unique_count or last, optionally filtered by dimensions. Events sent before the metric existed are counted now.",
		operationId: "createBillableMetric",
		request: { body: { content: contentJson(billableMetricCreateBody), required: true } },
		responses: {
			"201": { description: "The metric", content: contentJson(billableMetricSchema) },
			"409": problemResponse("A metric with this code exists"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createMetric({ ctx: tenantContext(c), input: body }), 201);
	}
}

export class BillableMetricList extends ApiRoute {
	readonly access = "usage:read";
	override schema = {
		tags: ["Usage"],
		summary: "List billable metrics",
		operationId: "listBillableMetrics",
		responses: {
			"200": {
				description: "All billable metrics",
				content: contentJson(listEnvelope(billableMetricSchema, "BillableMetricList")),
			},
		},
	};

	override async handle(c: AppContext) {
		return c.json(await listMetrics({ ctx: tenantContext(c) }));
	}
}

export class BillableMetricGet extends ApiRoute {
	readonly access = "usage:read";
	override schema = {
		tags: ["Usage"],
		summary: "Get a billable metric",
		operationId: "getBillableMetric",
		request: { params: billableMetricIdParams },
		responses: {
			"200": { description: "The metric", content: contentJson(billableMetricSchema) },
			"404": problemResponse("No such metric for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getMetric({ ctx: tenantContext(c), id: params.id }));
	}
}

export class BillableMetricUpdate extends ApiRoute {
	readonly access = "usage:write";
	override schema = {
		tags: ["Usage"],
		summary: "Rename or describe a billable metric",
		operationId: "updateBillableMetric",
		request: {
			params: billableMetricIdParams,
			headers: z.object({ "if-match": z.string().optional() }),
			body: { content: contentJson(billableMetricUpdateBody), required: true },
		},
		responses: {
			"200": { description: "The metric", content: contentJson(billableMetricSchema) },
			"404": problemResponse("No such metric for this tenant"),
			"409": problemResponse("Stale version"),
		},
	};

	override async handle(c: AppContext) {
		const { params, headers, body } = await this.getValidatedData<typeof this.schema>();
		const { version, ...patch } = body;
		return c.json(
			await withExpectedVersion(headers["if-match"], version, (v) =>
				updateMetric({ ctx: tenantContext(c), id: params.id, patch, expectedVersion: v }),
			),
		);
	}
}
