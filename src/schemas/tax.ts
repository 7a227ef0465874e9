import { z } from "zod";
import { TAX_CATEGORIES } from "../domain/tax/categories";
import { isCountry } from "../domain/tax/countries";
import { currencyCode, prefixedId } from "./common";
import { billingAddress } from "./customer";
import { percentage, taxCode } from "./invoice";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

export const countryCode = z
	.string()
	.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, such as DE")
	.refine(isCountry, "is not an ISO 3166-1 country")
	.meta({ example: "DE" });

const regionCode = z
	.string()
	.regex(/^[A-Z0-9]{1,3}$/, "must be an ISO 3166-2 subdivision code without the country, such as CA or BC")
	.meta({ example: "BC" });

const ENGINE_CODES = ["zero", "exempt", "digital_services"];

export const taxRegistration = z.strictObject({ country: countryCode, region: regionCode.nullable().default(null) });

/** The tenant's tax setup, as PATCH /v1/billing/settings takes it. */
export const taxSettingsFields = {
	tax_rounding: z.enum(["per_line", "per_invoice"]).meta({
		description:
			"`per_invoice` (default, what EN 16931 BR-CO-17 checks): each category's tax is its summed base × rate, rounded once. `per_line`: each line's tax is rounded.",
	}),
	tax_prices_include_tax: z.boolean().meta({
		description:
			"Whether prices include tax (default false) where neither the line, its invoice nor its plan says (`prices_include_tax` on each).",
	}),
	tax_origin_country: countryCode.nullable().meta({ description: "Where the tenant is established for tax." }),
	tax_origin_region: regionCode
		.nullable()
		.meta({ description: "Its state or province (US, CA, IN; CN for the Canary Islands)." }),
	tax_registrations: z
		.array(taxRegistration)
		.max(100)
		.meta({ description: "Other places it is registered to collect tax: EU states, US states, Canadian provinces." }),
	tax_oss_registered: z.boolean().meta({ description: "Registered for the EU One-Stop Shop." }),
	tax_eu_distance_sales_above_threshold: z
		.boolean()
		.meta({ description: "Its EU cross-border sales to consumers passed EUR 10 000 this or last year." }),
};

const lineTax = z.object({
	jurisdiction: z.string(),
	name: z.string().meta({ example: "VAT" }),
	rate: z.string().meta({ description: "Percent", example: "19" }),
	category: z.enum(TAX_CATEGORIES).meta({ description: "EN 16931 VAT category code (BT-151)" }),
	amount: z.number().int(),
	exemption_reason: z.string().nullable(),
	exemption_reason_code: z.string().nullable().meta({ description: "VATEX code", example: "VATEX-EU-AE" }),
});

export const taxBreakdownRow = z
	.object({
		jurisdiction: z.string(),
		category: z.enum(TAX_CATEGORIES),
		rate: z.string(),
		taxable_amount: z.number().int(),
		amount: z.number().int(),
		exemption_reason: z.string().nullable(),
		exemption_reason_code: z.string().nullable(),
	})
	.meta({ id: "TaxBreakdownRow" });

export const taxCalculationBody = z
	.strictObject({
		currency: currencyCode.optional().meta({ description: "Defaults to the tenant's default currency." }),
		supply_date: isoDate.optional().meta({ description: "Defaults to today in the tenant's time zone." }),
		customer_id: prefixedId("cus")
			.optional()
			.meta({ description: "The buyer: its billing address, tax id and currency unless given here." }),
		address: billingAddress
			.optional()
			.meta({ description: "The buyer's address; `state` is its ISO 3166-2 subdivision code." }),
		tax_id: z.string().trim().min(1).max(64).optional(),
		tax_status: z.enum(["taxable", "exempt", "reverse_charge"]).default("taxable"),
		exemption_reason: z.string().trim().min(1).max(500).optional(),
		exemption_reason_code: z.string().trim().min(1).max(40).optional(),
		prices_include_tax: z.boolean().optional().meta({ description: "Defaults to the tenant's setting." }),
		items: z
			.array(
				z.strictObject({
					description: z.string().trim().min(1).max(500).optional(),
					amount: z
						.number()
						.int()
						.min(0)
						.max(1_000_000_000_000_00)
						.meta({ description: "Minor units, after discounts: net, or gross when prices include tax." }),
					tax_code: taxCode.default("standard"),
					supply_type: z.enum(["goods", "services"]).default("services"),
					prices_include_tax: z.boolean().optional(),
				}),
			)
			.min(1)
			.max(500),
	})
	.refine((body) => body.address !== undefined || body.customer_id !== undefined, {
		path: ["address"],
		message: "is required unless customer_id is given",
	})
	.meta({
		id: "TaxCalculationRequest",
		example: {
			currency: "EUR",
			address: { country: "FR", postal_code: "75001" },
			tax_id: "FR40303265045",
			items: [{ description: "Consulting", amount: 100000, tax_code: "standard" }],
		},
	});

