import { z } from "zod";
import type { tenants } from "../db/schema";
import { isTimeZone } from "../domain/billingPeriods";
import { parseNumberFormat } from "../domain/invoiceNumber";
import { currencyCode, e164 } from "./common";
import { billingAddress, paymentTerms } from "./customer";
import { electronicAddress } from "./einvoice";
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

/** A BCP 47 tag documents format amounts and dates in. */
const localeTag = z
	.string()
	.max(35)
	.refine((tag) => {
		try {
			return Intl.NumberFormat.supportedLocalesOf(tag).length === 1;
		} catch {
			return false;
		}
	}, "is not a supported BCP 47 locale, e.g. de-DE");

/** When revenue is recognized: over the service period, when invoiced, or when paid. */
const revenueRecognitionPolicy = z.enum(["ratable", "on_invoice", "on_payment"]).meta({
	description:
		"ratable: spread over each line's service period; on_invoice: when the invoice is issued; on_payment: when paid.",
});

const legalProfile = z
	.strictObject({
		legal_name: z.string().trim().min(1).max(200),
		address_lines: z.array(z.string().trim().min(1).max(200)).max(6).default([]),
		tax_id: z.string().trim().min(1).max(50).nullable().default(null),
		registration: z
			.string()
			.trim()
			.min(1)
			.max(200)
			.nullable()
			.default(null)
			.meta({ description: "Company register entry, e.g. 'Amtsgericht Berlin HRB 12345'." }),
		iban: z
			.string()
			.trim()
			.regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,36}$/, "is not an IBAN")
			.nullable()
			.default(null),
		bic: z
			.string()
			.trim()
			.regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, "is not a BIC")
			.nullable()
			.default(null),
		locale: localeTag.optional().meta({ description: "Defaults to the settings' `locale`." }),
		email_from: z.email().nullable().default(null).meta({ description: "Sender address of the tenant's emails." }),
		electronic_address: electronicAddress
			.nullable()
			.default(null)
			.meta({ description: "Where the tenant receives e-invoices (BT-34), e.g. its Peppol id." }),
		company_id: z
			.string()
			.trim()
			.min(1)
			.max(100)
			.nullable()
			.default(null)
			.meta({ description: "The company register number (BT-30), e.g. 'HRB 123456'.", example: "HRB 123456" }),
		contact: z
			.strictObject({
				name: z.string().trim().min(1).max(200).nullable().default(null),
				phone: z.string().trim().min(1).max(50).nullable().default(null),
				email: z.email().nullable().default(null),
			})
			.nullable()
			.default(null)
			.meta({ description: "Who answers questions about an invoice (BT-41..43; XRechnung requires it)." }),
		postal_address: billingAddress
			.nullable()
			.default(null)
			.meta({ description: "The seller's structured address on e-invoices (BG-5); the country is required there." }),
	})
	.meta({
		id: "LegalProfile",
		description: "What invoices, credit notes and statements print about the seller, and where to pay.",
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
		legal_profile: legalProfile.nullable(),
		logo: z
			.object({ content_type: z.enum(["image/png", "image/jpeg"]), size: z.number().int() })
			.nullable()
			.meta({ description: "The logo documents print." }),
		email_transport: z
			.object({ provider: z.enum(["send_email", "http"]), endpoint: z.string().nullable() })
			.meta({ description: "How the tenant's emails leave; the API token is stored encrypted and never shown." }),
		sms_transport: z.object({ endpoint: z.string(), account_sid: z.string(), from: z.string() }).nullable().meta({
			description: "Where dunning's text messages leave; the auth token is stored encrypted and never shown.",
		}),
		...taxSettingsFields,
		rounding: taxSettingsFields.tax_rounding.meta({
			description: "The tax rounding mode: `tax_rounding` by another name.",
		}),
		default_payment_terms: paymentTerms.meta({
			description: "The payment terms of a new customer that names none, and so the due date of its invoices.",
		}),
		revenue_recognition_policy: revenueRecognitionPolicy,
		locale: localeTag.meta({ description: "Documents' locale where the legal profile names none." }),
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
		legal_profile: legalProfile.nullable().optional(),
		logo: z
			.strictObject({
				content_type: z.enum(["image/png", "image/jpeg"]),
				data: z.base64().meta({ description: "The image, base64-encoded; at most 512 KB decoded." }),
			})
			.nullable()
			.optional()
			.meta({ description: "A PNG or JPEG logo for the tenant's documents; null removes it." }),
		email_transport: z
			.discriminatedUnion("provider", [
				z.strictObject({ provider: z.literal("send_email") }),
				z.strictObject({
					provider: z.literal("http"),
					endpoint: z
						.url()
						.max(2048)
						.meta({ description: "A Postmark-style send endpoint, e.g. https://api.postmarkapp.com/email." }),
					token: z.string().min(1).max(500).meta({ description: "The server token; stored encrypted." }),
				}),
			])
			.optional()
			.meta({
				description:
					"send_email: the deployment's Cloudflare Email binding (the default); http: the tenant's own email API.",
			}),
		sms_transport: z
			.strictObject({
				endpoint: z.url().max(2048).meta({
					description: "The Messages API's base URL, e.g. https://api.twilio.com (the path /2010-04-01/… is added).",
				}),
				account_sid: z
					.string()
					.regex(/^[A-Za-z0-9]{1,64}$/, "must be letters and digits, e.g. AC0123…")
					.meta({ description: "The account the messages are sent from (Twilio's Account SID)." }),
				token: z.string().min(1).max(500).meta({ description: "The auth token; stored encrypted." }),
				from: e164.meta({ description: "The sending phone number, E.164." }),
			})
			.nullable()
			.optional()
			.meta({ description: "A Twilio-style Messages API for dunning's `sms` steps; null removes it." }),
		tax_rounding: taxSettingsFields.tax_rounding.optional(),
		tax_prices_include_tax: taxSettingsFields.tax_prices_include_tax.optional(),
		tax_origin_country: taxSettingsFields.tax_origin_country.optional(),
		tax_origin_region: taxSettingsFields.tax_origin_region.optional(),
		tax_registrations: taxSettingsFields.tax_registrations.optional(),
		tax_oss_registered: taxSettingsFields.tax_oss_registered.optional(),
		tax_eu_distance_sales_above_threshold: taxSettingsFields.tax_eu_distance_sales_above_threshold.optional(),
		rounding: taxSettingsFields.tax_rounding
			.optional()
			.meta({ description: "Sets `tax_rounding`; when both are sent they must agree." }),
		default_payment_terms: paymentTerms.optional(),
		revenue_recognition_policy: revenueRecognitionPolicy.optional(),
		locale: localeTag.optional(),
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
	rounding: row.taxRounding,
	default_payment_terms: row.defaultPaymentTerms,
	revenue_recognition_policy: row.revenueRecognitionPolicy,
	locale: row.locale,
	// Profiles saved before the e-invoicing fields existed show them empty.
	legal_profile: row.legalProfile && {
		electronic_address: null,
		company_id: null,
		contact: null,
		postal_address: null,
		...row.legalProfile,
	},
	logo: row.logo ? { content_type: row.logo.content_type, size: row.logo.size } : null,
	email_transport:
		row.emailTransport?.provider === "http"
			? { provider: "http" as const, endpoint: row.emailTransport.endpoint }
			: { provider: "send_email" as const, endpoint: null },
	sms_transport: row.smsTransport
		? { endpoint: row.smsTransport.endpoint, account_sid: row.smsTransport.account_sid, from: row.smsTransport.from }
		: null,
	version: row.settingsVersion,
});
