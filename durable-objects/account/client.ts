// How services call into a customer's account object: by operation name, with the request built from the
// service context. Business failures come back as values and are thrown again here as the AppError they
// were inside the object.

import type { Env } from "../../src/env";
import type { ServiceContext } from "../../src/lib/context";
import { AppError } from "../../src/lib/errors";
import { answerTakenKey, keyTermsOf } from "../../src/lib/idempotency";
import type { AccountContract, AccountInputs, AccountOutputs, AccountRequest, AccountResult } from "./contract";

export type AccountOperation = keyof AccountInputs;

export const accountStub = (env: Env, tenantId: string, customerId: string): DurableObjectStub<AccountContract> =>
	env.ACCOUNT.get(env.ACCOUNT.idFromName(`${tenantId}:${customerId}`));

/** Runs `operation` in the account of `customerId`, in that account's order. */
export async function callAccount<K extends AccountOperation>(
	ctx: ServiceContext,
	customerId: string,
	operation: K,
	input: AccountInputs[K],
): Promise<AccountOutputs[K]> {
	const request: AccountRequest<AccountInputs[K]> = {
		tenantId: ctx.tenantId,
		customerId,
		actor: ctx.actor,
		requestId: ctx.requestId,
		now: ctx.clock.now().toISOString(),
		// A key the route claimed first is answered after the handler, not by the operation's commit.
		key: ctx.requestKey && !ctx.requestKey.held ? keyTermsOf(ctx.requestKey) : undefined,
		input,
	};
	// The stub's methods are the contract's, each answering with plain data. Called on the stub itself:
	// any other property of an RPC stub (`bind` too) would be a remote call.
	const stub = accountStub(ctx.env, ctx.tenantId, customerId) as unknown as Record<
		K,
		(request: AccountRequest<AccountInputs[K]>) => Promise<AccountResult<AccountOutputs[K]>>
	>;
	const result = await stub[operation](request);
	if (!result.ok) {
		if ("keyTaken" in result) return answerTakenKey(ctx.db, requestKeyOf(ctx));
		const { code, detail, errors, extensions } = result.error;
		throw new AppError(code, detail, { errors, extensions });
	}
	if (result.keyAnswered) requestKeyOf(ctx).answered = true;
	return result.value;
}

const requestKeyOf = (ctx: ServiceContext) => {
	if (!ctx.requestKey) throw new Error("the account answered for a key the request did not send");
	return ctx.requestKey;
};
