import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { accountCreateBody, accountSchema } from "../../schemas/ledger";
import { createAccount } from "../../services/ledger/accounts";
import { ApiRoute } from "../base";

export class AccountCreate extends ApiRoute {
	readonly access = "ledger:write";
	override schema = {
		tags: ["Ledger"],
		summary: "Add an account to the chart",
		operationId: "createLedgerAccount",
		request: { body: { content: contentJson(accountCreateBody), required: true } },
		responses: {
			"201": { description: "The account", content: contentJson(accountSchema) },
			"409": problemResponse("An account with this code exists"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createAccount({ ctx: tenantContext(c), input: body }), 201);
	}
}
