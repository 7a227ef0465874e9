// Test clocks (as in Stripe): customers attached to one live on its time. Advancing the clock runs,
// in each attached customer's account object, the billing that would have happened in between.
import { and, asc, eq } from "drizzle-orm";
import { callAccount } from "../../../durable-objects/account/client";
import { runBatch } from "../../db/client";
import { customers, testClocks } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { fixedClock } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { changeStatements } from "../changeLog";
import { tenantToday } from "../settings/settings";

type ClockRow = typeof testClocks.$inferSelect;

/** Customers one advance bills at the most: a clock is for tests, not for a production book. */
export const MAX_CLOCK_CUSTOMERS = 100;

const present = (row: ClockRow) => ({
	id: row.id,
	object: "test_clock" as const,
	name: row.name,
	frozen_time: row.frozenTime,
	created_at: row.createdAt,
});

export async function loadTestClock(
	ctx: Pick<ServiceContext, "db" | "tenantId">,
	id: string,
	field?: string,
): Promise<ClockRow> {
	const row = await ctx.db
		.select()
		.from(testClocks)
		.where(idInTenant(testClocks, ctx.tenantId, id))
		.get();
	if (!row) throw field ? fieldInvalid("body", field, `no test clock '${id}' exists`) : notFound("test clock", id);
	return row;
}

/** The context a customer's operations run in: on its test clock's time when it has one. */
export async function customerContext(
	ctx: ServiceContext,
	customer: { testClockId: string | null },
): Promise<ServiceContext> {
	if (!customer.testClockId) return ctx;
	const clock = await loadTestClock(ctx, customer.testClockId);
	return { ...ctx, clock: fixedClock(clock.frozenTime) };
}

export async function createTestClock({
	ctx,
	input,
}: {
	ctx: ServiceContext;
	input: { name: string; frozen_time: string };
}) {
	const row: ClockRow = {
		id: newId("testClock"),
		tenantId: ctx.tenantId,
		name: input.name,
		frozenTime: new Date(input.frozen_time).toISOString(),
		createdAt: ctx.clock.now().toISOString(),
	};
	await runBatch(ctx.db, [
		ctx.db.insert(testClocks).values(row),
		...changeStatements(ctx, {
			action: "test_clock.created",
			target: { type: "test_clock", id: row.id },
			before: null,
			after: present(row),
			event: null,
			answers: { status: 201 },
		}),
	]);
	return present(row);
}

export async function getTestClock({ ctx, id }: { ctx: ServiceContext; id: string }) {
	return present(await loadTestClock(ctx, id));
}

/** Moves the clock forward and bills, account by account, every period that fell due meanwhile. */
export async function advanceTestClock({
	ctx,
	id,
	frozenTime,
}: {
	ctx: ServiceContext;
	id: string;
	frozenTime: string;
}) {
	const clock = await loadTestClock(ctx, id);
	const to = new Date(frozenTime).toISOString();
	if (to <= clock.frozenTime)
		throw fieldInvalid("body", "frozen_time", `must be after the clock's time (${clock.frozenTime})`);
	const attached = await ctx.db
		.select({ id: customers.id })
		.from(customers)
		.where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.testClockId, id)))
		.orderBy(asc(customers.id))
		.limit(MAX_CLOCK_CUSTOMERS + 1);
	if (attached.length > MAX_CLOCK_CUSTOMERS) {
		throw new AppError("invalid_state", `A test clock advances at most ${MAX_CLOCK_CUSTOMERS} customers.`);
	}
	await runBatch(ctx.db, [
		ctx.db
			.update(testClocks)
			.set({ frozenTime: to })
			.where(idInTenant(testClocks, ctx.tenantId, id)),
		...changeStatements(ctx, {
			action: "test_clock.advanced",
			target: { type: "test_clock", id },
			before: { frozen_time: clock.frozenTime },
			after: { frozen_time: to },
			event: null,
		}),
	]);
	const onClock: ServiceContext = { ...ctx, clock: fixedClock(to) };
	const date = await tenantToday(onClock);
	let invoices = 0;
	const errors: unknown[] = [];
	for (const customer of attached) {
		const outcome = await callAccount(onClock, customer.id, "billDue", { customerId: customer.id, date, today: date });
		invoices += outcome.billed.length;
		errors.push(...outcome.errors);
	}
	return {
		...present({ ...clock, frozenTime: to }),
		advanced: { customers: attached.length, invoices_created: invoices, errors },
	};
}
