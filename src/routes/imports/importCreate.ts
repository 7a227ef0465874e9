import type { Permission } from "../../domain/permissions";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { type ImportType, importCreateBody, importSchema } from "../../schemas/imports";
import { createImport } from "../../services/imports/imports";
import { ApiRoute, authorize } from "../base";

/** What importing each type writes, and so needs besides starting a job. */
const writes: Record<ImportType, Permission> = {
	invoices: "invoices:write",
	payments: "payments:write",
	usage: "usage:write",
	journals: "ledger:write",
	customers: "customers:write",
};

export class ImportCreate extends ApiRoute {
	readonly access = "jobs:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Imports"],
		summary: "Import invoices, payments, usage, journals or customers",
		description:
			"Name a file uploaded with POST /v1/billing/uploads as `source`, or send a small one inline as `data`; NDJSON or " +
			"CSV, its columns mapped onto fields by `mapping`. Returns 202 with the import; poll GET /v1/billing/imports/{id}. " +
			"Records are matched by your `external_id`, so importing the same file again changes nothing. A job runs in " +
			"chunks: POST /v1/billing/jobs/{id}/cancel stops it after the current one. Also needs the type's write " +
			"permission (e.g. `payments:write`).",
		operationId: "createImport",
		request: { body: { content: contentJson(importCreateBody), required: true } },
		responses: { "202": { description: "The import, queued", content: contentJson(importSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		authorize(c, writes[body.type]);
		const created = await createImport({ ctx: tenantContext(c), input: body });
		return c.json(created, 202, { Location: `/v1/billing/imports/${created.id}` });
	}
}
