import { runBatch } from "../../db/client";
import { collectionCases } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { refusalOf } from "../../lib/dbErrors";
import { AppError } from "../../lib/errors";
import { type CollectionCaseRow, presentCollectionCase } from "../../schemas/dunning";
import { changeStatements } from "../changeLog";
import { caseStillAsRead } from "./caseState";
import { loadCollectionCase } from "./getCase";

/**
 * Closes an open collection case with how it ended (a `collection_case.resolved` event). The customer's
 * next escalation opens a new case.
 */
export async function resolveCollectionCase({
	ctx,
	id,
	resolution,
}: {
	ctx: ServiceContext;
	id: string;
	resolution: string;
}) {
	const current = await loadCollectionCase(ctx, id);
	if (current.status !== "open") {
		throw new AppError("invalid_state", `Collection case ${id} is resolved already.`, {
			extensions: { current_status: current.status },
		});
	}
	const now = ctx.clock.now().toISOString();
	const next: CollectionCaseRow = {
		...current,
		status: "resolved",
		resolvedAt: now,
		resolution,
		version: current.version + 1,
		updatedAt: now,
	};
	try {
		await runBatch(ctx.db, [
			caseStillAsRead(ctx, current),
			ctx.db
				.update(collectionCases)
				.set({ status: next.status, resolvedAt: now, resolution, version: next.version, updatedAt: now })
				.where(idInTenant(collectionCases, ctx.tenantId, id)),
			...changeStatements(ctx, {
				action: "collection_case.resolved",
				target: { type: "collection_case", id },
				before: presentCollectionCase(current),
				after: presentCollectionCase(next),
				answers: { status: 200 },
			}),
		]);
	} catch (error) {
		if (refusalOf(error) === "state_changed") {
			throw new AppError("version_conflict", "The collection case changed meanwhile; read it again.");
		}
		throw error;
	}
	return presentCollectionCase(next);
}
