import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { collectionCases } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation, refusalOf } from "../../lib/dbErrors";
import { newId } from "../../lib/ids";
import { type CollectionCaseRow, presentCollectionCase } from "../../schemas/dunning";
import { changeStatements } from "../changeLog";
import { caseStillAsRead } from "./caseState";

const openCaseOf = (ctx: ServiceContext, customerId: string) =>
	ctx.db
		.select()
		.from(collectionCases)
		.where(
			and(
				eq(collectionCases.tenantId, ctx.tenantId),
				eq(collectionCases.customerId, customerId),
				eq(collectionCases.status, "open"),
			),
		)
		.get();

/**
 * Escalates an invoice that went through every dunning step: its customer's open collection case takes
 * it, or a new case opens (one open case per customer, with a `collection_case.opened` event).
 */
export async function escalateToCase(
	ctx: ServiceContext,
	{ customerId, invoiceId, ruleId }: { customerId: string; invoiceId: string; ruleId: string },
): Promise<CollectionCaseRow> {
	for (;;) {
		const open = await openCaseOf(ctx, customerId);
		if (open) {
			if (open.invoiceIds.includes(invoiceId)) return open;
			const next = { ...open, invoiceIds: [...open.invoiceIds, invoiceId], version: open.version + 1 };
			try {
				await runBatch(ctx.db, [
					caseStillAsRead(ctx, open),
					ctx.db
						.update(collectionCases)
						.set({ invoiceIds: next.invoiceIds, version: next.version, updatedAt: ctx.clock.now().toISOString() })
						.where(and(eq(collectionCases.tenantId, ctx.tenantId), eq(collectionCases.id, open.id))),
					...changeStatements(ctx, {
						action: "collection_case.updated",
						target: { type: "collection_case", id: open.id },
						before: presentCollectionCase(open),
						after: presentCollectionCase(next),
						event: null,
					}),
				]);
				return next;
			} catch (error) {
				// Changed or resolved meanwhile: read it again.
				if (refusalOf(error) !== "state_changed") throw error;
				continue;
			}
		}
		const now = ctx.clock.now().toISOString();
		const row: CollectionCaseRow = {
			id: newId("collectionCase"),
			tenantId: ctx.tenantId,
			customerId,
			ruleId,
			invoiceIds: [invoiceId],
			status: "open",
			openedAt: now,
			resolvedAt: null,
			resolution: null,
			version: 1,
			updatedAt: now,
		};
		try {
			await runBatch(ctx.db, [
				ctx.db.insert(collectionCases).values(row),
				...changeStatements(ctx, {
					action: "collection_case.opened",
					target: { type: "collection_case", id: row.id },
					before: null,
					after: presentCollectionCase(row),
				}),
			]);
			return row;
		} catch (error) {
			// Another run opened the customer's case first: add the invoice to it.
			if (!isUniqueViolation(error)) throw error;
		}
	}
}
