import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { planListQuery, planSchema } from "../../schemas/plan";
import { listPlans } from "../../services/plans/plans";
import { ApiRoute } from "../base";

export class PlanList extends ApiRoute {
	readonly access = "plans:read";
	override schema = {
		tags: ["Plans"],
		summary: "List plans",
		operationId: "listPlans",
		request: { query: planListQuery },
		responses: {
			"200": { description: "A page of plans", content: contentJson(listEnvelope(planSchema, "PlanList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listPlans({ ctx: tenantContext(c), query }));
	}
}
