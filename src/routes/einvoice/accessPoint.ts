import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { accessPointBody, accessPointSchema } from "../../schemas/einvoice";
import { getAccessPoint, setAccessPoint } from "../../services/einvoices/accessPoint";
import { ApiRoute } from "../base";

export class AccessPointSet extends ApiRoute {
	readonly access = "settings:write";
	override schema = {
		tags: ["E-invoicing"],
		summary: "Configure the Peppol access point",
		description:
			"The HTTP API of the tenant's Peppol access point and its API token. Sending an invoice's e-invoice " +
			"(POST /v1/billing/invoices/{id}/e-invoice/send) POSTs the XML to {endpoint}/documents with the token as a " +
			"bearer token. The token is stored encrypted and never returned; setting the access point again replaces it.",
		operationId: "setEInvoiceAccessPoint",
		request: { body: { content: contentJson(accessPointBody), required: true } },
		responses: {
			"200": { description: "The access point", content: contentJson(accessPointSchema) },
			"422": problemResponse("The endpoint is not an HTTPS URL of a public host"),
			"503": problemResponse("The deployment has no key to encrypt secrets with (SECRETS_KEY)"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		return c.json(await setAccessPoint({ ctx: tenantContext(c), input: body }));
	}
}

export class AccessPointGet extends ApiRoute {
	readonly access = "settings:read";
	override schema = {
		tags: ["E-invoicing"],
		summary: "Show the Peppol access point",
		description: "Its endpoint; the token is never shown.",
		operationId: "getEInvoiceAccessPoint",
		responses: {
			"200": { description: "The access point", content: contentJson(accessPointSchema) },
			"404": problemResponse("No access point is configured"),
		},
	};

	override async handle(c: AppContext) {
		return c.json(await getAccessPoint({ ctx: tenantContext(c) }));
	}
}
