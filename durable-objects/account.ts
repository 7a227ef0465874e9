import { DurableObject } from "cloudflare:workers";
import { database } from "../src/db/client";
import type { Env } from "../src/env";
import type { ServiceContext } from "../src/lib/context";
import { orKeyTaken } from "../src/lib/idempotency";
import { type AccountRequest, accountContext, settle } from "../src/services/accounts/accountClient";
import { AccountMemory } from "../src/services/accounts/accountState";
import { OperationQueue } from "../src/services/accounts/operationQueue";
import {
	commitApplyCreditNote,
	commitCreateCreditNote,
	commitVoidCreditNote,
} from "../src/services/creditNotes/creditNotes";
import { commitDeleteCustomer } from "../src/services/customers/deleteCustomer";
import { commitOpenDispute, commitResolveDispute, commitUpdateDispute } from "../src/services/disputes/disputes";
import { commitCreateFinalizedInvoice } from "../src/services/invoices/createInvoice";
import { commitDeleteInvoice } from "../src/services/invoices/deleteInvoice";
import { commitFinalizeInvoice } from "../src/services/invoices/finalizeInvoice";
import { commitVoidInvoice } from "../src/services/invoices/voidInvoice";
import { commitWriteOffInvoice } from "../src/services/invoices/writeOffInvoice";
import { commitAllocatePayment } from "../src/services/payments/allocatePayment";
import { commitRecordPayment } from "../src/services/payments/recordPayment";
import { commitRefundPayment } from "../src/services/payments/refundPayment";
import { commitBillDue } from "../src/services/subscriptions/billSubscriptions";
import { commitCreateSubscription } from "../src/services/subscriptions/createSubscription";
import { commitChangeSubscription } from "../src/services/subscriptions/lifecycle";
import { commitUpdateSubscription } from "../src/services/subscriptions/updateSubscription";

/**
 * One instance per (tenant, customer): the single serialization point for that account's money
 * (ARCHITECTURE.md invariant 2). Awaiting D1 lets the next call in, so operations are explicitly queued
 * (operationQueue.ts): each is prepared after the one before it, and commits as one D1 batch, so a crash
 * part-way leaves nothing behind. A payment made from memory lets the next operation in once it has handed
 * over its statements; everything else waits until all before it has committed.
 */
export class AccountDO extends DurableObject<Env> {
	#queue = new OperationQueue(database(this.env.DB));
	/** What the last payment or new invoice read and wrote, for the next one (see accountState.ts). */
	#memory = new AccountMemory();

	#serialized<I, T>(request: AccountRequest<I>, operation: (ctx: ServiceContext, input: I) => Promise<T>) {
		return this.#queue.exclusive(() => settle(() => operation(accountContext(this.env, request), request.input)));
	}

	/** Any other operation may change what the memory holds: it is forgotten first. */
	#exclusive<I, T>(request: AccountRequest<I>, operation: (ctx: ServiceContext, input: I) => Promise<T>) {
		return this.#serialized(request, (ctx, input) => {
			this.#memory.forget();
			return operation(ctx, input);
		});
	}

	createFinalizedInvoice(request: AccountRequest<Parameters<typeof commitCreateFinalizedInvoice>[1]>) {
		return this.#serialized(request, (ctx, input) =>
			orKeyTaken(commitCreateFinalizedInvoice(ctx, input, this.#memory)),
		);
	}

	finalizeInvoice(request: AccountRequest<Parameters<typeof commitFinalizeInvoice>[1]>) {
		return this.#exclusive(request, commitFinalizeInvoice);
	}

	deleteInvoice(request: AccountRequest<Parameters<typeof commitDeleteInvoice>[1]>) {
		return this.#exclusive(request, commitDeleteInvoice);
	}

	voidInvoice(request: AccountRequest<Parameters<typeof commitVoidInvoice>[1]>) {
		return this.#exclusive(request, commitVoidInvoice);
	}

	writeOffInvoice(request: AccountRequest<Parameters<typeof commitWriteOffInvoice>[1]>) {
		return this.#exclusive(request, commitWriteOffInvoice);
	}

	recordPayment(request: AccountRequest<Parameters<typeof commitRecordPayment>[1]>) {
		return this.#queue.handingOver((turn) =>
			settle(() =>
				orKeyTaken(commitRecordPayment(accountContext(this.env, request), request.input, this.#memory, turn)),
			),
		);
	}

	allocatePayment(request: AccountRequest<Parameters<typeof commitAllocatePayment>[1]>) {
		return this.#exclusive(request, commitAllocatePayment);
	}

	refundPayment(request: AccountRequest<Parameters<typeof commitRefundPayment>[1]>) {
		return this.#exclusive(request, commitRefundPayment);
	}

	createCreditNote(request: AccountRequest<Parameters<typeof commitCreateCreditNote>[1]>) {
		return this.#exclusive(request, commitCreateCreditNote);
	}

	applyCreditNote(request: AccountRequest<Parameters<typeof commitApplyCreditNote>[1]>) {
		return this.#exclusive(request, commitApplyCreditNote);
	}

	voidCreditNote(request: AccountRequest<Parameters<typeof commitVoidCreditNote>[1]>) {
		return this.#exclusive(request, commitVoidCreditNote);
	}

	openDispute(request: AccountRequest<Parameters<typeof commitOpenDispute>[1]>) {
		return this.#exclusive(request, commitOpenDispute);
	}

	updateDispute(request: AccountRequest<Parameters<typeof commitUpdateDispute>[1]>) {
		return this.#exclusive(request, commitUpdateDispute);
	}

	resolveDispute(request: AccountRequest<Parameters<typeof commitResolveDispute>[1]>) {
		return this.#exclusive(request, commitResolveDispute);
	}

	deleteCustomer(request: AccountRequest<Parameters<typeof commitDeleteCustomer>[1]>) {
		return this.#exclusive(request, commitDeleteCustomer);
	}

	createSubscription(request: AccountRequest<Parameters<typeof commitCreateSubscription>[1]>) {
		return this.#exclusive(request, commitCreateSubscription);
	}

	changeSubscription(request: AccountRequest<Parameters<typeof commitChangeSubscription>[1]>) {
		return this.#exclusive(request, commitChangeSubscription);
	}

	billDue(request: AccountRequest<Parameters<typeof commitBillDue>[1]>) {
		return this.#exclusive(request, commitBillDue);
	}

	updateSubscription(request: AccountRequest<Parameters<typeof commitUpdateSubscription>[1]>) {
		return this.#exclusive(request, commitUpdateSubscription);
	}
}
