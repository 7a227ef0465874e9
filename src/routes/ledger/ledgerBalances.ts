import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { balancesQuery, balancesSchema } from "../../schemas/ledger";
import { trialBalance } from "../../services/ledger/trialBalance";
import { ApiRoute } from "../base";

export class LedgerBalances extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "Trial balance by account",
		description: "Accounts receivable, revenue and every other account, per currency, as of a day or for a period.",
		operationId: "getLedgerBalances",
		request: { query: balancesQuery },
		responses: { "200": { description: "The trial balance", content: contentJson(balancesSchema) } },
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const asOf = query.as_of ?? ctx.clock.now().toISOString().slice(0, 10);
		return c.json(await trialBalance({ ctx, asOf, from: query.from, currency: query.currency }));
	}
}
