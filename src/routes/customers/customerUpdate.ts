import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { etagFor, versionFromIfMatch } from "../../lib/etag";
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
		const headerVersion = versionFromIfMatch(headers["if-match"]);
		if (headerVersion !== undefined && version !== undefined && headerVersion !== version) {
			throw new AppError("precondition_failed", "If-Match and version name different versions.");
		}
		try {
			const row = await updateCustomer({
				ctx: tenantContext(c),
				id: params.id,
				patch,
				expectedVersion: headerVersion ?? version,
			});
			return c.json(presentCustomer(row), 200, { ETag: etagFor(row.version) });
		} catch (error) {
			// RFC 9110: a failed If-Match is 412; a stale `version` in the body stays a 409 conflict.
			if (error instanceof AppError && error.code === "version_conflict" && headerVersion !== undefined) {
				throw new AppError("precondition_failed", error.message, { extensions: error.extensions });
			}
			throw error;
		}
	}
}
