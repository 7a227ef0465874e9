import { and, asc, eq, exists, gte, inArray, lte, sql } from "drizzle-orm";
import { byIdChunks } from "../../db/chunks";
import { journalEntries, journalLines } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { JournalListQuery } from "../../schemas/ledger";
import { paginate } from "../pagination";
import { type Chart, describeAccount, loadChart } from "./chart";

type EntryRow = typeof journalEntries.$inferSelect;
type LineRow = typeof journalLines.$inferSelect;

const presentEntry = (entry: EntryRow, lines: LineRow[], chart: Chart) => ({
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
		account_name: describeAccount(chart, line.accountCode).name,
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

async function linesOf(ctx: ServiceContext, entryIds: string[]) {
	const rows = await byIdChunks(entryIds, (chunk) =>
		ctx.db
			.select()
			.from(journalLines)
			.where(and(eq(journalLines.tenantId, ctx.tenantId), inArray(journalLines.entryId, chunk)))
			.orderBy(asc(journalLines.entryId), asc(journalLines.lineNo)),
	);
	const byEntry = new Map<string, LineRow[]>();
	for (const row of rows) byEntry.set(row.entryId, [...(byEntry.get(row.entryId) ?? []), row]);
	return byEntry;
}

export async function listJournals({ ctx, query }: { ctx: ServiceContext; query: JournalListQuery }) {
	const touchesAccount = query.account_code
		? exists(
				ctx.db
					.select({ one: sql`1` })
					.from(journalLines)
					.where(
						and(
							eq(journalLines.tenantId, ctx.tenantId),
							eq(journalLines.entryId, journalEntries.id),
							eq(journalLines.accountCode, query.account_code),
						),
					),
			)
		: undefined;
	const filters = and(
		eq(journalEntries.tenantId, ctx.tenantId),
		query.source_type ? eq(journalEntries.sourceType, query.source_type) : undefined,
		query.source_id ? eq(journalEntries.sourceId, query.source_id) : undefined,
		query.customer_id ? eq(journalEntries.customerId, query.customer_id) : undefined,
		query.from ? gte(journalEntries.entryDate, query.from) : undefined,
		query.to ? lte(journalEntries.entryDate, query.to) : undefined,
		touchesAccount,
	);
	const page = await paginate({
		query,
		idColumn: journalEntries.id,
		run: (p) =>
			ctx.db
				.select()
				.from(journalEntries)
				.where(and(filters, p.where))
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: (row) => row,
	});
	const [lines, chart] = await Promise.all([
		linesOf(
			ctx,
			page.data.map((e) => e.id),
		),
		loadChart(ctx),
	]);
	return { ...page, data: page.data.map((entry) => presentEntry(entry, lines.get(entry.id) ?? [], chart)) };
}

export async function getJournal({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const entry = await ctx.db
		.select()
		.from(journalEntries)
		.where(and(eq(journalEntries.tenantId, ctx.tenantId), eq(journalEntries.id, id)))
		.get();
	if (!entry) throw notFound("journal entry", id);
	const [lines, chart] = await Promise.all([linesOf(ctx, [id]), loadChart(ctx)]);
	return presentEntry(entry, lines.get(id) ?? [], chart);
}
