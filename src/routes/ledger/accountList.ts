import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { accountSchema } from "../../schemas/ledger";
import { listAccounts } from "../../services/ledger/accounts";
import { ApiRoute } from "../base";

export class AccountList extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "The chart of accounts",
		description: "The default accounts (tax payable splits per jurisdiction, e.g. 2200-DE) and the tenant's own.",
		operationId: "listLedgerAccounts",
		responses: {
			"200": { description: "All accounts", content: contentJson(listEnvelope(accountSchema, "LedgerAccountList")) },
		},
	};

	override async handle(c: AppContext) {
		return c.json(await listAccounts({ ctx: tenantContext(c) }));
	}
}
