import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { customerBalance } from "../../services/customers/customerBalance";
import { ApiRoute, type CustomerOwnership } from "../base";

const money = z.number().int();
const balanceSchema = z
	.object({
		object: z.literal("customer_balance"),
		customer_id: z.string(),
		as_of: z.string(),
		balances: z.array(
			z.object({
				currency: z.string(),
				outstanding: money.meta({ description: "Open invoice balances." }),
				credit: money.meta({ description: "Unapplied payments and unused credit notes." }),
				net: money.meta({ description: "Outstanding minus credit." }),
				aging: z.object({
					current: money,
					days_1_30: money,
					days_31_60: money,
					days_61_90: money,
					days_over_90: money,
				}),
			}),
		),
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
