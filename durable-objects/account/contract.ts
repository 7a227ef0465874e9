// What the account object offers the rest of the Worker: one method per operation that must run in the
// account's order (ARCHITECTURE.md invariant 2), each taking the request it serves and answering with a
// value or a business failure. Only an Error's name and message cross RPC, so refusals are values here,
// and the client turns them back into the AppError they were inside the object.
import type { Actor } from "../../src/lib/actor";
import type { ErrorCode, FieldError } from "../../src/lib/errors";
import type { KeyTerms } from "../../src/lib/idempotency";
import type { CreditNote, CreditNoteCreateInput } from "../../src/schemas/creditNote";
import type { CustomerRow } from "../../src/schemas/customer";
import type { Dispute, DisputeCreateInput, DisputeUpdateInput } from "../../src/schemas/dispute";
import type { InvoiceCreateInput, InvoiceResource } from "../../src/schemas/invoice";
import type { AllocateInput, Payment, PaymentCreateInput, Refund, RefundInput } from "../../src/schemas/payment";
import type {
	LifecycleAction,
	Subscription,
	SubscriptionCreateInput,
	SubscriptionUpdateInput,
} from "../../src/schemas/subscription";

/** What every account operation carries: who asks, for which account, and the request's business time. */
export type AccountRequest<I> = {
	tenantId: string;
	customerId: string;
	actor: Actor;
	requestId: string | null;
	/** The caller's clock reading: the operation's business time, however long it queued. */
	now: string;
	/** The request's Idempotency-Key: the operation's change marked `answers` stores the answer with it. */
	key?: KeyTerms;
	input: I;
};

export type AccountFailure = {
	code: ErrorCode;
	detail: string;
	errors?: FieldError[];
	extensions?: Record<string, unknown>;
};

/**
 * An operation's value (and whether its commit stored the answer to the request's key), its business
 * failure, or `keyTaken` when another request holds or answered the request's key.
 */
export type AccountResult<T> =
	| { ok: true; value: T; keyAnswered?: boolean }
	| { ok: false; error: AccountFailure }
	| { ok: false; keyTaken: true };

/** A request's own key when the operation looks for what an earlier attempt of it committed. */
type RequestKeyed = { requestKey: string | null };

/** Each operation's input. */
export type AccountInputs = {
	createFinalizedInvoice: { input: InvoiceCreateInput; sourceRef: string | null };
	finalizeInvoice: { invoiceId: string };
	deleteInvoice: { invoiceId: string };
	voidInvoice: { invoiceId: string; reason: string | null };
	writeOffInvoice: { invoiceId: string; reason: string };
	recordPayment: PaymentCreateInput & RequestKeyed;
	allocatePayment: AllocateInput & { paymentId: string };
	refundPayment: RefundInput & RequestKeyed & { paymentId: string };
	createCreditNote: CreditNoteCreateInput & RequestKeyed;
	applyCreditNote: { creditNoteId: string; invoiceId: string; amount?: number };
	voidCreditNote: { creditNoteId: string };
	openDispute: DisputeCreateInput;
	updateDispute: DisputeUpdateInput & { disputeId: string };
	resolveDispute: { disputeId: string; outcome: "won" | "lost"; note?: string };
	deleteCustomer: { customerId: string; hard: boolean };
	createSubscription: SubscriptionCreateInput & { missingAs: "validation" | "not_found" };
	changeSubscription: { subscriptionId: string; action: LifecycleAction };
	updateSubscription: SubscriptionUpdateInput & { subscriptionId: string };
	/** Bills periods due by `date`; judges delinquency as of `today`, the account's real business day. */
	billDue: { customerId: string; date: string; today: string; subscriptionId?: string };
};

/** Each operation's answer. */
export type AccountOutputs = {
	createFinalizedInvoice: InvoiceResource;
	finalizeInvoice: InvoiceResource;
	deleteInvoice: null;
	voidInvoice: InvoiceResource;
	writeOffInvoice: InvoiceResource;
	recordPayment: Payment;
	allocatePayment: Payment;
	refundPayment: Refund;
	createCreditNote: CreditNote;
	applyCreditNote: CreditNote;
	voidCreditNote: CreditNote;
	openDispute: Dispute;
	updateDispute: Dispute;
	resolveDispute: Dispute;
	/** The customer as deleted; null when it was deleted already. */
	deleteCustomer: CustomerRow | null;
	createSubscription: Subscription & { first_invoice: InvoiceResource | null };
	changeSubscription: Subscription;
	updateSubscription: Subscription;
	billDue: BillingOutcome;
};

/** What a billing run did for an account: the periods it invoiced, and the subscriptions it could not bill. */
export type BillingOutcome = {
	billed: { subscription_id: string; period_start: string; invoice_id: string }[];
	errors: { subscription_id: string; code: string; detail: string }[];
};

/** The account object's RPC surface, as the Durable Object namespace binding names it. */
export type AccountContract = Rpc.DurableObjectBranded & {
	[K in keyof AccountInputs]: (request: AccountRequest<AccountInputs[K]>) => Promise<AccountResult<AccountOutputs[K]>>;
};
