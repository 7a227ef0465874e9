import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { journalEntrySchema } from "../../schemas/ledger";
import { getJournal } from "../../services/ledger/journals";
import { ApiRoute } from "../base";

export class JournalGet extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "Retrieve a journal entry",
		description: "Its lines, and in `source` the invoice, payment or other document it posts.",
		operationId: "getJournal",
		request: { params: idParam("jrnl") },
		responses: {
			"200": { description: "The entry", content: contentJson(journalEntrySchema) },
			"404": problemResponse("No such entry for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getJournal({ ctx: tenantContext(c), id: params.id }));
	}
}
