import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Computed, database, insertRows, runBatch } from "../../src/db/client";
import { auditLog, payments, plans } from "../../src/db/schema";
import { newCustomer, newTenant } from "../helpers/api";

const db = database(env.DB);

const auditRow = (tenantId: string, i: number, after: unknown) => ({
	id: `aud_rows_${tenantId}_${i}`,
	tenantId,
	actorType: "api_key" as const,
	actorId: "key_rows",
	action: "row.written",
	targetType: "row",
	targetId: `row_${i}`,
	before: null,
	after,
	requestId: null,
	createdAt: "2027-01-02T03:04:05.000Z",
});

describe("insertRows", () => {
	it("writes what drizzle's own insert writes: JSON, booleans, nulls and column defaults", async () => {
		const { tenantId, key } = await newTenant();
		const customer = await newCustomer(key);
		const payment = (id: string): typeof payments.$inferInsert => ({
			id,
			tenantId,
			customerId: customer.id,
			amount: 1234,
			currency: "EUR",
			paidAt: "2027-01-02T03:04:05.000Z",
			paymentMethod: "card",
			reference: null,
			metadata: { order: "A-1", channel: "web" },
			requestKey: null,
			journalEntryId: null,
			createdAt: "2027-01-02T03:04:05.000Z",
			updatedAt: "2027-01-02T03:04:05.000Z",
		});
		await runBatch(db, [
			db.insert(payments).values(payment("pay_drizzle")),
			...insertRows(db, payments, [payment("pay_rows")]),
		]);
		const [viaDrizzle, viaRows] = await Promise.all(
			["pay_drizzle", "pay_rows"].map((id) => db.select().from(payments).where(eq(payments.id, id)).get()),
		);
		expect(viaRows).toEqual({ ...viaDrizzle, id: "pay_rows" });
		expect(viaRows).toMatchObject({
			amountAllocated: 0,
			amountRefunded: 0,
			metadata: { order: "A-1", channel: "web" },
		});
	});

	it("splits rows over as many statements as D1's 100 bound parameters need, in one batch", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		const rows = Array.from({ length: 20 }, (_, i) => auditRow(tenantId, i, { i }));
		const statements = insertRows(db, auditLog, rows);
		// Eleven columns: nine rows to a statement.
		expect(statements).toHaveLength(3);
		await runBatch(db, statements);
		const stored = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId));
		expect(stored.map((row) => (row.after as { i: number }).i).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i));
	});

	it("computes a Computed value in the statement, from what the batch wrote before it", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		// The first row's `after`, read back by each later row: thirteen parameters where a plain row binds eleven.
		const firstAfter = new Computed(
			`json_set(?, '$.first', (select json_extract("after", '$.i') from "audit_log" where "id" = ?))`,
			['{"i":"later"}', `aud_rows_${tenantId}_0`],
		);
		const later = Array.from({ length: 9 }, (_, i) => auditRow(tenantId, i + 1, firstAfter));
		const statements = insertRows(db, auditLog, later);
		// Nine rows of 13 parameters: seven to a statement, then two.
		expect(statements).toHaveLength(2);
		await runBatch(db, [...insertRows(db, auditLog, [auditRow(tenantId, 0, { i: "first" })]), ...statements]);
		const stored = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(auditLog.id);
		expect(stored.map((r) => r.after)).toEqual([
			{ i: "first" },
			...Array.from({ length: 9 }, () => ({ i: "later", first: "first" })),
		]);
	});

	it("commits nothing when one row of the batch is refused", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		const row = {
			id: `aud_dup_${tenantId}`,
			tenantId,
			actorType: "api_key" as const,
			actorId: "k",
			action: "a",
			targetType: "t",
			targetId: "x",
			before: null,
			after: null,
			requestId: null,
			createdAt: "2027-01-01T00:00:00.000Z",
		};
		await expect(
			runBatch(db, [...insertRows(db, auditLog, [row]), ...insertRows(db, auditLog, [row])]),
		).rejects.toThrow(/UNIQUE/);
		expect(
			await db
				.select()
				.from(auditLog)
				.where(inArray(auditLog.tenantId, [tenantId])),
		).toEqual([]);
	});

	it("refuses a table whose column default is SQL, which it cannot bind", () => {
		expect(() => insertRows(db, plans, [])).toThrow(/charges has an SQL default/);
	});
});
