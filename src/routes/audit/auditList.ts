import { type AppContext, tenantContext } from "../../lib/context";
import { auditEntrySchema, auditListQuery } from "../../schemas/audit";
import { contentJson, listEnvelope } from "../../schemas/common";
import { listAuditEntries } from "../../services/audit/auditEntries";
import { ApiRoute } from "../base";

export class AuditList extends ApiRoute {
	readonly access = "audit:read";
	override schema = {
		tags: ["Audit"],
		summary: "Search the audit trail",
		operationId: "listAuditEntries",
		request: { query: auditListQuery },
		responses: {
			"200": {
				description: "A page of audit entries",
				content: contentJson(listEnvelope(auditEntrySchema, "AuditEntryList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listAuditEntries({ ctx: tenantContext(c), query }));
	}
}
