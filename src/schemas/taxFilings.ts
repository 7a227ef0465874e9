import { z } from "zod";
import { currencyCode, prefixedId, timestamp } from "./common";
import { journalEntrySchema } from "./ledger";

const jurisdiction = z
	.string()
	.trim()
	.regex(/^[A-Z]{2}(-[A-Z0-9]{1,8})?$/, "must be a country code, optionally with a region (DE, US-NY)")
	.meta({ example: "DE" });

export const taxReportQuery = z
	.object({
		from: z.iso.date().meta({ description: "First day of the period (journal entry dates)." }),
		to: z.iso.date().meta({ description: "Last day of the period." }),
		jurisdiction: jurisdiction.optional(),
	})
	.refine((q) => q.from <= q.to, { message: "must not be before from", path: ["to"] });

export const taxAdjustmentBody = z
	.strictObject({
		jurisdiction,
		direction: z
			.enum(["increase", "decrease"])
			.meta({ description: "`increase`: more tax is owed than the invoices charged; `decrease`: less." }),
		amount: z.number().int().positive().meta({ description: "Minor units of `currency`." }),
		currency: currencyCode,
		date: z.iso
			.date("must be a date as YYYY-MM-DD")
			.optional()
			.meta({ description: "The day the correction is booked; today when left out. Must be in an open period." }),
		reason: z.string().trim().min(1).max(500),
		invoice_id: prefixedId("inv")
			.optional()
			.meta({ description: "The issued invoice the correction concerns, if one." }),
	})
	.meta({
		id: "TaxAdjustmentCreate",
		example: {
			jurisdiction: "DE",
			direction: "increase",
			amount: 1900,
			currency: "EUR",
			reason: "Rate error on INV-2026-0042",
		},
	});
export type TaxAdjustmentInput = z.infer<typeof taxAdjustmentBody>;

export const taxAdjustmentSchema = z
	.object({
		object: z.literal("tax_adjustment"),
		id: z.string(),
		jurisdiction: z.string(),
		direction: z.enum(["increase", "decrease"]),
		amount: z.number().int(),
		currency: z.string(),
		date: z.string(),
		reason: z.string(),
		invoice_id: z.string().nullable(),
		journal_entry_id: z.string(),
		created_at: timestamp,
		journal: journalEntrySchema.meta({ description: "The balanced journal that books it." }),
	})
	.meta({ id: "TaxAdjustment" });

export const taxRegistrationBody = z
	.strictObject({
		invoice_id: prefixedId("inv"),
		provider: z
			.union([z.literal("internal"), prefixedId("txp")])
			.optional()
			.meta({ description: "`internal` (the default) records it here; a tax provider's id calls that service." }),
	})
	.meta({ id: "TaxRegistrationCreate", example: { invoice_id: "inv_01JD3Q8W5Z9K2M4N6P8R0T2V4X" } });

export const taxRegistrationSchema = z
	.object({
		object: z.literal("tax_registration"),
		id: z.string(),
		invoice_id: z.string(),
		provider: z.string(),
		status: z.enum(["registered", "failed"]),
		provider_reference: z.string().nullable().meta({ description: "The service's id for the registration." }),
		error: z.string().nullable().meta({ description: "Why the last attempt failed." }),
		attempts: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
	})
	.meta({ id: "TaxRegistration" });
