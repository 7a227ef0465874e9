import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { disputeSchema, presentDispute } from "../../schemas/dispute";
import { loadDispute } from "../../services/disputes/disputes";
import { ApiRoute } from "../base";

export class DisputeGet extends ApiRoute {
	readonly access = "payments:read";
	override schema = {
		tags: ["Disputes"],
		summary: "Retrieve a dispute with its evidence and notes",
		operationId: "getDispute",
		request: { params: idParam("dp") },
		responses: {
			"200": { description: "The dispute", content: contentJson(disputeSchema) },
			"404": problemResponse("No such dispute for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentDispute(await loadDispute(tenantContext(c), params.id)));
	}
}
