import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { statementCreateBody, statementSchema } from "../../schemas/statement";
import { createStatement } from "../../services/statements/statements";
import { ApiRoute } from "../base";

export class StatementCreate extends ApiRoute {
	readonly access = "customers:write";
	override schema = {
		tags: ["Statements"],
		summary: "Generate a statement of account",
		description:
			"Opening balance, every invoice, payment, credit note, refund, write-off and void in the period in date " +
			"order with the running balance, the closing balance, and the aging of what is owed at the end of `to`. " +
			"Its PDF is stored with the statement.",
		operationId: "createStatement",
		request: { params: idParam("cus"), body: { content: contentJson(statementCreateBody), required: true } },
		responses: {
			"201": { description: "The statement", content: contentJson(statementSchema) },
			"404": problemResponse("No such customer for this tenant"),
			"422": problemResponse("`from` after `to`, or a period over five years"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const statement = await createStatement({ ctx: tenantContext(c), customerId: params.id, input: body });
		return c.json(statement, 201, { Location: `/v1/billing/statements/${statement.id}` });
	}
}
