import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { disputeListQuery, disputeSchema } from "../../schemas/dispute";
import { listDisputes } from "../../services/disputes/disputes";
import { ApiRoute } from "../base";

export class ChargebackList extends ApiRoute {
	readonly access = "payments:read";
	override schema = {
		tags: ["Disputes"],
		summary: "List chargebacks and their disputes",
		operationId: "listChargebacks",
		request: { query: disputeListQuery },
		responses: {
			"200": { description: "A page of disputes", content: contentJson(listEnvelope(disputeSchema, "DisputeList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listDisputes({ ctx: tenantContext(c), query }));
	}
}
