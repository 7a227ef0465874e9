import { z } from "zod";
import { type customerNotes, type customers, EINVOICE_FORMATS } from "../db/schema";
import { parsePaymentTerms } from "../domain/paymentTerms";
import { currencyCode, e164, metadata, paginationQuery, prefixedId, timestamp } from "./common";
import { einvoiceFormat, electronicAddress } from "./einvoice";

const text = (max: number) => z.string().trim().min(1).max(max);

export const billingAddress = z
	.strictObject({
		line1: text(200).optional(),
		line2: text(200).optional(),
		city: text(100).optional(),
		state: text(100).optional(),
		postal_code: text(20).optional(),
		country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, such as DE"),
	})
	.meta({ id: "BillingAddress" });

export const paymentTerms = z
	.string()
	.refine(
		(value) => parsePaymentTerms(value) !== null,
		"must be net30, net_N (N from 0 to 365), due_on_receipt or prepaid",
	)
	.meta({ description: "When invoices fall due: net30, net_N, due_on_receipt or prepaid.", example: "net30" });

const email = z
	.email("must be an email address")
	.max(254)
	.transform((value) => value.toLowerCase());

const buyerReference = text(200).meta({
	description:
		"BT-10 on the customer's e-invoices: the reference it asks for, or the Leitweg-ID of a German authority " +
		"(checked, with its check digits, when the preferred format is xrechnung).",
	example: "04011000-1234512345-06",
});
const taxStatus = z.enum(["taxable", "exempt", "reverse_charge"]).meta({
	description:
		"How the tax engine treats the customer: `taxable` as its place and tax id decide, `exempt` (with tax_exemption_reason), or `reverse_charge` (needs tax_id).",
});
const exemptionReason = text(500).meta({ description: "Printed on its invoices when exempt (BT-120)." });
const exemptionReasonCode = text(40).meta({ description: "VATEX code (BT-121)", example: "VATEX-EU-132-1I" });

export const customerCreateBody = z
	.strictObject({
		name: text(200),
		email: email.optional(),
		billing_address: billingAddress.optional(),
		tax_id: text(64).optional(),
		electronic_address: electronicAddress.optional(),
		buyer_reference: buyerReference.optional(),
		preferred_einvoice_format: einvoiceFormat
			.optional()
			.meta({ description: "The e-invoice the invoice email attaches besides the PDF." }),
		tax_status: taxStatus.optional().meta({ description: "Default `taxable`." }),
		tax_exemption_reason: exemptionReason.optional(),
		tax_exemption_reason_code: exemptionReasonCode.optional(),
		currency: currencyCode.optional().meta({ description: "Defaults to the tenant's default currency." }),
		payment_terms: paymentTerms.optional().meta({ description: "Defaults to the settings' `default_payment_terms`." }),
		account_code: text(64).optional(),
		segment: text(64).optional(),
		external_id: text(128)
			.optional()
			.meta({ description: "Your own id for the customer, unique in your tenant: imports match on it." }),
		phone: e164.optional().meta({ description: "E.164, for dunning's text messages." }),
		dunning_rule_id: prefixedId("dunr")
			.optional()
			.meta({ description: "The dunning rule its overdue invoices follow instead of the tenant's default." }),
		metadata: metadata.optional(),
		test_clock_id: z
			.string()
			.min(1)
			.max(64)
			.optional()
			.meta({ description: "Bill this customer on a test clock's time." }),
	})
	.meta({
		id: "CustomerCreate",
		example: {
			name: "Acme GmbH",
			email: "billing@acme.example",
			billing_address: { line1: "Hauptstr. 1", city: "Berlin", postal_code: "10115", country: "DE" },
			tax_id: "DE123456789",
			currency: "EUR",
			payment_terms: "net30",
		},
	});

export const customerUpdateBody = z
	.strictObject({
		name: text(200).optional(),
		email: email.nullable().optional(),
		billing_address: z.union([billingAddress, z.null()]).optional(),
		tax_id: text(64).nullable().optional(),
		electronic_address: electronicAddress.nullable().optional(),
		buyer_reference: buyerReference.nullable().optional(),
		preferred_einvoice_format: einvoiceFormat.nullable().optional(),
		tax_status: taxStatus.optional(),
		tax_exemption_reason: exemptionReason.nullable().optional(),
		tax_exemption_reason_code: exemptionReasonCode.nullable().optional(),
		currency: currencyCode.optional(),
		payment_terms: paymentTerms.optional(),
		account_code: text(64).nullable().optional(),
		segment: text(64).nullable().optional(),
		external_id: text(128).nullable().optional(),
		phone: e164.nullable().optional(),
		dunning_rule_id: prefixedId("dunr").nullable().optional(),
		services_held_at: z
			.null()
			.optional()
			.meta({ description: "`null` releases the hold a dunning `hold_services` step put on its services." }),
		metadata: metadata.optional(),
		version: z.number().int().min(1).optional().meta({
			description: "The version you last read; a stale version is refused (or send If-Match).",
		}),
	})
	.meta({ id: "CustomerUpdate", example: { payment_terms: "net_45", version: 1 } });

