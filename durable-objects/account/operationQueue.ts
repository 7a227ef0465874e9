// The order of an account object's operations (ARCHITECTURE.md invariant 2). Operations are prepared one
// at a time, in the order they arrive. An operation that commits from what the object remembers hands its
// statements over and lets the next one in at once: everything handed over while a batch is in flight
// commits together in the next batch, each operation's statements whole and behind its own check
// (`unchangedSince`), so the database refuses the group if any of them rests on a state that did not come
// to be, and then none of it is written. Every other operation first waits until what was handed over has
// committed, so what it reads is what is committed.
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, runBatch } from "../../src/db/client";
import { refusalOf } from "../../src/lib/dbErrors";

/**
 * Operations committed together at most. A group is one D1 call, and D1 counts its statements against the
 * 1,000 queries one invocation may make: a payment sends about ten.
 */
const MAX_GROUP = 25;

/** The statements of one operation, or of a group of them. */
export type Statements = BatchItem<"sqlite">[];
type HandedOver = { statements: Statements; resolve: (results: unknown[]) => void; reject: (error: unknown) => void };

/**
 * What each operation of a group learns when the database refused the group's batch (a constraint or
 * check): nothing of it was written, and the operation that caused it may be another one, so each may
 * run again alone. A group of one gets the database's own error.
 */
export class RefusedWithGroup extends Error {
	constructor(cause: unknown) {
		super("refused with the group its statements were committed in", { cause });
	}
}

const refusedByDatabase = (error: unknown) => refusalOf(error) !== null;

/** What an operation holds while it is the object's current one. */
export type Turn = {
	/**
	 * Commits `statements` in the next batch, with whatever else is handed over meanwhile, and lets the
	 * next operation in at once. Settles when that batch does, with what each of these statements returned:
	 * a refused batch wrote nothing.
	 */
	commit(statements: Statements): Promise<unknown[]>;
	/**
	 * Runs `operation` holding a turn with nothing left to commit: this one while the operation still holds
	 * it, or else a new one after every operation already waiting.
	 */
	afresh<T>(operation: () => Promise<T>): Promise<T>;
};

export class OperationQueue {
	readonly #db: Database;
	#tail: Promise<unknown> = Promise.resolve();
	#handedOver: HandedOver[] = [];
	#committing: Promise<void> | undefined;

	constructor(db: Database) {
		this.#db = db;
	}

	/** Runs `operation` once every operation before it is done and all they handed over has committed. */
	exclusive<T>(operation: () => Promise<T>): Promise<T> {
		const run = this.#tail.then(async () => {
			await this.#committed();
			return operation();
		});
		this.#tail = run.catch(() => undefined);
		return run;
	}

	/**
	 * Runs `operation` once every operation before it is done or has handed over its statements; it may
	 * then commit through its turn, which lets the next operation in before the batch commits.
	 */
	handingOver<T>(operation: (turn: Turn) => Promise<T>): Promise<T> {
		let held = true;
		let release = () => {};
		const released = new Promise<void>((resolve) => {
			release = resolve;
		});
		const turn: Turn = {
			commit: (statements) => {
				if (!held) throw new Error("an operation hands over its statements once, holding its turn");
				held = false;
				const committed = this.#handOver(statements);
				release();
				return committed;
			},
			afresh: async (again) => {
				if (!held) return this.exclusive(again);
				await this.#committed();
				return again();
			},
		};
		const run = this.#tail.then(() => operation(turn));
		this.#tail = Promise.race([run.catch(() => undefined), released]);
		return run;
	}

	#committed(): Promise<void> {
		return this.#committing ?? Promise.resolve();
	}

	#handOver(statements: Statements): Promise<unknown[]> {
		const committed = new Promise<unknown[]>((resolve, reject) => {
			this.#handedOver.push({ statements, resolve, reject });
		});
		this.#committing ??= this.#commitHandedOver();
		return committed;
	}

	/** Sends what is handed over, a group per batch, until nothing is left; it never rejects. */
	async #commitHandedOver() {
		// Started by a hand-over: it is sent from the next microtask on, so `#committing` is set first.
		await Promise.resolve();
		while (this.#handedOver.length > 0) {
			const group = this.#handedOver.splice(0, MAX_GROUP);
			try {
				const results = await runBatch(
					this.#db,
					group.flatMap((operation) => operation.statements),
				);
				let first = 0;
				for (const operation of group) {
					operation.resolve(results.slice(first, first + operation.statements.length));
					first += operation.statements.length;
				}
			} catch (error) {
				const refused = group.length > 1 && refusedByDatabase(error) ? new RefusedWithGroup(error) : error;
				for (const operation of group) operation.reject(refused);
			}
		}
		this.#committing = undefined;
	}
}
