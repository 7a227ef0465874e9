import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { describe, expect, it } from "vitest";
import { Computed, database, insertRows, MAX_JSON_BYTES, mergedUnits, runBatch } from "../../src/db/client";
import { auditLog, outboxEvents, payments, plans } from "../../src/db/schema";
import { newCustomer, newTenant } from "../helpers/api";

const db = database(env.DB);

const auditRow = (tenantId: string, i: number, after: unknown) => ({
	id: `aud_rows_${tenantId}_${String(i).padStart(3, "0")}`,
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
		// Two rows bind their values (32 parameters); seven would bind 112, two statements' worth, and go
		// as one JSON parameter in one statement instead.
		const bound = [1, 2].map((i) => `pay_bound_${tenantId}_${i}`);
		const asJson = Array.from({ length: 7 }, (_, i) => `pay_json_${tenantId}_${i}`);
		const [viaValues, viaJson] = [bound, asJson].map((ids) => insertRows(db, payments, ids.map(payment)));
		expect([viaValues, viaJson].map((items) => items?.length)).toEqual([1, 1]);
		await runBatch(db, [
			db.insert(payments).values(payment("pay_drizzle")),
			...(viaValues as BatchItem<"sqlite">[]),
			...(viaJson as BatchItem<"sqlite">[]),
		]);
		const [viaDrizzle, ...viaRows] = await Promise.all(
			["pay_drizzle", ...bound, ...asJson].map((id) => db.select().from(payments).where(eq(payments.id, id)).get()),
		);
		expect(viaRows).toEqual([...bound, ...asJson].map((id) => ({ ...viaDrizzle, id })));
		expect(viaRows.at(-1)).toMatchObject({
			amountAllocated: 0,
			amountRefunded: 0,
			metadata: { order: "A-1", channel: "web" },
		});
	});

	it("writes any number of rows in one statement, one JSON parameter, past D1's 100 bound parameters", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		// Eleven columns: 150 rows would be 1,650 bound parameters.
		const rows = Array.from({ length: 150 }, (_, i) => auditRow(tenantId, i, { i, text: `it's "row" ${i}` }));
		const statements = insertRows(db, auditLog, rows);
		expect(statements).toHaveLength(1);
		await runBatch(db, statements);
		const stored = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId));
		expect(stored.map((row) => row.after).sort((a, b) => (a as { i: number }).i - (b as { i: number }).i)).toEqual(
			rows.map((row) => row.after),
		);
		expect(stored.every((row) => row.before === null && row.requestId === null)).toBe(true);
	});

	it("splits the JSON of large rows over statements of at most MAX_JSON_BYTES", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		const large = "x".repeat(MAX_JSON_BYTES / 3);
		// Ten rows: 110 parameters, so JSON; two rows to a statement.
		const rows = Array.from({ length: 10 }, (_, i) => auditRow(tenantId, i, { i, large }));
		const statements = insertRows(db, auditLog, rows);
		expect(statements).toHaveLength(5);
		await runBatch(db, statements);
		const stored = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId));
		expect(stored).toHaveLength(10);
		expect(stored.every((row) => (row.after as { large: string }).large === large)).toBe(true);
	});

	it("computes a Computed value in the statement, from what the batch wrote before it", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		// The first row's `after`, read back by each later row: thirteen parameters where a plain row binds eleven.
		const firstAfter = new Computed(
			`json_set(?, '$.first', (select json_extract("after", '$.i') from "audit_log" where "id" = ?))`,
			['{"i":"later"}', `aud_rows_${tenantId}_000`],
		);
		const later = Array.from({ length: 9 }, (_, i) => auditRow(tenantId, i + 1, firstAfter));
		const plain = Array.from({ length: 10 }, (_, i) => auditRow(tenantId, 10 + i, { i: 10 + i }));
		// Two plain rows fit one statement, and bind with the rest: 139 parameters, two statements.
		expect(insertRows(db, auditLog, [...later, ...plain.slice(0, 2)])).toHaveLength(2);
		// Ten plain rows (110 parameters) go as JSON; nine computed rows of 13 bound parameters: seven to a
		// statement, then two.
		const statements = insertRows(db, auditLog, [...later, ...plain]);
		expect(statements).toHaveLength(3);
		await runBatch(db, [...insertRows(db, auditLog, [auditRow(tenantId, 0, { i: "first" })]), ...statements]);
		const stored = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(auditLog.id);
		expect(stored.map((r) => r.after)).toEqual([
			{ i: "first" },
			...Array.from({ length: 9 }, () => ({ i: "later", first: "first" })),
			...plain.map((row) => row.after),
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
		await expect(
			// Ten rows, as JSON.
			runBatch(
				db,
				insertRows(db, auditLog, [
					...Array.from({ length: 8 }, (_, i) => ({ ...row, id: `aud_ok_${tenantId}_${i}` })),
					row,
					row,
				]),
			),
		).rejects.toThrow(/UNIQUE/);
		expect(
			await db
				.select()
				.from(auditLog)
				.where(inArray(auditLog.tenantId, [tenantId])),
		).toEqual([]);
	});

	it("skips rows whose key is taken with ignoreDuplicates, in either form, and refuses any other violation", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		const rows = Array.from({ length: 10 }, (_, i) => auditRow(tenantId, i, { i }));
		const [first] = rows as [ReturnType<typeof auditRow>];
		await runBatch(db, insertRows(db, auditLog, [first]));
		const replayed = { ...first, after: { i: "replayed" } };
		// Alone it binds; with the nine others (110 parameters) it goes as JSON.
		const alone = insertRows(db, auditLog, [replayed], { ignoreDuplicates: true });
		const several = insertRows(db, auditLog, [replayed, ...rows.slice(1)], { ignoreDuplicates: true });
		await runBatch(db, [...alone, ...several]);
		const stored = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(auditLog.id);
		expect(stored.map((row) => row.after)).toEqual(rows.map((row) => row.after));
		const withoutActor = { ...auditRow(tenantId, 10, null), actorId: null as unknown as string };
		for (const others of [0, 9]) {
			const more = Array.from({ length: others }, (_, i) => auditRow(tenantId, 11 + i, null));
			await expect(
				runBatch(db, insertRows(db, auditLog, [withoutActor, ...more], { ignoreDuplicates: true })),
			).rejects.toThrow(/NOT NULL/);
		}
	});

	it("refuses a table whose column default is SQL, which it cannot bind", () => {
		expect(() => insertRows(db, plans, [])).toThrow(/charges has an SQL default/);
	});
});

