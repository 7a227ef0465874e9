import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor } from "../../lib/etag";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { customerProfileSchema } from "../../schemas/customerProfile";
import { customerProfile } from "../../services/customers/customerProfile";
import { ApiRoute, type CustomerOwnership } from "../base";

export class CustomerGet extends ApiRoute {
	readonly access = "customers:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "customer" };
	override schema = {
		tags: ["Customers"],
		summary: "Retrieve a billing account with its profile",
		description:
			"The customer with its balances per currency (outstanding, overdue, credit), its payment methods in brief " +
			"and its delinquency, as of today. The ETag is the customer's version (what PATCH's If-Match names).",
		operationId: "getCustomer",
		request: { params: idParam("cus") },
		responses: {
			"200": {
				description: "The customer's profile; ETag carries its version",
				content: contentJson(customerProfileSchema),
			},
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const { profile, version } = await customerProfile({ ctx: tenantContext(c), id: params.id });
		return c.json(profile, 200, { ETag: etagFor(version) });
	}
}
