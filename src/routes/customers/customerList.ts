import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { customerListQuery, customerSchema } from "../../schemas/customer";
import { listCustomers } from "../../services/customers/listCustomers";
import { ApiRoute } from "../base";

export class CustomerList extends ApiRoute {
	readonly access = "customers:read";
	override schema = {
		tags: ["Customers"],
		summary: "List billing accounts",
		operationId: "listCustomers",
		request: { query: customerListQuery },
		responses: {
			"200": { description: "A page of customers", content: contentJson(listEnvelope(customerSchema, "CustomerList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listCustomers({ ctx: tenantContext(c), query }));
	}
}
