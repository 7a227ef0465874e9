import type { AppContext } from "../../lib/context";
import { tenantContext } from "../../lib/context";
import { responseOf } from "../../lib/idempotency";
import { contentJson } from "../../schemas/common";
import { customerCreateBody, customerSchema } from "../../schemas/customer";
import { createCustomer, customerCreatedResponse } from "../../services/customers/createCustomer";
import { ApiRoute } from "../base";

export class CustomerCreate extends ApiRoute {
	readonly access = "customers:write";
	override schema = {
		tags: ["Customers"],
		summary: "Create a billing account",
		operationId: "createCustomer",
		request: { body: { content: contentJson(customerCreateBody), required: true } },
		responses: { "201": { description: "The customer", content: contentJson(customerSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const row = await createCustomer({ ctx: tenantContext(c), input: body });
		return responseOf(customerCreatedResponse(row));
	}
}
