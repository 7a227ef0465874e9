import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, paginationQuery, problemResponse } from "../../schemas/common";
import { statementSchema } from "../../schemas/statement";
import { listStatements } from "../../services/statements/statements";
import { ApiRoute } from "../base";

export class StatementList extends ApiRoute {
	readonly access = "customers:read";
	override schema = {
		tags: ["Statements"],
		summary: "List a customer's statements",
		operationId: "listStatements",
		request: { params: idParam("cus"), query: paginationQuery },
		responses: {
			"200": {
				description: "A page of statements",
				content: contentJson(listEnvelope(statementSchema, "StatementList")),
			},
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listStatements({ ctx: tenantContext(c), customerId: params.id, query }));
	}
}
