import { z } from "zod";
import type { statements } from "../db/schema";
import { currencyCode, timestamp } from "./common";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");
const money = z.number().int().meta({ description: "Minor units of the statement currency." });

export const statementCreateBody = z
	.strictObject({
		from: isoDate,
		to: isoDate.meta({ description: "At most five years after `from`." }),
		currency: currencyCode.optional().meta({ description: "The customer's currency when omitted." }),
	})
	.meta({ id: "StatementCreate", example: { from: "2026-01-01", to: "2026-03-31", currency: "EUR" } });

const statementEntry = z.object({
	date: isoDate,
	type: z.enum(["invoice", "payment", "credit_note", "refund", "write_off", "void"]),
	source_id: z.string(),
	reference: z.string(),
	debit: money,
	credit: money,
	balance: z.number().int(),
});

export const statementSchema = z
	.object({
		id: z.string(),
		object: z.literal("statement"),
		customer_id: z.string(),
		currency: z.string(),
		from: isoDate,
		to: isoDate,
		opening_balance: z.number().int().meta({ description: "What the customer owed before `from` (negative: credit)." }),
		entries: z.array(statementEntry),
		closing_balance: z.number().int().meta({ description: "What the customer owed at the end of `to`." }),
		aging: z.object({
			current: money,
			days_1_30: money,
			days_31_60: money,
			days_61_90: money,
			days_over_90: money,
		}),
		pdf_url: z.string(),
		created_at: timestamp,
	})
	.meta({ id: "Statement" });

export type StatementRow = typeof statements.$inferSelect;

export const presentStatement = (row: StatementRow) => ({
	id: row.id,
	object: "statement" as const,
	customer_id: row.customerId,
	currency: row.currency,
	from: row.periodFrom,
	to: row.periodTo,
	opening_balance: row.openingBalance,
	entries: row.entries,
	closing_balance: row.closingBalance,
	aging: row.aging as z.infer<typeof statementSchema>["aging"],
	pdf_url: `/v1/billing/statements/${row.id}?format=pdf`,
	created_at: row.createdAt,
});

export const statementGetQuery = z.object({
	format: z
		.enum(["json", "pdf"])
		.optional()
		.meta({ description: "pdf downloads the file (as Accept: application/pdf)." }),
});