describe("mergedUnits", () => {
	const eventRow = (tenantId: string, i: number) => ({
		id: `evt_rows_${tenantId}_${i}`,
		tenantId,
		type: "row.written",
		resourceType: "row",
		resourceId: `row_${i}`,
		data: null,
		auditId: null,
		requestId: null,
		createdAt: "2027-01-02T03:04:05.000Z",
	});
	// An audit row, a statement of the unit's own (drizzle's insert, which is not merged), an outbox event.
	const unitOf = (tenantId: string, i: number): BatchItem<"sqlite">[] => [
		...insertRows(db, auditLog, [auditRow(tenantId, i, { i })]),
		db.insert(auditLog).values(auditRow(tenantId, 100 + i, { own: i })),
		...insertRows(db, outboxEvents, [eventRow(tenantId, i)]),
	];

	it("merges the inserts units of one shape make at each place, and runs their other statements unit by unit", async () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		const units = [1, 2, 3].map((i) => unitOf(tenantId, i));
		const merged = mergedUnits(db, units);
		expect(merged).toHaveLength(5);
		for (const [i, unit] of units.entries()) expect(merged[1 + i]).toBe(unit[1]);
		await runBatch(db, merged);
		const audits = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(auditLog.id);
		expect(audits.map((row) => row.after)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }, { own: 1 }, { own: 2 }, { own: 3 }]);
		const events = await db.select().from(outboxEvents).where(eq(outboxEvents.tenantId, tenantId));
		expect(events.map((row) => row.resourceId).sort()).toEqual(["row_1", "row_2", "row_3"]);
	});

	it("merges only consecutive units of the same shape, and leaves a lone unit as it is", () => {
		const tenantId = `tn_rows_${crypto.randomUUID()}`;
		const [first, second, fourth] = [1, 2, 4].map((i) => unitOf(tenantId, i));
		const third: BatchItem<"sqlite">[] = [db.insert(auditLog).values(auditRow(tenantId, 3, { own: 3 }))];
		const merged = mergedUnits(db, [first, second, third, fourth] as BatchItem<"sqlite">[][]);
		// The first two as four statements, then the third and the fourth as they are.
		const unmerged = [...third, ...(fourth as BatchItem<"sqlite">[])];
		expect(merged).toHaveLength(4 + unmerged.length);
		for (const [i, item] of unmerged.entries()) expect(merged[4 + i]).toBe(item);
	});
});
