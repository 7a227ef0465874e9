import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { withExpectedVersion } from "../../lib/etag";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { planSchema, planUpdateBody } from "../../schemas/plan";
import { updatePlan } from "../../services/plans/plans";
import { ApiRoute } from "../base";

export class PlanUpdate extends ApiRoute {
	readonly access = "plans:write";
	override schema = {
		tags: ["Plans"],
		summary: "Update a plan",
		description: "A new amount applies to periods billed from now on; interval and currency never change.",
		operationId: "updatePlan",
		request: {
			params: idParam("plan"),
			headers: z.object({ "if-match": z.string().optional() }),
			body: { content: contentJson(planUpdateBody), required: true },
		},
		responses: {
			"200": { description: "The plan", content: contentJson(planSchema) },
			"404": problemResponse("No such plan for this tenant"),
			"409": problemResponse("Stale version"),
		},
	};

	override async handle(c: AppContext) {
		const { params, headers, body } = await this.getValidatedData<typeof this.schema>();
		const { version, ...patch } = body;
		return c.json(
			await withExpectedVersion(headers["if-match"], version, (v) =>
				updatePlan({ ctx: tenantContext(c), id: params.id, patch, expectedVersion: v }),
			),
		);
	}
}
