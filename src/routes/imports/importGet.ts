import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { importSchema } from "../../schemas/imports";
import { getImport } from "../../services/imports/imports";
import { ApiRoute } from "../base";

export class ImportGet extends ApiRoute {
	readonly access = "jobs:read";
	override schema = {
		tags: ["Imports"],
		summary: "An import's status, counts and error report",
		description:
			"Counts say how many records were created, updated, skipped (already imported, nothing to change) and failed; " +
			"`error_report_url` downloads every line error (line, field, code, message).",
		operationId: "getImport",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The import", content: contentJson(importSchema) },
			"404": problemResponse("No such import for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getImport({ ctx: tenantContext(c), id: params.id }));
	}
}
