// Calls into a customer's AccountDO. Business failures come back as values (only an Error's name and
// message cross RPC), and are turned back into the AppError they were on this side.
import type { AccountDO } from "../../../durable-objects/account";
import { database } from "../../db/client";
import type { Env } from "../../env";
import { fixedClock } from "../../lib/clock";
import type { Actor, ServiceContext } from "../../lib/context";
import { AppError, type ErrorCode, type FieldError } from "../../lib/errors";
import { type Answered, answeringKey, type KeyTerms, keyTermsOf, type RequestKey } from "../../lib/idempotency";
import { createLogger } from "../../lib/logger";

/** What every account operation carries: who asks, for which account, and the request's business time. */
export type AccountRequest<I> = {
	tenantId: string;
	customerId: string;
	actor: Actor;
	requestId: string | null;
	/** The caller's clock reading: the operation's business time, however long it queued. */
	now: string;
	input: I;
};

export type AccountFailure = {
	code: ErrorCode;
	detail: string;
	errors?: FieldError[];
	extensions?: Record<string, unknown>;
};

export type AccountResult<T> = { ok: true; value: T } | { ok: false; error: AccountFailure };

export const accountStub = (env: Env, tenantId: string, customerId: string): DurableObjectStub<AccountDO> =>
	env.ACCOUNT.get(env.ACCOUNT.idFromName(`${tenantId}:${customerId}`));

/** One RPC of the account object, made with the request it carries. */
type AccountCall<I, T> = (stub: DurableObjectStub<AccountDO>, request: AccountRequest<I>) => Promise<AccountResult<T>>;

export async function callAccount<I, T>(
	ctx: ServiceContext,
	customerId: string,
	call: AccountCall<I, T>,
	input: I,
): Promise<T> {
	const request: AccountRequest<I> = {
		tenantId: ctx.tenantId,
		customerId,
		actor: ctx.actor,
		requestId: ctx.requestId,
		now: ctx.clock.now().toISOString(),
		input,
	};
	const result = (await call(accountStub(ctx.env, ctx.tenantId, customerId), request)) as AccountResult<T>;
	if (!result.ok) {
		const { code, detail, errors, extensions } = result.error;
		throw new AppError(code, detail, { errors, extensions });
	}
	return result.value;
}

/**
 * `callAccount` for an operation that stores the answer to the request's Idempotency-Key in its own
 * commit batch (`answerKey`): it gets the key's terms, and another request's answer comes back instead
 * when the key turns out to be taken.
 */
export function callAccountAnswering<I, T>(
	ctx: ServiceContext,
	customerId: string,
	call: AccountCall<I & { key?: KeyTerms }, Answered<T>>,
	input: I,
	requestKey: RequestKey | undefined,
): Promise<T> {
	const key = requestKey && keyTermsOf(requestKey);
	return answeringKey(ctx.db, requestKey, () => callAccount(ctx, customerId, call, { ...input, key }));
}

/** Inside the object: run an operation, and return its business failure instead of throwing it. */
export async function settle<T>(operation: () => Promise<T>): Promise<AccountResult<T>> {
	try {
		return { ok: true, value: await operation() };
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		return {
			ok: false,
			error: { code: error.code, detail: error.message, errors: error.errors, extensions: error.extensions },
		};
	}
}

export const accountContext = <I>(env: Env, request: AccountRequest<I>): ServiceContext => ({
	db: database(env.DB),
	env,
	tenantId: request.tenantId,
	actor: request.actor,
	requestId: request.requestId,
	clock: fixedClock(request.now),
	logger: createLogger({ request_id: request.requestId, tenant_id: request.tenantId, customer_id: request.customerId }),
});
