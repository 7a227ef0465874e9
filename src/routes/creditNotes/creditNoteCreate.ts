import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { creditNoteCreateBody, creditNoteSchema } from "../../schemas/creditNote";
import { createCreditNote } from "../../services/creditNotes/creditNotes";
import { ApiRoute } from "../base";

export class CreditNoteCreate extends ApiRoute {
	readonly access = "credit_notes:write";
	override schema = {
		tags: ["Credit notes"],
		summary: "Issue a credit note against an invoice",
		description:
			"By amount (tax split in proportion to the invoice's taxes) or by lines. Never more than the invoice has " +
			"left to credit. Reduces the invoice's balance; the rest becomes customer credit. Numbered CN-YYYY-NNNN.",
		operationId: "createCreditNote",
		request: { body: { content: contentJson(creditNoteCreateBody), required: true } },
		responses: {
			"201": { description: "The credit note", content: contentJson(creditNoteSchema) },
			"409": problemResponse("More than is creditable, or an invoice that cannot be credited"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const note = await createCreditNote({
			ctx: tenantContext(c),
			input: body,
			requestKey: c.req.header("idempotency-key") ?? null,
		});
		return c.json(note, 201, { Location: `/v1/billing/credit-notes/${note.id}` });
	}
}
