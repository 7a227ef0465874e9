import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { planCreateBody, planSchema } from "../../schemas/plan";
import { createPlan } from "../../services/plans/plans";
import { ApiRoute } from "../base";

export class PlanCreate extends ApiRoute {
	readonly access = "plans:write";
	override schema = {
		tags: ["Plans"],
		summary: "Create a plan",
		operationId: "createPlan",
		request: { body: { content: contentJson(planCreateBody), required: true } },
		responses: {
			"201": { description: "The plan", content: contentJson(planSchema) },
			"409": problemResponse("A plan with this code exists"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createPlan({ ctx: tenantContext(c), input: body }), 201);
	}
}