export const taxCalculationSchema = z
	.object({
		object: z.literal("tax_calculation"),
		currency: z.string(),
		supply_date: z.string(),
		tax_rounding: z.enum(["per_line", "per_invoice"]),
		buyer: z.object({
			country: z.string(),
			region: z.string().nullable(),
			postal_code: z.string().nullable(),
			tax_id: z.string().nullable().meta({ description: "Normalized" }),
			tax_status: z.enum(["taxable", "exempt", "reverse_charge"]),
		}),
		lines: z.array(
			z.object({
				description: z.string().nullable(),
				net_amount: z.number().int(),
				tax_amount: z.number().int(),
				total: z.number().int(),
				tax_category: z.enum(TAX_CATEGORIES),
				taxes: z.array(lineTax),
			}),
		),
		tax_lines: z.array(taxBreakdownRow),
		notes: z
			.array(z.object({ category: z.enum(TAX_CATEGORIES), text: z.string(), code: z.string().nullable() }))
			.meta({ description: "Legal notes the invoice must print (Reverse charge, Intra-Community supply, …)." }),
		subtotal: z.number().int().meta({ description: "Σ net amounts" }),
		tax_total: z.number().int(),
		total: z.number().int(),
	})
	.meta({ id: "TaxCalculation" });

export const taxRateBody = z
	.strictObject({
		country: countryCode,
		region: regionCode.optional(),
		postal_prefix: z
			.string()
			.regex(/^[A-Za-z0-9]{1,10}$/, "must be 1 to 10 letters or digits")
			.transform((value) => value.toUpperCase())
			.optional()
			.meta({ description: "Applies to postal codes starting with it (a US county or city)." }),
		tax_code: taxCode.refine((code) => !ENGINE_CODES.includes(code), "is computed by the engine and takes no rate"),
		jurisdiction: z
			.string()
			.regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,12}){0,3}$/, "must be a country code, optionally with parts: US-CA-LA")
			.optional()
			.meta({ description: "Defaults to the country, or country-region when a region is given." }),
		name: z.string().trim().min(1).max(40).default("Tax").meta({ example: "Sales tax" }),
		rate: percentage.meta({ description: "Percent: 7.25 means 7.25 %", example: "7.25" }),
		category: z.enum(["S", "Z", "E", "L", "M"]).optional().meta({ description: "Defaults to S, or Z for a 0 rate." }),
		stacking: z.enum(["add", "replace"]).default("add").meta({
			description:
				"`add`: charged on top of less specific rates (a county on a state); `replace`: replaces them (an HST on the GST).",
		}),
		valid_from: isoDate,
		valid_to: isoDate.optional().meta({ description: "The last day it applies; open-ended when absent." }),
	})
	.refine((body) => body.valid_to === undefined || body.valid_to >= body.valid_from, {
		path: ["valid_to"],
		message: "must not be before valid_from",
	})
	.meta({
		id: "TaxRateCreate",
		example: {
			country: "US",
			region: "CA",
			tax_code: "standard",
			jurisdiction: "US-CA",
			rate: "7.25",
			valid_from: "2025-01-01",
		},
	});

export const taxRateSchema = z
	.object({
		object: z.literal("tax_rate"),
		id: z.string().nullable().meta({ description: "Null for a built-in rate." }),
		country: z.string(),
		region: z.string().nullable(),
		postal_prefix: z.string().nullable(),
		tax_code: z.string(),
		jurisdiction: z.string(),
		name: z.string(),
		rate: z.string(),
		category: z.enum(TAX_CATEGORIES),
		stacking: z.enum(["add", "replace"]),
		valid_from: z.string(),
		valid_to: z.string().nullable(),
		source: z.string().meta({ description: "`tenant`, or the id of the built-in table's source (see `sources`)." }),
	})
	.meta({ id: "TaxRate" });

export const taxRateListSchema = z
	.object({
		object: z.literal("list"),
		data: z.array(taxRateSchema),
		has_more: z.boolean(),
		next_cursor: z.string().nullable(),
		limit: z.number().int(),
		date: z.string(),
		sources: z.array(z.object({ id: z.string(), title: z.string(), as_of: z.string() })),
	})
	.meta({ id: "TaxRateList" });

export const taxRatesQuery = z.object({
	country: countryCode,
	region: regionCode.optional(),
	date: isoDate.optional().meta({ description: "Defaults to today in the tenant's time zone." }),
});

export const taxProviderBody = z
	.strictObject({
		name: z.string().trim().min(1).max(100),
		endpoint_url: z.string().min(1).max(2048).meta({ description: "HTTPS endpoint of the provider's API." }),
		secret: z
			.string()
			.min(8)
			.max(1000)
			.meta({ description: "Sent to the provider; stored encrypted, never returned." }),
	})
	.meta({
		id: "TaxProviderCreate",
		example: { name: "Avalara", endpoint_url: "https://rest.avatax.com/api/v2", secret: "…" },
	});

export const taxProviderSchema = z
	.object({
		object: z.literal("tax_provider"),
		id: z.string(),
		name: z.string(),
		endpoint_url: z.string(),
		secret_hint: z.string().meta({ description: "The secret's last four characters.", example: "…3f9a" }),
		created_at: z.string(),
	})
	.meta({ id: "TaxProvider" });
