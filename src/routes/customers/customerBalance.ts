import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { currencyBalanceSchema } from "../../schemas/customerProfile";
import { customerBalance } from "../../services/customers/customerBalance";
import { ApiRoute, type CustomerOwnership } from "../base";

const balanceSchema = z
	.object({
		object: z.literal("customer_balance"),
		customer_id: z.string(),
		as_of: z.string(),
		balances: z.array(currencyBalanceSchema),
	})
	.meta({ id: "CustomerBalance" });

export class CustomerBalance extends ApiRoute {
	readonly access = "customers:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "customer" };
	override schema = {
		tags: ["Customers"],
		summary: "Outstanding balance, credit and aging",
		description: "Per currency, always equal to what the customer's invoices, payments and credit notes say.",
		operationId: "getCustomerBalance",
		request: { params: idParam("cus") },
		responses: {
			"200": { description: "The balance", content: contentJson(balanceSchema) },
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await customerBalance({ ctx: tenantContext(c), customerId: params.id }));
	}
}
