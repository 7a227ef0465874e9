import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { taxRegistrationBody, taxRegistrationSchema } from "../../schemas/taxFilings";
import { registerInvoice } from "../../services/tax/registerInvoice";
import { ApiRoute } from "../base";

export class TaxRegister extends ApiRoute {
	readonly access = "tax:write";
	/** Registers the invoice with the tax provider, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Tax"],
		summary: "Register an issued invoice with a tax service",
		description:
			"`internal` records the registration here; a configured tax provider is sent the invoice and its tax lines " +
			"(JSON POST, the provider's secret as bearer token, an Idempotency-Key of invoice and provider) and its " +
			"answer's `id` is kept as `provider_reference`. Registering again with the same provider answers the " +
			"registration already made; a failed attempt is recorded with its error and may be retried.",
		operationId: "registerTaxInvoice",
		request: { body: { content: contentJson(taxRegistrationBody), required: true } },
		responses: {
			"201": { description: "Registered", content: contentJson(taxRegistrationSchema) },
			"200": { description: "Registered before, or now on a retry", content: contentJson(taxRegistrationSchema) },
			"404": problemResponse("No such invoice or tax provider for this tenant"),
			"409": problemResponse("The invoice is a draft"),
			"502": problemResponse("The tax provider failed; the registration records its error"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		const { created, registration } = await registerInvoice({ ctx: tenantContext(c), input: body });
		return c.json(registration, created ? 201 : 200);
	}
}
