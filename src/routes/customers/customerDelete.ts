import { z } from "zod";
import { type AppContext, isTenantAuth, tenantContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { customerSchema, presentCustomer } from "../../schemas/customer";
import { deleteCustomer } from "../../services/customers/deleteCustomer";
import { ApiRoute } from "../base";

export class CustomerDelete extends ApiRoute {
	readonly access = "customers:write";
	override schema = {
		tags: ["Customers"],
		summary: "Delete a billing account",
		description:
			"Soft delete by default: the customer is marked deleted and stays readable. `hard=true` removes it " +
			"permanently and needs the `customers:delete` permission.",
		operationId: "deleteCustomer",
		request: {
			params: idParam("cus"),
			query: z.object({
				hard: z
					.enum(["true", "false"])
					.default("false")
					.transform((v) => v === "true"),
			}),
		},
		responses: {
			"200": { description: "The soft-deleted customer", content: contentJson(customerSchema) },
			"204": { description: "Hard-deleted" },
			"404": problemResponse("No such customer for this tenant"),
			"409": problemResponse("Already deleted"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		const auth = c.get("auth");
		if (query.hard && !(isTenantAuth(auth) && auth.permissions.has("customers:delete"))) {
			throw new AppError("forbidden", "Hard deletion needs the permission 'customers:delete'.", {
				extensions: { required_permission: "customers:delete" },
			});
		}
		const row = await deleteCustomer({ ctx: tenantContext(c), id: params.id, hard: query.hard });
		return row ? c.json(presentCustomer(row)) : c.body(null, 204);
	}
}
