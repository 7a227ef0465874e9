import { todayOf } from "../../lib/clock";
import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor } from "../../lib/etag";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, presentInvoice } from "../../schemas/invoice";
import { documentsOf } from "../../services/documents/storedDocuments";
import { loadInvoiceDetail } from "../../services/invoices/loadInvoice";
import { ApiRoute, type CustomerOwnership } from "../base";

export class InvoiceGet extends ApiRoute {
	readonly access = "invoices:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "invoice" };
	override schema = {
		tags: ["Invoices"],
		summary: "Retrieve an invoice",
		operationId: "getInvoice",
		request: { params: idParam("inv") },
		responses: {
			"200": { description: "The invoice with lines, tax lines and deliveries", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const [detail, documents] = await Promise.all([
			loadInvoiceDetail(ctx, params.id),
			documentsOf(ctx, "invoice", [params.id]),
		]);
		const invoice = presentInvoice({ ...detail, documents }, todayOf(ctx.clock.now()));
		return c.json(invoice, 200, { ETag: etagFor(invoice.version) });
	}
}
