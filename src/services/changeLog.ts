// Every state change writes an audit row and, when it is an event other systems care about, an
// outbox event, in the same D1 batch as the change itself (ARCHITECTURE.md invariant 5).
import { getTableName } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { Computed, type InsertRow, insertRows } from "../db/client";
import { auditLog, creditNotes, invoices, outboxEvents } from "../db/schema";
import type { ServiceContext } from "../lib/context";
import { answerKey, answerOf, type ChangeAnswer, keyTermsOf, type RequestKey } from "../lib/idempotency";
import { newId } from "../lib/ids";

export type Change = {
	action: string;
	target: { type: string; id: string };
	before: unknown;
	after: unknown;
	/** The outbox event type; defaults to the action. `null` records the audit row only. */
	event?: string | null;
	/** Further events the same change raises (e.g. `invoice.paid` when finalizing a zero invoice). */
	alsoEmits?: string[];
	/**
	 * The target (an invoice or a credit note) takes its number in this batch: the database sets it into
	 * `after` (and so into the event's object), from what the batch's earlier statements wrote.
	 */
	numberedInBatch?: boolean;
	/** The audit row's id, when the batch refers to it (a stored answer reads its body there). */
	auditId?: string;
	/**
	 * This change is what the request answers with: when the request sent an Idempotency-Key, the batch
	 * stores the answer (its body read from this change's audit row unless `body` is given), and fails
	 * whole if another request holds or answered the key (`isKeyTaken`).
	 */
	answers?: ChangeAnswer;
};

/**
 * The number a target took earlier in the same batch, set into its JSON snapshot: SQL of the statement
 * itself, as the batch's statements cannot pass values to each other.
 */
function numberedIn(table: typeof invoices | typeof creditNotes) {
	const [number, tenantId, id] = [table.number, table.tenantId, table.id].map((column) => `"${column.name}"`);
	const text = `json_set(?, '$.number', (select ${number} from "${getTableName(table)}" where ${tenantId} = ? and ${id} = ?))`;
	return (json: string, target: { tenantId: string; id: string }) =>
		new Computed(text, [json, target.tenantId, target.id]);
}

const NUMBERED = { invoice: numberedIn(invoices), credit_note: numberedIn(creditNotes) };

/** What recording a change needs: a request, a job or a queue consumer can provide it. */
export type ChangeContext = Pick<ServiceContext, "db" | "tenantId" | "actor" | "requestId" | "clock" | "requestKey">;

/**
 * The audit rows and outbox events of `changes`, as one insert into each table (and one more for audit
 * rows that take a number the batch assigns, `insertRows`): a batch recording several changes pays for
 * two or three statements, not two per change.
 * An event stores no snapshot of its own: its object and previous are its audit row's after and
 * before (`eventColumns` reads them there), so each change's snapshots are written once.
 */
export function changeStatements(ctx: ChangeContext, ...changes: Change[]): BatchItem<"sqlite">[] {
	const createdAt = ctx.clock.now().toISOString();
	const audits: InsertRow<typeof auditLog>[] = [];
	const events: InsertRow<typeof outboxEvents>[] = [];
	const answers: BatchItem<"sqlite">[] = [];
	if (ctx.requestKey) ctx.requestKey.recorded = true;
	for (const change of changes) {
		const numbered = change.numberedInBatch ? NUMBERED[change.target.type as keyof typeof NUMBERED] : null;
		if (change.numberedInBatch && !numbered)
			throw new Error(`changeStatements: a ${change.target.type} takes no number`);
		const target = { tenantId: ctx.tenantId, id: change.target.id };
		const before = change.before ?? null;
		const after = change.after ?? null;
		const auditId = change.auditId ?? newId("audit");
		if (change.answers && answersInCommit(ctx.requestKey))
			answers.push(answerStatement(ctx, ctx.requestKey, change.answers, auditId));
		audits.push({
			id: auditId,
			tenantId: ctx.tenantId,
			actorType: ctx.actor.type,
			actorId: ctx.actor.id,
			action: change.action,
			targetType: change.target.type,
			targetId: change.target.id,
			before,
			after: numbered ? numbered(JSON.stringify(after), target) : after,
			requestId: ctx.requestId,
			createdAt,
		});
		const primary = change.event === undefined ? change.action : change.event;
		for (const type of [...(primary === null ? [] : [primary]), ...(change.alsoEmits ?? [])]) {
			events.push({
				id: newId("event"),
				tenantId: ctx.tenantId,
				type,
				resourceType: change.target.type,
				resourceId: change.target.id,
				auditId,
				requestId: ctx.requestId,
				createdAt,
			});
		}
	}
	return [...insertRows(ctx.db, auditLog, audits), ...insertRows(ctx.db, outboxEvents, events), ...answers];
}

/** A key its route claimed before the handler ran is answered by the middleware, not by a commit. */
const answersInCommit = (requestKey: RequestKey | undefined): requestKey is RequestKey =>
	requestKey !== undefined && !requestKey.held;

/**
 * Stores the request's answer with its change. The key counts as answered from here on: if the batch
 * fails, the request fails with it and the route takes that back (`ApiRoute`).
 */
function answerStatement(ctx: ChangeContext, requestKey: RequestKey, terms: ChangeAnswer, auditId: string) {
	requestKey.answered = true;
	const recordedIn = terms.body === undefined ? auditId : undefined;
	return answerKey(ctx.db, keyTermsOf(requestKey), answerOf(terms, null), recordedIn);
}
