import { z } from "zod";
import { accountTypes } from "../domain/ledger";
import { currencyCode, paginationQuery, timestamp } from "./common";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

export const journalLineSchema = z
	.object({
		line_no: z.number().int(),
		account_code: z.string(),
		account_name: z.string(),
		debit: z.number().int(),
		credit: z.number().int(),
		currency: z.string(),
		customer_id: z.string().nullable(),
	})
	.meta({ id: "JournalLine" });

export const journalEntrySchema = z
	.object({
		id: z.string(),
		object: z.literal("journal_entry"),
		entry_date: z.string(),
		source: z.object({ type: z.string(), id: z.string() }).meta({ description: "The invoice, payment, … it posts." }),
		customer_id: z.string().nullable(),
		currency: z.string(),
		description: z.string(),
		total_debit: z.number().int(),
		total_credit: z.number().int(),
		lines: z.array(journalLineSchema),
		created_at: timestamp,
		request_id: z.string().nullable(),
	})
	.meta({ id: "JournalEntry" });

export const journalListQuery = paginationQuery.extend({
	account_code: z.string().min(1).max(64).optional(),
	source_type: z.string().min(1).max(64).optional(),
	source_id: z.string().min(1).max(64).optional(),
	customer_id: z.string().min(1).max(64).optional(),
	from: isoDate.optional().meta({ description: "Entries dated on or after this day." }),
	to: isoDate.optional().meta({ description: "Entries dated on or before this day." }),
});
export type JournalListQuery = z.infer<typeof journalListQuery>;

export const balancesQuery = z.object({
	as_of: isoDate.optional().meta({ description: "Balances at the end of this day; today by default." }),
	from: isoDate.optional().meta({ description: "Only movements from this day: the period's activity." }),
	currency: currencyCode.optional(),
});

export const balanceRowSchema = z
	.object({
		account_code: z.string(),
		name: z.string(),
		type: z.enum(accountTypes),
		currency: z.string(),
		debit: z.number().int(),
		credit: z.number().int(),
		balance: z.number().int().meta({ description: "Debit minus credit: positive for debit balances." }),
	})
	.meta({ id: "LedgerBalanceRow" });

export const balancesSchema = z
	.object({
		object: z.literal("trial_balance"),
		as_of: z.string(),
		from: z.string().nullable(),
		accounts: z.array(balanceRowSchema),
		totals: z.array(z.object({ currency: z.string(), debit: z.number().int(), credit: z.number().int() })),
	})
	.meta({ id: "TrialBalance" });
