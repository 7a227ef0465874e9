import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor, withExpectedVersion } from "../../lib/etag";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, invoiceUpdateBody } from "../../schemas/invoice";
import { updateInvoice } from "../../services/invoices/updateInvoice";
import { ApiRoute } from "../base";

export class InvoiceUpdate extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Edit a draft invoice",
		description:
			"Only drafts can be edited; sending `items` replaces all lines. Send the version you read as `If-Match` " +
			"or `version`; a stale one is refused.",
		operationId: "updateInvoice",
		request: {
			params: idParam("inv"),
			headers: z.object({ "if-match": z.string().optional() }),
			body: { content: contentJson(invoiceUpdateBody), required: true },
		},
		responses: {
			"200": { description: "The updated draft", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("Not a draft, or a stale version"),
			"412": problemResponse("If-Match does not name the current version"),
		},
	};

	override async handle(c: AppContext) {
		const { params, headers, body } = await this.getValidatedData<typeof this.schema>();
		const { version, ...patch } = body;
		const invoice = await withExpectedVersion(headers["if-match"], version, (v) =>
			updateInvoice({ ctx: tenantContext(c), id: params.id, patch, expectedVersion: v }),
		);
		return c.json(invoice, 200, { ETag: etagFor(invoice.version) });
	}
}
