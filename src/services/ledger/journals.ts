import { and, asc, eq, exists, gte, inArray, lte, sql } from "drizzle-orm";
import { byIdChunks } from "../../db/chunks";
import { journalEntries, journalLines } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { JournalListQuery } from "../../schemas/ledger";
import { presentJournalEntry } from "../../schemas/ledger";
import { paginate } from "../pagination";
import { type Chart, describeAccount, loadChart } from "./chart";
import type { PreparedJournal } from "./journalStatements";

async function linesOf(ctx: ServiceContext, entryIds: string[]) {
	const rows = await byIdChunks(entryIds, (chunk) =>
		ctx.db
			.select()
			.from(journalLines)
			.where(and(eq(journalLines.tenantId, ctx.tenantId), inArray(journalLines.entryId, chunk)))
			.orderBy(asc(journalLines.entryId), asc(journalLines.lineNo)),
	);
	const byEntry = new Map<string, (typeof journalLines.$inferSelect)[]>();
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
	return {
		...page,
		data: page.data.map((entry) => presentJournalEntry(entry, lines.get(entry.id) ?? [], accountNameIn(chart))),
	};
}

export async function getJournal({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const entry = await ctx.db
		.select()
		.from(journalEntries)
		.where(idInTenant(journalEntries, ctx.tenantId, id))
		.get();
	if (!entry) throw notFound("journal entry", id);
	const [lines, chart] = await Promise.all([linesOf(ctx, [id]), loadChart(ctx)]);
	return presentJournalEntry(entry, lines.get(id) ?? [], accountNameIn(chart));
}

const accountNameIn = (chart: Chart) => (code: string) => describeAccount(chart, code).name;

/** A journal as its statements write it, presented as `getJournal` reads it back. */
export const presentWrittenJournal = ({ written }: PreparedJournal, chart: Chart) =>
	presentJournalEntry(written.entry, written.lines, accountNameIn(chart));
