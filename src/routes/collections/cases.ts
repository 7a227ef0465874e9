import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { collectionCaseListQuery, collectionCaseSchema } from "../../schemas/dunning";
import { listCollectionCases } from "../../services/dunning/listCases";
import { ApiRoute } from "../base";

export class CollectionCaseList extends ApiRoute {
	readonly access = "collections:read";
	override schema = {
		tags: ["Dunning"],
		summary: "List collection cases",
		description:
			"A customer gets an open case when one of its invoices has been through every step of a dunning rule that " +
			"escalates (`escalation: case`); its later escalated invoices join that case.",
		operationId: "listCollectionCases",
		request: { query: collectionCaseListQuery },
		responses: {
			"200": {
				description: "A page of cases",
				content: contentJson(listEnvelope(collectionCaseSchema, "CollectionCaseList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listCollectionCases({ ctx: tenantContext(c), query }));
	}
}
