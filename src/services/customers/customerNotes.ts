import { and, eq } from "drizzle-orm";
import { customerNotes } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import type { PaginationQuery } from "../../schemas/common";
import { presentNote } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { paginate } from "../pagination";
import { loadCustomer } from "./loadCustomer";

type NoteRow = typeof customerNotes.$inferSelect;

/** Internal billing memos: visible to the tenant's users, never to the customer. */
export async function addCustomerNote({
	ctx,
	customerId,
	body,
}: {
	ctx: ServiceContext;
	customerId: string;
	body: string;
}) {
	await loadCustomer(ctx, customerId);
	const row: NoteRow = {
		id: newId("customerNote"),
		tenantId: ctx.tenantId,
		customerId,
		body,
		authorId: ctx.actor.id,
		createdAt: ctx.clock.now().toISOString(),
	};
	await ctx.db.batch([
		ctx.db.insert(customerNotes).values(row),
		...changeStatements(ctx, {
			action: "customer.note_added",
			target: { type: "customer", id: customerId },
			before: null,
			after: presentNote(row),
			event: null,
			answers: { status: 201 },
		}),
	]);
	return row;
}

export async function listCustomerNotes({
	ctx,
	customerId,
	query,
}: {
	ctx: ServiceContext;
	customerId: string;
	query: PaginationQuery;
}) {
	await loadCustomer(ctx, customerId);
	return paginate({
		query,
		idColumn: customerNotes.id,
		run: (page) =>
			ctx.db
				.select()
				.from(customerNotes)
				.where(and(eq(customerNotes.tenantId, ctx.tenantId), eq(customerNotes.customerId, customerId), page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentNote,
	});
}
