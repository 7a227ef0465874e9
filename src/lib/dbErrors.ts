// What the database refused and why. D1 reports a constraint, a trigger's RAISE or a CHECK as a plain
// error; `refusalOf` is the one place that reads those messages, and everything else asks it for a reason.

export const messageOf = (error: unknown): string => {
	let current: unknown = error;
	const parts: string[] = [];
	while (current instanceof Error) {
		parts.push(current.message);
		current = (current as { cause?: unknown }).cause;
	}
	return parts.join(" | ");
};

/**
 * Why the database refused a batch (nothing of it was written):
 * - `state_changed`: an account object's check found the state it prepared on changed (account_state_checks);
 * - `key_taken`: another request holds or answered the Idempotency-Key the batch answers;
 * - `version_conflict`: an update did not move a row's version up by exactly one (a concurrent write came first);
 * - `duplicate`: a unique key exists already; `missing_value`: a NOT NULL column got none;
 * - `constraint`: any other CHECK, foreign key or trigger.
 */
export type RefusalReason =
	| "state_changed"
	| "key_taken"
	| "version_conflict"
	| "duplicate"
	| "missing_value"
	| "constraint";

/** A batch the database refused, with the reason: what a commit throws instead of D1's error. */
export class Refusal extends Error {
	constructor(
		readonly reason: RefusalReason,
		cause: unknown,
	) {
		super(`the database refused the batch (${reason})`, { cause });
	}
}

/** The messages each reason shows in, most specific first: triggers raise their own, SQLite names the rest. */
const REASON_MESSAGES: readonly [string, RefusalReason][] = [
	["account_state_changed", "state_changed"],
	["idempotency_key_taken", "key_taken"],
	["version_conflict", "version_conflict"],
	["UNIQUE constraint failed", "duplicate"],
	["NOT NULL constraint failed", "missing_value"],
	["SQLITE_CONSTRAINT", "constraint"],
];

/** Why the database refused the batch that failed with `error`; null when it is no refusal (an outcome unknown). */
export function refusalOf(error: unknown): RefusalReason | null {
	if (error instanceof Refusal) return error.reason;
	const message = messageOf(error);
	return REASON_MESSAGES.find(([text]) => message.includes(text))?.[1] ?? null;
}

/** `error` as a Refusal when the database refused the batch; any other failure as it is. */
export const asRefusal = (error: unknown) => {
	const reason = refusalOf(error);
	return reason === null || error instanceof Refusal ? error : new Refusal(reason, error);
};

export const isVersionConflict = (error: unknown) => refusalOf(error) === "version_conflict";

export const isUniqueViolation = (error: unknown) => refusalOf(error) === "duplicate";

export const isNotNullViolation = (error: unknown) => refusalOf(error) === "missing_value";

/** Whether an UPDATE or DELETE of a batch matched no row (its `meta.changes` is 0). */
export const matchedNoRow = (result: unknown) => (result as { meta?: { changes?: number } }).meta?.changes === 0;
