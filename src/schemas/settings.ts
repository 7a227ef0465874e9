import { z } from "zod";
import type { tenants } from "../db/schema";
import { isTimeZone } from "../domain/billingPeriods";
import { parseNumberFormat } from "../domain/invoiceNumber";
import { currencyCode } from "./common";
import { taxSettingsFields } from "./tax";

export const invoiceNumberFormat = z
	.string()
	.min(1)
	.max(64)
	.refine((value) => parseNumberFormat(value) !== null, "must contain one {N…} placeholder, e.g. INV-{YYYY}-{NNNN}")
	.meta({
		description:
			"`{YYYY}` is the issue year (the series restarts each year when present); `{NNNN}` the zero-padded sequence.",
		example: "INV-{YYYY}-{NNNN}",
	});

export const timeZone = z
	.string()
	.min(1)
	.max(64)
	.refine(isTimeZone, "is not an IANA time zone, e.g. Europe/Berlin")
	.meta({
		description:
			"The zone whose calendar date is the tenant's business day: when no start date is given, a subscription starts on today's date there, and recurring runs bill what is due by it.",
		example: "Europe/Berlin",
	});

export const settingsSchema = z
	.object({
		object: z.literal("settings"),
		tenant_id: z.string(),
		name: z.string(),
		default_currency: z.string(),
		invoice_number_format: z.string(),
		time_zone: z.string(),
		erp_webhook_url: z.string().nullable().meta({ description: "Where POST /ledger/sync pushes journals." }),
		erp_webhook_secret: z.string().optional().meta({ description: "Shown once, when the URL is first set." }),
		...taxSettingsFields,
		version: z.number().int().meta({ description: "Moves with every change; send it back as If-Match or `version`." }),
	})
	.meta({ id: "Settings" });

export const settingsUpdateBody = z
	.strictObject({
		name: z.string().trim().min(1).max(200).optional(),
		default_currency: currencyCode.optional(),
		invoice_number_format: invoiceNumberFormat.optional(),
		time_zone: timeZone.optional(),
		erp_webhook_url: z.string().min(1).max(2048).nullable().optional(),
		tax_rounding: taxSettingsFields.tax_rounding.optional(),
		tax_prices_include_tax: taxSettingsFields.tax_prices_include_tax.optional(),
		tax_origin_country: taxSettingsFields.tax_origin_country.optional(),
		tax_origin_region: taxSettingsFields.tax_origin_region.optional(),
		tax_registrations: taxSettingsFields.tax_registrations.optional(),
		tax_oss_registered: taxSettingsFields.tax_oss_registered.optional(),
		tax_eu_distance_sales_above_threshold: taxSettingsFields.tax_eu_distance_sales_above_threshold.optional(),
		version: z.number().int().min(1).optional().meta({ description: "The version you read; a stale one is refused." }),
	})
	.meta({ id: "SettingsUpdate", example: { invoice_number_format: "ACME-{YYYY}/{NNNNN}" } });

export const presentSettings = (row: typeof tenants.$inferSelect, withSecret = false) => ({
	object: "settings" as const,
	tenant_id: row.id,
	name: row.name,
	default_currency: row.defaultCurrency,
	invoice_number_format: row.invoiceNumberFormat,
	time_zone: row.timeZone,
	erp_webhook_url: row.erpWebhookUrl,
	...(withSecret && row.erpWebhookSecret ? { erp_webhook_secret: row.erpWebhookSecret } : {}),
	tax_rounding: row.taxRounding,
	tax_prices_include_tax: row.taxPricesIncludeTax,
	tax_origin_country: row.taxOriginCountry,
	tax_origin_region: row.taxOriginRegion,
	tax_registrations: row.taxRegistrations,
	tax_oss_registered: row.taxOssRegistered,
	tax_eu_distance_sales_above_threshold: row.taxEuDistanceSalesAboveThreshold,
	version: row.settingsVersion,
});
