import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { mappingsBody } from "../../schemas/ledger";
import { listMappings, updateMappings } from "../../services/ledger/accounts";
import { ApiRoute } from "../base";

const mappingsSchema = z
	.object({ object: z.literal("ledger_mappings"), mappings: z.record(z.string(), z.string()) })
	.meta({ id: "LedgerMappings" });

export class MappingsGet extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "Where posting roles, tax jurisdictions and SKUs post",
		operationId: "getLedgerMappings",
		responses: {
			"200": {
				description: "The mappings; unmapped roles use the default chart",
				content: contentJson(mappingsSchema),
			},
		},
	};

	override async handle(c: AppContext) {
		return c.json(await listMappings({ ctx: tenantContext(c) }));
	}
}

export class MappingsUpdate extends ApiRoute {
	readonly access = "ledger:write";
	/** Answers the mappings as stored, read after its commit. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Ledger"],
		summary: "Map posting roles, tax jurisdictions and SKUs to accounts",
		operationId: "updateLedgerMappings",
		request: { body: { content: contentJson(mappingsBody), required: true } },
		responses: { "200": { description: "The mappings", content: contentJson(mappingsSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await updateMappings({ ctx: tenantContext(c), mappings: body.mappings }));
	}
}
