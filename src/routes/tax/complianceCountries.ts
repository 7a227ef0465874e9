import { z } from "zod";
import { COMPLIANCE_AS_OF, complianceCountries, E_INVOICE_FORMATS } from "../../domain/tax/compliance";
import type { AppContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { countryCode } from "../../schemas/tax";
import { ApiRoute } from "../base";

const mandateSchema = z.object({
	scope: z.enum(["B2G", "B2B", "B2C"]),
	obligation: z.enum(["issue", "receive", "issue_and_receive", "report"]),
	applies_to: z.string().nullable(),
	since: z.string(),
	formats: z.array(z.string()),
	channel: z.string().nullable(),
	source: z.string(),
});

const countrySchema = z
	.object({
		object: z.literal("compliance_country"),
		country: z.string(),
		eu_member: z.boolean(),
		vat_id_prefix: z.string().nullable(),
		tax_id: z.object({ name: z.string(), example: z.string(), checksum: z.boolean() }).nullable(),
		mandates: z.array(mandateSchema),
		produced_formats: z
			.array(z.string())
			.meta({ description: "Of the formats the mandates name, those this service renders." }),
	})
	.meta({ id: "ComplianceCountry" });

const listSchema = z
	.object({
		object: z.literal("list"),
		data: z.array(countrySchema),
		has_more: z.boolean(),
		next_cursor: z.string().nullable(),
		limit: z.number().int(),
		as_of: z.string().meta({ description: "The day the data was last checked against its sources." }),
		formats: z.record(z.string(), z.string()).meta({ description: "Every format id and its name." }),
	})
	.meta({ id: "ComplianceCountryList" });

export class ComplianceCountries extends ApiRoute {
	readonly access = "tax:read";
	override schema = {
		tags: ["Tax"],
		summary: "Tax id formats and e-invoicing mandates per country",
		description:
			"Per country: its tax id scheme (and whether it has check digits), its e-invoicing mandates (B2G, B2B, B2C: " +
			"who must issue, receive or report, since when, in which formats, with the law cited) and which of those " +
			"formats this service produces.",
		operationId: "listComplianceCountries",
		request: { query: z.object({ country: countryCode.optional() }) },
		responses: { "200": { description: "Countries", content: contentJson(listSchema) } },
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const data = complianceCountries()
			.filter((entry) => query.country === undefined || entry.country === query.country)
			.map((entry) => ({ object: "compliance_country" as const, ...entry }));
		return c.json({
			object: "list" as const,
			data,
			has_more: false,
			next_cursor: null,
			limit: data.length,
			as_of: COMPLIANCE_AS_OF,
			formats: E_INVOICE_FORMATS,
		});
	}
}
