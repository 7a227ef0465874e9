import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { insertRows, preparedQuery } from "../../db/client";
import { journalEntries, journalLines } from "../../db/schema";
import { formatDecimal } from "../../domain/decimal";
import { inBase, parseRate } from "../../domain/fx";
import { accountCodeFor, isBalanced, type Posting } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { type Chart, loadChart, openPostingDate, rateOn } from "./chart";

export type JournalRequest = {
	entryDate: string;
	source: { type: string; id: string };
	customerId: string | null;
	currency: string;
	description: string;
	/** Role-based lines from a posting rule, mapped through the tenant's chart. */
	posting?: Posting;
	/** Or lines on explicit accounts (manual journals). */
	lines?: { accountCode: string; debit: number; credit: number; description?: string | null }[];
};

export type PreparedJournal = {
	entryId: string;
	entryDate: string;
	rate: string;
	statements: BatchItem<"sqlite">[];
	/** The entry and its lines as the statements write them (the entry's totals summed here as there). */
	written: { entry: typeof journalEntries.$inferSelect; lines: (typeof journalLines.$inferSelect)[] };
};

type SourceLine = { accountCode: string; debit: number; credit: number; description: string | null; rate?: string };

/**
 * The statements that post one journal entry, in its currency and in the tenant's base currency at the
 * rate in force on its date (lines carried at another rate, such as a receivable at its invoice's rate,
 * keep theirs; the difference posts to FX gain or loss). Both sets of totals are summed by the
 * database from the lines just written, so the entry's CHECK refuses an unbalanced journal whatever
 * the code above computed. Automatic postings dated inside a closed period move to the first open day.
 */
export async function journalStatements(
	ctx: ServiceContext,
	request: JournalRequest,
	chart?: Chart,
): Promise<PreparedJournal> {
	const resolved = chart ?? (await loadChart(ctx));
	if (request.posting && !isBalanced(request.posting)) {
		throw new Error(`unbalanced posting for ${request.source.type} ${request.source.id}`);
	}
	const entryId = newId("journal");
	const entryDate = request.posting ? openPostingDate(request.entryDate, resolved.closedThrough) : request.entryDate;
	const rate = await rateOn(ctx, resolved, request.currency, entryDate);
	const source: SourceLine[] = request.posting
		? mergeByAccount(request.posting, resolved, request.source.type)
		: (request.lines ?? []).map((l) => ({ ...l, description: l.description ?? null }));
	const base = inBase(
		source.map((l) => ({ debit: l.debit, credit: l.credit, rate: l.rate ? parseRate(l.rate) : undefined })),
		parseRate(rate),
		request.currency,
		resolved.baseCurrency,
	);
	const withFx = [
		...source.map((line, i) => ({ ...line, ...(base.lines[i] as { baseDebit: number; baseCredit: number }) })),
		...(base.fx
			? [
					{
						accountCode: accountCodeFor({ role: "fx_gain_loss" }, resolved),
						debit: 0,
						credit: 0,
						description: "Exchange difference",
						...base.fx,
					},
				]
			: []),
	];
	const lines = withFx.map((line, lineNo) => ({
		id: newId("journalLine"),
		tenantId: ctx.tenantId,
		entryId,
		lineNo,
		accountCode: line.accountCode,
		debit: line.debit,
		credit: line.credit,
		currency: request.currency,
		customerId: request.customerId,
		description: line.description,
		baseDebit: line.baseDebit,
		baseCredit: line.baseCredit,
	}));
	const entry = {
		id: entryId,
		tenantId: ctx.tenantId,
		entryDate,
		sourceType: request.source.type,
		sourceId: request.source.id,
		customerId: request.customerId,
		currency: request.currency,
		description: request.description,
		baseCurrency: resolved.baseCurrency,
		fxRate: formatDecimal(parseRate(rate)),
		createdAt: ctx.clock.now().toISOString(),
		requestId: ctx.requestId,
	};
	const statements = [...insertRows(ctx.db, journalLines, lines), insertJournalEntry(ctx.db, entry)];
	const total = (column: "debit" | "credit" | "baseDebit" | "baseCredit") =>
		lines.reduce((sum, line) => sum + line[column], 0);
	const totals = {
		totalDebit: total("debit"),
		totalCredit: total("credit"),
		baseTotalDebit: total("baseDebit"),
		baseTotalCredit: total("baseCredit"),
	};
	return { entryId, entryDate, rate, statements, written: { entry: { ...entry, ...totals }, lines } };
}

/** The entry after its lines: its totals are the database's sums of the lines just written. */
const insertJournalEntry = preparedQuery((db) => {
	const id = sql.placeholder("id");
	const sumOf = (
		column:
			| typeof journalLines.debit
			| typeof journalLines.credit
			| typeof journalLines.baseDebit
			| typeof journalLines.baseCredit,
	) => sql<number>`(select coalesce(sum(${column}), 0) from ${journalLines} where ${journalLines.entryId} = ${id})`;
	return db.insert(journalEntries).values({
		id,
		tenantId: sql.placeholder("tenantId"),
		entryDate: sql.placeholder("entryDate"),
		sourceType: sql.placeholder("sourceType"),
		sourceId: sql.placeholder("sourceId"),
		customerId: sql.placeholder("customerId"),
		currency: sql.placeholder("currency"),
		description: sql.placeholder("description"),
		totalDebit: sumOf(journalLines.debit),
		totalCredit: sumOf(journalLines.credit),
		baseCurrency: sql.placeholder("baseCurrency"),
		fxRate: sql.placeholder("fxRate"),
		baseTotalDebit: sumOf(journalLines.baseDebit),
		baseTotalCredit: sumOf(journalLines.baseCredit),
		createdAt: sql.placeholder("createdAt"),
		requestId: sql.placeholder("requestId"),
	});
});

/** Role lines mapped to accounts; lines landing on the same account, side and rate become one. */
function mergeByAccount(posting: Posting, chart: Chart, source: string): SourceLine[] {
	const merged = new Map<string, SourceLine>();
	for (const line of posting.lines) {
		const accountCode = accountCodeFor(line, chart, source);
		const key = `${accountCode}|${line.debit > 0 ? "debit" : "credit"}|${line.rate ?? ""}`;
		const entry = merged.get(key) ?? {
			accountCode,
			debit: 0,
			credit: 0,
			description: null,
			...(line.rate ? { rate: line.rate } : {}),
		};
		entry.debit += line.debit;
		entry.credit += line.credit;
		merged.set(key, entry);
	}
	return [...merged.values()];
}
