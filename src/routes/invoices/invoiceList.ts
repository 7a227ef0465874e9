import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { invoiceListQuery, invoiceSchema } from "../../schemas/invoice";
import { listInvoices } from "../../services/invoices/listInvoices";
import { ApiRoute, type CustomerOwnership } from "../base";

export class InvoiceList extends ApiRoute {
	readonly access = "invoices:read";
	protected override readonly ownership: CustomerOwnership = { in: "query", field: "customer_id", of: "customer" };
	override schema = {
		tags: ["Invoices"],
		summary: "List invoices",
		operationId: "listInvoices",
		request: { query: invoiceListQuery },
		responses: {
			"200": { description: "A page of invoices", content: contentJson(listEnvelope(invoiceSchema, "InvoiceList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listInvoices({ ctx: tenantContext(c), query }));
	}
}
