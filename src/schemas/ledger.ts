import { z } from "zod";
import type { journalEntries, journalLines } from "../db/schema";
import { accountTypes } from "../domain/ledger";
import { currencyCode, paginationQuery, timestamp } from "./common";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");

export const journalLineSchema = z
	.object({
		line_no: z.number().int(),
		account_code: z.string(),
		account_name: z.string(),
		description: z.string().nullable(),
		debit: z.number().int(),
		credit: z.number().int(),
		currency: z.string(),
		customer_id: z.string().nullable(),
		base_debit: z.number().int(),
		base_credit: z.number().int(),
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
		base_currency: z.string(),
		fx_rate: z.string().meta({ description: "Base units per unit of the entry's currency." }),
		base_total_debit: z.number().int(),
		base_total_credit: z.number().int(),
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
		base_debit: z.number().int(),
		base_credit: z.number().int(),
		base_balance: z.number().int().meta({ description: "The balance in the tenant's base currency." }),
	})
	.meta({ id: "LedgerBalanceRow" });

export const balancesSchema = z
	.object({
		object: z.literal("trial_balance"),
		as_of: z.string(),
		from: z.string().nullable(),
		accounts: z.array(balanceRowSchema),
		totals: z.array(z.object({ currency: z.string(), debit: z.number().int(), credit: z.number().int() })),
		base_currency: z.string(),
		base_totals: z.object({ debit: z.number().int(), credit: z.number().int() }),
	})
	.meta({ id: "TrialBalance" });

const accountCode = z
	.string()
	.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "must be 1 to 32 letters, digits, dots, dashes or underscores")
	.meta({ example: "4010" });

export const accountCreateBody = z
	.strictObject({ code: accountCode, name: z.string().trim().min(1).max(200), type: z.enum(accountTypes) })
	.meta({ id: "LedgerAccountCreate", example: { code: "4010", name: "Subscription revenue", type: "revenue" } });

export const accountSchema = z
	.object({
		object: z.literal("ledger_account"),
		code: z.string(),
		name: z.string(),
		type: z.enum(accountTypes),
		role: z.string().nullable().meta({ description: "The posting role the default account serves." }),
		built_in: z.boolean(),
	})
	.meta({ id: "LedgerAccount" });

export const mappingsBody = z
	.strictObject({
		mappings: z
			.record(
				z
					.string()
					.regex(
						/^(sku:.{1,100}|event:[a-z_]+:[a-z_]+|[a-z_]+(:[A-Za-z0-9-]{1,64})?)$/,
						"must be a role, role:JURISDICTION, sku:SKU or event:SOURCE:role",
					),
				accountCode.nullable(),
			)
			.refine((m) => Object.keys(m).length > 0 && Object.keys(m).length <= 200, "must name 1 to 200 mappings"),
	})
	.meta({
		id: "LedgerMappingsUpdate",
		example: {
			mappings: { revenue: "4010", "sku:SUB-1": "4020", "tax_payable:DE": "1776", "event:refund:cash": "1010" },
		},
		description:
			"Keys map a posting role, a role for one tax jurisdiction, a SKU's revenue, or a role in one kind of posting (event:invoice|payment|refund|credit_note|dispute:role) to an account; null removes one.",
	});

export const manualJournalBody = z
	.strictObject({
		date: z.iso.date("must be a date as YYYY-MM-DD"),
		currency: currencyCode,
		description: z.string().trim().min(1).max(500),
		entries: z
			.array(
				z.strictObject({
					account_code: accountCode,
					debit: z.number().int().min(0).default(0),
					credit: z.number().int().min(0).default(0),
					description: z.string().trim().max(500).optional(),
					source_ref: z.string().trim().max(200).optional(),
				}),
			)
			.min(2)
			.max(500),
		metadata: z.record(z.string(), z.string()).optional(),
	})
	.meta({
		id: "ManualJournalCreate",
		example: {
			date: "2026-01-31",
			currency: "EUR",
			description: "Accrued consulting revenue",
			entries: [
				{ account_code: "1100", debit: 50000 },
				{ account_code: "4000", credit: 50000 },
			],
		},
	});
export type ManualJournalInput = z.infer<typeof manualJournalBody>;

export const closePeriodBody = z
	.strictObject({
		through: z.iso.date("must be a date as YYYY-MM-DD").meta({ description: "Close the books through this day." }),
	})
	.meta({ id: "PeriodClose", example: { through: "2026-01-31" } });

export const periodsSchema = z
	.object({ object: z.literal("ledger_periods"), closed_through: z.string().nullable() })
	.meta({ id: "LedgerPeriods" });

/**
 * The key prefix (relative to the tenant's own, ending in '/') an export destination names: a plain
 * prefix or `r2://` one; null for any other scheme, an absolute path or a `..` segment.
 */
