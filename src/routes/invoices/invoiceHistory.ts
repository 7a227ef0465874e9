import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { auditEntrySchema } from "../../schemas/audit";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceHistory } from "../../services/invoices/invoiceHistory";
import { ApiRoute } from "../base";

const historySchema = z
	.object({
		object: z.literal("invoice_history"),
		invoice_id: z.string(),
		audit: z.array(auditEntrySchema),
		events: z.array(
			z.object({
				id: z.string(),
				type: z.string(),
				created_at: z.string(),
				request_id: z.string().nullable(),
				data: z.unknown(),
			}),
		),
	})
	.meta({ id: "InvoiceHistory" });

export class InvoiceHistory extends ApiRoute {
	readonly access = "invoices:read";
	override schema = {
		tags: ["Invoices"],
		summary: "An invoice's audit trail and events",
		operationId: "getInvoiceHistory",
		request: { params: idParam("inv") },
		responses: {
			"200": { description: "Oldest first", content: contentJson(historySchema) },
			"404": problemResponse("No such invoice for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await invoiceHistory({ ctx: tenantContext(c), id: params.id }));
	}
}
