import { eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { journalEntries, journalLines } from "../../db/schema";
import { defaultAccountCode, isBalanced, type Posting } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";

/** D1 binds at most 100 parameters per statement; a journal line binds 9. */
const LINES_PER_INSERT = 11;

export type JournalRequest = {
	entryDate: string;
	source: { type: string; id: string };
	customerId: string | null;
	currency: string;
	description: string;
	posting: Posting;
};

/**
 * The statements that post one journal entry. Its totals are summed by the database from the lines
 * just written, so the entry's CHECK refuses an unbalanced journal whatever the code above computed.
 */
export function journalStatements(
	ctx: ServiceContext,
	request: JournalRequest,
): { entryId: string; statements: BatchItem<"sqlite">[] } {
	if (!isBalanced(request.posting))
		throw new Error(`unbalanced posting for ${request.source.type} ${request.source.id}`);
	const entryId = newId("journal");
	const lines = request.posting.lines.map((line, lineNo) => ({
		id: newId("journalLine"),
		tenantId: ctx.tenantId,
		entryId,
		lineNo,
		accountCode: defaultAccountCode(line.role, line.jurisdiction),
		debit: line.debit,
		credit: line.credit,
		currency: request.currency,
		customerId: request.customerId,
	}));
	const statements: BatchItem<"sqlite">[] = [];
	for (let i = 0; i < lines.length; i += LINES_PER_INSERT) {
		statements.push(ctx.db.insert(journalLines).values(lines.slice(i, i + LINES_PER_INSERT)));
	}
	const sumOf = (column: typeof journalLines.debit | typeof journalLines.credit) =>
		sql<number>`(select coalesce(sum(${column}), 0) from ${journalLines} where ${eq(journalLines.entryId, entryId)})`;
	statements.push(
		ctx.db.insert(journalEntries).values({
			id: entryId,
			tenantId: ctx.tenantId,
			entryDate: request.entryDate,
			sourceType: request.source.type,
			sourceId: request.source.id,
			customerId: request.customerId,
			currency: request.currency,
			description: request.description,
			totalDebit: sumOf(journalLines.debit),
			totalCredit: sumOf(journalLines.credit),
			createdAt: ctx.clock.now().toISOString(),
			requestId: ctx.requestId,
		}),
	);
	return { entryId, statements };
}