export function exportPrefix(destination: string): string | null {
	const path = destination.startsWith("r2://") ? destination.slice("r2://".length) : destination;
	if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("/")) return null;
	const segments = path.split("/").filter((segment) => segment !== "");
	if (segments.length === 0 || segments.some((s) => s === "." || s === ".." || !/^[\w.@=+-]+$/.test(s))) return null;
	return `${segments.join("/")}/`;
}

export const exportBody = z
	.strictObject({
		format: z
			.enum(["csv", "xero", "qbo"])
			.meta({ description: "csv, Xero's manual-journal import, or QuickBooks Online's journal-entry import." }),
		date_range: z.strictObject({ from: z.iso.date(), to: z.iso.date() }),
		mapping: z
			.strictObject({
				tax_rate: z
					.string()
					.min(1)
					.max(100)
					.optional()
					.meta({ description: "Xero TaxRate name for every line; default 'Tax Exempt'." }),
				account_names: z.record(z.string(), z.string().min(1).max(200)).optional().meta({
					description: "Names to use per account code (QuickBooks imports accounts by name).",
				}),
			})
			.optional(),
		destination: z
			.string()
			.max(512)
			.refine((d) => exportPrefix(d) !== null, {
				message:
					"must be a key prefix in this service's R2 storage, such as exports/2026/ or r2://exports/2026/ (s3://, https:// and other destinations are not supported)",
			})
			.optional()
			.meta({ description: "Where under your tenant's R2 prefix the file is written; exports/ by default." }),
	})
	.refine((b) => b.date_range.from <= b.date_range.to, {
		message: "from must not be after to",
		path: ["date_range", "to"],
	})
	.meta({ id: "AccountingExport", example: { format: "xero", date_range: { from: "2026-01-01", to: "2026-01-31" } } });

/** Above any real exchange rate (a bitcoin is about 10^9 Indonesian rupiah), so a typo is refused. */
const MAX_FX_RATE = 1_000_000_000_000;

export const fxRateBody = z
	.strictObject({
		currency: currencyCode,
		rate: z
			.union([z.number(), z.string()])
			.transform((value, ctx) => {
				// JSON.parse has already rounded an integer beyond 2^53: it is not the number the client sent.
				if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
					ctx.addIssue({ code: "custom", message: "is not exactly representable as a number; send it as a string" });
					return z.NEVER;
				}
				const text = String(value);
				if (!/^\d+(\.\d{1,10})?$/.test(text) || Number(text) <= 0) {
					ctx.addIssue({ code: "custom", message: "must be a positive decimal with up to 10 decimal places" });
					return z.NEVER;
				}
				if (Number(text) > MAX_FX_RATE) {
					ctx.addIssue({ code: "custom", message: `must be at most ${MAX_FX_RATE}` });
					return z.NEVER;
				}
				return text;
			})
			.meta({
				description: `Base-currency units per one unit of \`currency\`, above 0 and at most ${MAX_FX_RATE}; a decimal string keeps every digit.`,
				example: "0.9215",
			}),
		effective_date: z.iso.date(),
	})
	.meta({ id: "FxRateCreate", example: { currency: "USD", rate: "0.9215", effective_date: "2026-01-01" } });

export const fxRateSchema = z
	.object({
		object: z.literal("fx_rate"),
		currency: z.string(),
		base_currency: z.string(),
		rate: z.string(),
		effective_date: z.string(),
	})
	.meta({ id: "FxRate" });

/** A journal entry with its lines; `accountName` names each line's account as the tenant's chart does. */
export const presentJournalEntry = (
	entry: typeof journalEntries.$inferSelect,
	lines: (typeof journalLines.$inferSelect)[],
	accountName: (code: string) => string,
) => ({
	id: entry.id,
	object: "journal_entry" as const,
	entry_date: entry.entryDate,
	source: { type: entry.sourceType, id: entry.sourceId },
	customer_id: entry.customerId,
	currency: entry.currency,
	description: entry.description,
	total_debit: entry.totalDebit,
	total_credit: entry.totalCredit,
	base_currency: entry.baseCurrency,
	fx_rate: entry.fxRate,
	base_total_debit: entry.baseTotalDebit,
	base_total_credit: entry.baseTotalCredit,
	lines: lines.map((line) => ({
		line_no: line.lineNo,
		account_code: line.accountCode,
		account_name: accountName(line.accountCode),
		description: line.description,
		debit: line.debit,
		credit: line.credit,
		currency: line.currency,
		customer_id: line.customerId,
		base_debit: line.baseDebit,
		base_credit: line.baseCredit,
	})),
	created_at: entry.createdAt,
	request_id: entry.requestId,
});
