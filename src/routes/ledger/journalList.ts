import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { journalEntrySchema, journalListQuery } from "../../schemas/ledger";
import { listJournals } from "../../services/ledger/journals";
import { ApiRoute } from "../base";

export class JournalList extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "List journal entries",
		operationId: "listJournals",
		request: { query: journalListQuery },
		responses: {
			"200": {
				description: "A page of entries with their lines",
				content: contentJson(listEnvelope(journalEntrySchema, "JournalEntryList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listJournals({ ctx: tenantContext(c), query }));
	}
}
