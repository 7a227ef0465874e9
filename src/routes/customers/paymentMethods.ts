import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { paymentMethodCreateBody, paymentMethodSchema } from "../../schemas/paymentMethod";
import {
	addPaymentMethod,
	listPaymentMethods,
	removePaymentMethod,
} from "../../services/paymentMethods/paymentMethods";
import { ApiRoute } from "../base";

export class PaymentMethodList extends ApiRoute {
	readonly access = "customers:read";
	override schema = {
		tags: ["Customers"],
		summary: "A customer's payment methods",
		operationId: "listPaymentMethods",
		request: { params: idParam("cus") },
		responses: {
			"200": {
				description: "References to gateway payment methods",
				content: contentJson(listEnvelope(paymentMethodSchema, "PaymentMethodList")),
			},
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listPaymentMethods({ ctx: tenantContext(c), customerId: params.id }));
	}
}

export class PaymentMethodCreate extends ApiRoute {
	readonly access = "customers:write";
	override schema = {
		tags: ["Customers"],
		summary: "Add a payment method reference",
		description: "A gateway token with brand, last 4 and expiry — never a card number.",
		operationId: "addPaymentMethod",
		request: { params: idParam("cus"), body: { content: contentJson(paymentMethodCreateBody), required: true } },
		responses: {
			"201": { description: "The payment method", content: contentJson(paymentMethodSchema) },
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await addPaymentMethod({ ctx: tenantContext(c), customerId: params.id, input: body }), 201);
	}
}

export class PaymentMethodDelete extends ApiRoute {
	readonly access = "customers:write";
	override schema = {
		tags: ["Customers"],
		summary: "Remove a payment method",
		operationId: "removePaymentMethod",
		request: {
			params: idParam("cus").extend({ pmId: z.string().regex(/^pm_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a pm_ id") }),
		},
		responses: {
			"204": { description: "Removed" },
			"404": problemResponse("No such payment method for this customer"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		await removePaymentMethod({ ctx: tenantContext(c), customerId: params.id, id: params.pmId });
		return c.body(null, 204);
	}
}
