import { type AppContext, tenantContext } from "../../lib/context";
import { auditEntrySchema } from "../../schemas/audit";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { getAuditEntry } from "../../services/audit/auditEntries";
import { ApiRoute } from "../base";

export class AuditGet extends ApiRoute {
	readonly access = "audit:read";
	override schema = {
		tags: ["Audit"],
		summary: "Retrieve an audit entry",
		operationId: "getAuditEntry",
		request: { params: idParam("aud") },
		responses: {
			"200": { description: "The entry", content: contentJson(auditEntrySchema) },
			"404": problemResponse("No such entry for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getAuditEntry({ ctx: tenantContext(c), id: params.id }));
	}
}
