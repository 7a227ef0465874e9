import { z } from "zod";
import type { collectionCases, dunningAttempts, dunningRules, jobs } from "../db/schema";
import { DUNNING_ACTIONS, MAX_DAYS_AFTER_DUE, MAX_DUNNING_STEPS } from "../domain/dunning";
import { currencyCode, paginationQuery, prefixedId, timestamp } from "./common";
import { jobSchema, presentJob } from "./job";

export type DunningRuleRow = typeof dunningRules.$inferSelect;
export type DunningAttemptRow = typeof dunningAttempts.$inferSelect;
export type CollectionCaseRow = typeof collectionCases.$inferSelect;

const isoDate = z.iso.date("must be a date, YYYY-MM-DD");

const dunningStep = z.strictObject({
	days_after_due: z
		.number()
		.int()
		.min(0)
		.max(MAX_DAYS_AFTER_DUE)
		.meta({ description: "Days after the invoice's due date; each step's later than the one before." }),
	action: z.enum(DUNNING_ACTIONS).meta({
		description:
			"`email` sends the reminder with the invoice's PDF; `sms` a text message to the customer's phone; " +
			"`hold_services` puts the customer's services on hold.",
	}),
	template_id: prefixedId("tmpl")
		.nullable()
		.optional()
		.meta({ description: "An email step's `reminder` template; without one, the tenant's own or the default." }),
});

const steps = z.array(dunningStep).min(1).max(MAX_DUNNING_STEPS);
const name = z.string().trim().min(1).max(200);
const escalation = z
	.enum(["case"])
	.nullable()
	.meta({ description: "`case`: once an invoice went through every step, its customer gets an open collection case." });

export const dunningRuleCreateBody = z
	.strictObject({
		name,
		steps,
		escalation: escalation.optional(),
		currency: currencyCode.nullable().optional().meta({ description: "Only invoices in this currency; default any." }),
		is_default: z
			.boolean()
			.optional()
			.meta({ description: "The rule customers without their own follow (else the only active rule)." }),
		active: z.boolean().optional().meta({ description: "Default true." }),
	})
	.meta({
		id: "DunningRuleCreate",
		example: {
			name: "Standard",
			steps: [
				{ days_after_due: 3, action: "email", template_id: "tmpl_01JD3Q8W5Z9K2M4N6P8R0T2V4X" },
				{ days_after_due: 14, action: "sms" },
				{ days_after_due: 30, action: "hold_services" },
			],
			escalation: "case",
			is_default: true,
		},
	});

export const dunningRuleUpdateBody = z
	.strictObject({
		name: name.optional(),
		steps: steps.optional(),
		escalation: escalation.optional(),
		currency: currencyCode.nullable().optional(),
		is_default: z.boolean().optional(),
		active: z.boolean().optional(),
		version: z.number().int().min(1).optional().meta({ description: "The version you last read; stale is refused." }),
	})
	.meta({ id: "DunningRuleUpdate" });

export type DunningRuleInput = z.infer<typeof dunningRuleCreateBody>;
export type DunningRuleUpdate = z.infer<typeof dunningRuleUpdateBody>;

export const dunningRuleSchema = z
	.object({
		id: z.string(),
		object: z.literal("dunning_rule"),
		name: z.string(),
		steps: z.array(
			z.object({
				days_after_due: z.number().int(),
				action: z.enum(DUNNING_ACTIONS),
				template_id: z.string().nullable(),
			}),
		),
		escalation: z.enum(["case"]).nullable(),
		currency: z.string().nullable(),
		is_default: z.boolean(),
		active: z.boolean(),
		version: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
	})
	.meta({ id: "DunningRule" });

export const presentDunningRule = (row: DunningRuleRow) => ({
	id: row.id,
	object: "dunning_rule" as const,
	name: row.name,
	steps: row.steps,
	escalation: row.escalation,
	currency: row.currency,
	is_default: row.isDefault,
	active: row.active,
	version: row.version,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});

export const dunningRuleListQuery = paginationQuery.extend({
	active: z.enum(["true", "false"]).optional().meta({ description: "Only active (or inactive) rules." }),
});
export type DunningRuleListQuery = z.infer<typeof dunningRuleListQuery>;

export const dunningRunBody = z
	.strictObject({
		date: isoDate.optional().meta({ description: "The business day to dun as of; default the tenant's today." }),
	})
	.meta({ id: "DunningRun" });

const dunningAttemptSchema = z.object({
	id: z.string(),
	invoice_id: z.string(),
	customer_id: z.string(),
	rule_id: z.string(),
	days_after_due: z.number().int(),
	action: z.enum(DUNNING_ACTIONS),
	template_id: z.string().nullable(),
	status: z.enum(["pending", "succeeded", "failed"]),
	error: z.string().nullable(),
	delivery_id: z.string().nullable(),
	provider_message_id: z.string().nullable(),
	run_date: z.string(),
	created_at: timestamp,
});

export const presentDunningAttempt = (row: DunningAttemptRow) => ({
	id: row.id,
	invoice_id: row.invoiceId,
	customer_id: row.customerId,
	rule_id: row.ruleId,
	days_after_due: row.daysAfterDue,
	action: row.action,
	template_id: row.templateId,
	status: row.status,
	error: row.error,
	delivery_id: row.deliveryId,
	provider_message_id: row.providerMessageId,
	run_date: row.runDate,
	created_at: row.createdAt,
});

export const dunningJobSchema = jobSchema
	.extend({
		steps: z
			.array(dunningAttemptSchema)
			.meta({ description: "Each invoice's steps this run took (up to 1,000), with their outcome." }),
	})
	.meta({ id: "DunningJob" });

export const presentDunningJob = (job: typeof jobs.$inferSelect, attempts: DunningAttemptRow[]) => ({
	...presentJob(job),
	steps: attempts.map(presentDunningAttempt),
});

export const collectionCaseSchema = z
	.object({
		id: z.string(),
		object: z.literal("collection_case"),
		customer_id: z.string(),
		rule_id: z.string(),
		invoice_ids: z.array(z.string()),
		status: z.enum(["open", "resolved"]),
		opened_at: timestamp,
		resolved_at: timestamp.nullable(),
		resolution: z.string().nullable().meta({ description: "How the case ended, as written when it was resolved." }),
		version: z.number().int(),
	})
	.meta({ id: "CollectionCase" });

export const presentCollectionCase = (row: CollectionCaseRow) => ({
	id: row.id,
	object: "collection_case" as const,
	customer_id: row.customerId,
	rule_id: row.ruleId,
	invoice_ids: row.invoiceIds,
	status: row.status,
	opened_at: row.openedAt,
	resolved_at: row.resolvedAt,
	resolution: row.resolution,
	version: row.version,
});

export const collectionCaseResolveBody = z
	.strictObject({
		resolution: z
			.string()
			.trim()
			.min(1)
			.max(500)
			.meta({ description: "How it ended, e.g. paid in full, payment plan agreed, sent to an agency." }),
	})
	.meta({ id: "CollectionCaseResolve" });

export const collectionCaseListQuery = paginationQuery.extend({
	status: z.enum(["open", "resolved"]).optional(),
	customer_id: prefixedId("cus").optional(),
});
export type CollectionCaseListQuery = z.infer<typeof collectionCaseListQuery>;
