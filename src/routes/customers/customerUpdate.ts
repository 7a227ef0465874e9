import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor, withExpectedVersion } from "../../lib/etag";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { customerSchema, customerUpdateBody, presentCustomer } from "../../schemas/customer";
import { updateCustomer } from "../../services/customers/updateCustomer";
import { ApiRoute } from "../base";

export class CustomerUpdate extends ApiRoute {
	readonly access = "customers:write";
	override schema = {
		tags: ["Customers"],
		summary: "Update a billing account",
		description:
			"Partial update: only the fields sent change; `null` clears an optional field. Send the version you read " +
			"as `If-Match` or as `version`; a stale one is refused.",
		operationId: "updateCustomer",
		request: {
			params: idParam("cus"),
			headers: z.object({ "if-match": z.string().optional() }),
			body: { content: contentJson(customerUpdateBody), required: true },
		},
		responses: {
			"200": { description: "The updated customer", content: contentJson(customerSchema) },
			"404": problemResponse("No such customer for this tenant"),
			"409": problemResponse("Stale version, or the customer is deleted"),
			"412": problemResponse("If-Match does not name the current version"),
		},
	};

	override async handle(c: AppContext) {
		const { params, headers, body } = await this.getValidatedData<typeof this.schema>();
		const { version, ...patch } = body;
		const row = await withExpectedVersion(headers["if-match"], version, (expectedVersion) =>
			updateCustomer({ ctx: tenantContext(c), id: params.id, patch, expectedVersion }),
		);
		return c.json(presentCustomer(row), 200, { ETag: etagFor(row.version) });
	}
}
