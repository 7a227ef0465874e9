import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { planSchema, presentPlan } from "../../schemas/plan";
import { loadPlan } from "../../services/plans/plans";
import { ApiRoute } from "../base";

export class PlanGet extends ApiRoute {
	readonly access = "plans:read";
	override schema = {
		tags: ["Plans"],
		summary: "Retrieve a plan",
		operationId: "getPlan",
		request: { params: idParam("plan") },
		responses: {
			"200": { description: "The plan", content: contentJson(planSchema) },
			"404": problemResponse("No such plan for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentPlan(await loadPlan(tenantContext(c), params.id)));
	}
}
