import { DurableObject } from "cloudflare:workers";
import { type Database, database } from "../../src/db/client";
import type { Env } from "../../src/env";
import { fixedClock } from "../../src/lib/clock";
import type { ServiceContext } from "../../src/lib/context";
import { AppError } from "../../src/lib/errors";
import { isKeyTaken, type KeyTerms, keyInUse } from "../../src/lib/idempotency";
import { createLogger } from "../../src/lib/logger";
import type { AccountContract, AccountInputs, AccountOutputs, AccountRequest, AccountResult } from "./contract";
import { AccountMemory } from "./memory";
import { OperationQueue } from "./operationQueue";
import { commitAllocatePayment } from "./operations/allocatePayment";
import { commitBillDue } from "./operations/billDue";
import { commitChangeSubscription } from "./operations/changeSubscription";
import { commitCreateFinalizedInvoice } from "./operations/createFinalizedInvoice";
import { commitCreateSubscription } from "./operations/createSubscription";
import { commitApplyCreditNote, commitCreateCreditNote, commitVoidCreditNote } from "./operations/creditNotes";
import { commitDeleteCustomer } from "./operations/deleteCustomer";
import { commitDeleteInvoice } from "./operations/deleteInvoice";
import { commitOpenDispute, commitResolveDispute, commitUpdateDispute } from "./operations/disputes";
import { commitFinalizeInvoice } from "./operations/finalizeInvoice";
import { commitRecordPayment } from "./operations/recordPayment";
import { commitRefundPayment } from "./operations/refundPayment";
import { commitUpdateSubscription } from "./operations/updateSubscription";
import { commitVoidInvoice } from "./operations/voidInvoice";
import { commitWriteOffInvoice } from "./operations/writeOffInvoice";

type Request<K extends keyof AccountInputs> = AccountRequest<AccountInputs[K]>;
type Operation<K extends keyof AccountInputs> = (
	ctx: ServiceContext,
	input: AccountInputs[K],
) => Promise<AccountOutputs[K]>;

/**
 * One instance per (tenant, customer): the single serialization point for that account's money
 * (ARCHITECTURE.md invariant 2). Awaiting D1 lets the next call in, so operations are explicitly queued
 * (operationQueue.ts): each is prepared after the one before it, and commits as one D1 batch, so a crash
 * part-way leaves nothing behind. A payment or a new invoice made from memory lets the next operation in
 * once it has handed over its statements; everything else waits until all before it has committed.
 */
export class AccountDO extends DurableObject<Env> implements AccountContract {
	#queue = new OperationQueue(database(this.env.DB));
	/** What the last payment or new invoice read and wrote, for the next one (see memory.ts). */
	#memory = new AccountMemory();

	#serialized<K extends keyof AccountInputs>(request: Request<K>, operation: Operation<K>) {
		return this.#queue.exclusive(() => {
			const ctx = accountContext(this.env, request);
			return settle(ctx, () => operation(ctx, request.input));
		});
	}

	/** Any other operation may change what the memory holds: it is forgotten first. */
	#exclusive<K extends keyof AccountInputs>(request: Request<K>, operation: Operation<K>) {
		return this.#serialized(request, (ctx, input) => {
			this.#memory.forget();
			return operation(ctx, input);
		});
	}

	createFinalizedInvoice(request: Request<"createFinalizedInvoice">) {
		return this.#queue.handingOver((turn) => {
			const ctx = accountContext(this.env, request);
			return settle(ctx, () => commitCreateFinalizedInvoice(ctx, request.input, this.#memory, turn));
		});
	}

	finalizeInvoice(request: Request<"finalizeInvoice">) {
		return this.#serialized(request, (ctx, input) => commitFinalizeInvoice(ctx, input, this.#memory));
	}

	deleteInvoice(request: Request<"deleteInvoice">) {
		return this.#exclusive(request, commitDeleteInvoice);
	}

	voidInvoice(request: Request<"voidInvoice">) {
		return this.#exclusive(request, commitVoidInvoice);
	}

	writeOffInvoice(request: Request<"writeOffInvoice">) {
		return this.#exclusive(request, commitWriteOffInvoice);
	}

	recordPayment(request: Request<"recordPayment">) {
		return this.#queue.handingOver((turn) => {
			const ctx = accountContext(this.env, request);
			return settle(ctx, () => commitRecordPayment(ctx, request.input, this.#memory, turn));
		});
	}

	allocatePayment(request: Request<"allocatePayment">) {
		return this.#exclusive(request, commitAllocatePayment);
	}

	refundPayment(request: Request<"refundPayment">) {
		return this.#exclusive(request, commitRefundPayment);
	}

	createCreditNote(request: Request<"createCreditNote">) {
		return this.#exclusive(request, commitCreateCreditNote);
	}

	applyCreditNote(request: Request<"applyCreditNote">) {
		return this.#exclusive(request, commitApplyCreditNote);
	}

	voidCreditNote(request: Request<"voidCreditNote">) {
		return this.#exclusive(request, commitVoidCreditNote);
	}

	openDispute(request: Request<"openDispute">) {
		return this.#exclusive(request, commitOpenDispute);
	}

	updateDispute(request: Request<"updateDispute">) {
		return this.#exclusive(request, commitUpdateDispute);
	}

	resolveDispute(request: Request<"resolveDispute">) {
		return this.#exclusive(request, commitResolveDispute);
	}

	deleteCustomer(request: Request<"deleteCustomer">) {
		return this.#exclusive(request, commitDeleteCustomer);
	}

	createSubscription(request: Request<"createSubscription">) {
		return this.#exclusive(request, commitCreateSubscription);
	}

	changeSubscription(request: Request<"changeSubscription">) {
		return this.#exclusive(request, commitChangeSubscription);
	}

	billDue(request: Request<"billDue">) {
		return this.#exclusive(request, commitBillDue);
	}

	updateSubscription(request: Request<"updateSubscription">) {
		return this.#exclusive(request, commitUpdateSubscription);
	}
}

/**
 * Runs an operation, and returns its business failure instead of throwing it across RPC; a commit that
 * failed because another request took the request's key says so.
 */
async function settle<T>(ctx: ServiceContext, operation: () => Promise<T>): Promise<AccountResult<T>> {
	try {
		const value = await operation();
		return { ok: true, value, keyAnswered: ctx.requestKey?.answered ?? false };
	} catch (error) {
		if (ctx.requestKey && isKeyTaken(error)) return { ok: false, keyTaken: true };
		if (!(error instanceof AppError)) throw error;
		// A retry that raced its first attempt fails on the state the first left (the money it allocated):
		// the first's answer is its own.
		if (ctx.requestKey && (await keyTakenElsewhere(ctx.db, ctx.requestKey))) return { ok: false, keyTaken: true };
		return {
			ok: false,
			error: { code: error.code, detail: error.message, errors: error.errors, extensions: error.extensions },
		};
	}
}

const keyTakenElsewhere = async (db: Database, key: KeyTerms) => {
	const [inUse] = await db.batch([keyInUse(db, key)]);
	return inUse.length > 0;
};

/** The service context an operation runs in: the caller's tenant, actor, request id and clock reading. */
export const accountContext = <I>(env: Env, request: AccountRequest<I>): ServiceContext => ({
	db: database(env.DB),
	env,
	tenantId: request.tenantId,
	actor: request.actor,
	requestId: request.requestId,
	clock: fixedClock(request.now),
	logger: createLogger({ request_id: request.requestId, tenant_id: request.tenantId, customer_id: request.customerId }),
	requestKey: request.key && { ...request.key, held: false, answered: false, taken: false },
});
