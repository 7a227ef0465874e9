import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { disputeSchema, disputeUpdateBody } from "../../schemas/dispute";
import { updateDispute } from "../../services/disputes/disputes";
import { ApiRoute } from "../base";

export class DisputeUpdate extends ApiRoute {
	readonly access = "payments:write";
	override schema = {
		tags: ["Disputes"],
		summary: "Add evidence or notes to an open dispute",
		operationId: "updateDispute",
		request: { params: idParam("dp"), body: { content: contentJson(disputeUpdateBody), required: true } },
		responses: {
			"200": { description: "The dispute", content: contentJson(disputeSchema) },
			"404": problemResponse("No such dispute for this tenant"),
			"409": problemResponse("The dispute is resolved"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await updateDispute({ ctx: tenantContext(c), id: params.id, input: body }));
	}
}