export type CustomerCreateInput = z.infer<typeof customerCreateBody>;
export type CustomerUpdateInput = Omit<z.infer<typeof customerUpdateBody>, "version">;

export const customerSchema = z
	.object({
		id: z.string().meta({ example: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X" }),
		object: z.literal("customer"),
		name: z.string(),
		email: z.string().nullable(),
		billing_address: z.union([billingAddress, z.null()]),
		tax_id: z.string().nullable(),
		electronic_address: z.object({ value: z.string(), scheme: z.string() }).nullable(),
		buyer_reference: z.string().nullable(),
		preferred_einvoice_format: z.enum(EINVOICE_FORMATS).nullable(),
		tax_status: z.enum(["taxable", "exempt", "reverse_charge"]),
		tax_exemption_reason: z.string().nullable(),
		tax_exemption_reason_code: z.string().nullable(),
		currency: z.string(),
		payment_terms: z.string(),
		account_code: z.string().nullable(),
		segment: z.string().nullable(),
		external_id: z.string().nullable(),
		test_clock_id: z.string().nullable(),
		phone: z.string().nullable(),
		dunning_rule_id: z.string().nullable(),
		services_held_at: timestamp
			.nullable()
			.meta({ description: "Since when its services are on hold (a dunning `hold_services` step); null: not held." }),
		status: z.enum(["active", "deleted"]),
		metadata: z.record(z.string(), z.string()),
		version: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
		deleted_at: timestamp.nullable(),
	})
	.meta({
		id: "Customer",
		example: {
			id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
			object: "customer",
			name: "Acme GmbH",
			email: "billing@acme.example",
			billing_address: { line1: "Hauptstr. 1", city: "Berlin", postal_code: "10115", country: "DE" },
			tax_id: "DE123456789",
			electronic_address: { value: "DE123456789", scheme: "9930" },
			buyer_reference: null,
			preferred_einvoice_format: "xrechnung",
			tax_status: "taxable",
			tax_exemption_reason: null,
			tax_exemption_reason_code: null,
			currency: "EUR",
			payment_terms: "net30",
			account_code: null,
			segment: "enterprise",
			external_id: null,
			test_clock_id: null,
			phone: null,
			dunning_rule_id: null,
			services_held_at: null,
			status: "active",
			metadata: {},
			version: 1,
			created_at: "2026-01-15T09:00:00.000Z",
			updated_at: "2026-01-15T09:00:00.000Z",
			deleted_at: null,
		},
	});

export type Customer = z.infer<typeof customerSchema>;

export type CustomerRow = typeof customers.$inferSelect;

export const presentCustomer = (row: CustomerRow): Customer => ({
	id: row.id,
	object: "customer",
	name: row.name,
	email: row.email,
	billing_address: row.billingAddress,
	tax_id: row.taxId,
	electronic_address: row.electronicAddress,
	buyer_reference: row.buyerReference,
	preferred_einvoice_format: row.preferredEinvoiceFormat,
	tax_status: row.taxStatus,
	tax_exemption_reason: row.taxExemptionReason,
	tax_exemption_reason_code: row.taxExemptionReasonCode,
	currency: row.currency,
	payment_terms: row.paymentTerms,
	account_code: row.accountCode,
	segment: row.segment,
	external_id: row.externalId,
	test_clock_id: row.testClockId,
	phone: row.phone,
	dunning_rule_id: row.dunningRuleId,
	services_held_at: row.servicesHeldAt,
	status: row.status,
	metadata: row.metadata,
	version: row.version,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
	deleted_at: row.deletedAt,
});

export const customerListQuery = paginationQuery.extend({
	status: z.enum(["active", "deleted", "all"]).default("active"),
	segment: z.string().min(1).max(64).optional(),
	email: z.string().min(1).max(254).optional(),
});

export type CustomerListQuery = z.infer<typeof customerListQuery>;

export const customerNoteBody = z
	.strictObject({ body: text(5000) })
	.meta({ id: "CustomerNoteCreate", example: { body: "Promised to pay by Friday." } });

export const customerNoteSchema = z
	.object({
		id: z.string(),
		object: z.literal("customer_note"),
		customer_id: z.string(),
		body: z.string(),
		author_id: z.string(),
		created_at: timestamp,
	})
	.meta({ id: "CustomerNote" });

export const presentNote = (row: typeof customerNotes.$inferSelect) => ({
	id: row.id,
	object: "customer_note" as const,
	customer_id: row.customerId,
	body: row.body,
	author_id: row.authorId,
	created_at: row.createdAt,
});
