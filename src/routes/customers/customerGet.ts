import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor } from "../../lib/etag";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { customerSchema, presentCustomer } from "../../schemas/customer";
import { loadCustomer } from "../../services/customers/loadCustomer";
import { ApiRoute, type CustomerOwnership } from "../base";

export class CustomerGet extends ApiRoute {
	readonly access = "customers:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "customer" };
	override schema = {
		tags: ["Customers"],
		summary: "Retrieve a billing account",
		operationId: "getCustomer",
		request: { params: idParam("cus") },
		responses: {
			"200": { description: "The customer; ETag carries its version", content: contentJson(customerSchema) },
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const row = await loadCustomer(tenantContext(c), params.id);
		return c.json(presentCustomer(row), 200, { ETag: etagFor(row.version) });
	}
}
