import { and, eq, gte, lte, sql } from "drizzle-orm";
import { journalEntries, journalLines } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { describeAccount, loadChart } from "./chart";

/**
 * One row per account and currency: debits, credits and the debit-positive balance, as of a day and
 * optionally only for the period from `from`. Across all accounts each currency nets to zero.
 */
export async function trialBalance({
	ctx,
	asOf,
	from,
	currency,
}: {
	ctx: ServiceContext;
	asOf: string;
	from?: string;
	currency?: string;
}) {
	const chart = await loadChart(ctx);
	const rows = await ctx.db
		.select({
			accountCode: journalLines.accountCode,
			currency: journalLines.currency,
			debit: sql<number>`sum(${journalLines.debit})`,
			credit: sql<number>`sum(${journalLines.credit})`,
			baseDebit: sql<number>`sum(${journalLines.baseDebit})`,
			baseCredit: sql<number>`sum(${journalLines.baseCredit})`,
		})
		.from(journalLines)
		.innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
		.where(
			and(
				eq(journalLines.tenantId, ctx.tenantId),
				eq(journalEntries.tenantId, ctx.tenantId),
				lte(journalEntries.entryDate, asOf),
				from ? gte(journalEntries.entryDate, from) : undefined,
				currency ? eq(journalLines.currency, currency) : undefined,
			),
		)
		.groupBy(journalLines.accountCode, journalLines.currency)
		.orderBy(journalLines.accountCode, journalLines.currency);
	const totals = new Map<string, { currency: string; debit: number; credit: number }>();
	for (const row of rows) {
		const total = totals.get(row.currency) ?? { currency: row.currency, debit: 0, credit: 0 };
		total.debit += row.debit;
		total.credit += row.credit;
		totals.set(row.currency, total);
	}
	return {
		object: "trial_balance" as const,
		as_of: asOf,
		from: from ?? null,
		accounts: rows.map((row) => ({
			account_code: row.accountCode,
			...describeAccount(chart, row.accountCode),
			currency: row.currency,
			debit: row.debit,
			credit: row.credit,
			balance: row.debit - row.credit,
			base_debit: row.baseDebit,
			base_credit: row.baseCredit,
			base_balance: row.baseDebit - row.baseCredit,
		})),
		totals: [...totals.values()],
		base_currency: chart.baseCurrency,
		base_totals: {
			debit: rows.reduce((s, r) => s + r.baseDebit, 0),
			credit: rows.reduce((s, r) => s + r.baseCredit, 0),
		},
	};
}
