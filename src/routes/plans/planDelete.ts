import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { planSchema } from "../../schemas/plan";
import { deletePlan } from "../../services/plans/plans";
import { ApiRoute } from "../base";

export class PlanDelete extends ApiRoute {
	readonly access = "plans:write";
	override schema = {
		tags: ["Plans"],
		summary: "Delete a plan (archive it if it has subscribers)",
		operationId: "deletePlan",
		request: { params: idParam("plan") },
		responses: {
			"200": { description: "Archived: the plan has subscriptions", content: contentJson(planSchema) },
			"204": { description: "Deleted" },
			"404": problemResponse("No such plan for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const archived = await deletePlan({ ctx: tenantContext(c), id: params.id });
		return archived ? c.json(archived) : c.body(null, 204);
	}
}
