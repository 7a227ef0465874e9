import { apiKeys } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { changedNothing } from "../../lib/idempotency";
import { presentApiKey } from "../../schemas/apiKey";
import { changeStatements } from "../changeLog";
import { forgetResolvedApiKeys } from "./resolveApiKey";

/**
 * Revocation takes effect at once on this isolate and within seconds on every other (resolveApiKey
 * keeps keys that briefly); revoking twice is a no-op.
 */
export async function revokeApiKey({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const where = idInTenant(apiKeys, ctx.tenantId, id);
	const current = await ctx.db.select().from(apiKeys).where(where).get();
	if (!current) throw notFound("api_key", id);
	if (current.revokedAt !== null) {
		forgetResolvedApiKeys(); // revoked through another isolate: stop honouring it here too
		return presentApiKey(current);
	}
	const next = { ...current, revokedAt: ctx.clock.now().toISOString() };
	try {
		await ctx.db.batch([
			ctx.db.update(apiKeys).set({ revokedAt: next.revokedAt }).where(where),
			...changeStatements(ctx, {
				action: "api_key.revoked",
				target: { type: "api_key", id },
				before: presentApiKey(current),
				after: presentApiKey(next),
				event: null,
				answers: { status: 200 },
			}),
		]);
		forgetResolvedApiKeys();
	} catch (error) {
		// Another request revoked it first: answer with the revocation that stands.
		if (!String((error as Error).message).includes("already_revoked")) throw error;
		forgetResolvedApiKeys();
		changedNothing(ctx);
		return presentApiKey((await ctx.db.select().from(apiKeys).where(where).get()) ?? next);
	}
	return presentApiKey(next);
}
