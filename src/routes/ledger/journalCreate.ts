import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { journalEntrySchema, manualJournalBody } from "../../schemas/ledger";
import { createManualJournal } from "../../services/ledger/manualJournal";
import { ApiRoute } from "../base";

export class JournalCreate extends ApiRoute {
	readonly access = "ledger:write";
	override schema = {
		tags: ["Ledger"],
		summary: "Post a manual journal entry",
		description: "Debits must equal credits, every account must exist, and the date must be in an open period.",
		operationId: "createJournal",
		request: { body: { content: contentJson(manualJournalBody), required: true } },
		responses: { "201": { description: "The entry", content: contentJson(journalEntrySchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createManualJournal({ ctx: tenantContext(c), input: body }), 201);
	}
}
