// One operation's commit (ARCHITECTURE.md invariant 2): the check of the state it was prepared on, its
// change, the journal it posts, its audit rows and outbox events, and the answer to the request's
// Idempotency-Key, in that order, as one D1 batch. A batch the database refuses is thrown as a Refusal
// that says why; nothing of it was written.
import type { BatchItem } from "drizzle-orm/batch";
import { runBatch } from "../../src/db/client";
import type { ServiceContext } from "../../src/lib/context";
import { asRefusal } from "../../src/lib/dbErrors";
import { type Change, changeStatements } from "../../src/services/changeLog";
import { RefusedWithGroup, type Statements } from "./operationQueue";

export type CommitUnit = {
	/** Runs first, and refuses the batch when what the operation rests on changed (`unchangedSince`). */
	check?: BatchItem<"sqlite">;
	/** The change itself. */
	writes: readonly BatchItem<"sqlite">[];
	/** The balanced journal the change posts, if it posts one. */
	journal?: { statements: readonly BatchItem<"sqlite">[] } | null;
	/**
	 * What the change records: its audit rows and outbox events, and the answer to the request's
	 * Idempotency-Key when one of them `answers` it.
	 */
	changes: readonly Change[];
	/** Reads the batch runs last, of what it wrote (an invoice as numbered): the operation answers with them. */
	reads?: readonly BatchItem<"sqlite">[];
};

/** The unit's statements, in the order the batch runs them. */
export function commitStatements(ctx: ServiceContext, unit: CommitUnit): Statements {
	return [
		...(unit.check ? [unit.check] : []),
		...unit.writes,
		...(unit.journal?.statements ?? []),
		...changeStatements(ctx, ...unit.changes),
		...(unit.reads ?? []),
	];
}

/**
 * Commits the unit: as a batch of its own, or through `send` (an operation's turn, which may commit it in a
 * group). Answers with what each statement returned; a database refusal is thrown as a Refusal.
 */
export async function commit(
	ctx: ServiceContext,
	unit: CommitUnit,
	send: (statements: Statements) => Promise<unknown> = (statements) => runBatch(ctx.db, statements),
): Promise<unknown[]> {
	try {
		return (await send(commitStatements(ctx, unit))) as unknown[];
	} catch (error) {
		// Nothing of the batch was written, its answer to the request's key neither: the operation may
		// answer otherwise (a retry finding what an earlier attempt committed).
		if (ctx.requestKey) ctx.requestKey.answered = false;
		// A group's refusal stays one: the operation at fault may be another of the group.
		throw error instanceof RefusedWithGroup ? error : asRefusal(error);
	}
}
