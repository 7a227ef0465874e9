import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { beforeAll, describe, expect, it } from "vitest";
import { OperationQueue, RefusedWithGroup } from "../../durable-objects/account/operationQueue";
import { database, rawStatement } from "../../src/db/client";
import { messageOf } from "../../src/lib/dbErrors";
import { watchedDatabase } from "../helpers/watchedDatabase";

const db = database(env.DB);

const written = (id: string) => rawStatement(db, sql`insert into queue_probe (id) values (${id})`);
/** What a check refuses: the batch it is in writes nothing. */
const refused = () => rawStatement(db, sql`insert into account_state_checks (expected, actual) values ('1', '2')`);
const stored = async (prefix: string) =>
	(
		await env.DB.prepare("select id from queue_probe where id like ? order by id")
			.bind(`${prefix}%`)
			.all<{ id: string }>()
	).results.map((row) => row.id);

beforeAll(async () => {
	await env.DB.exec("create table if not exists queue_probe (id text primary key)");
});

describe("the account object's operation queue", () => {
	it("lets the next operation in once statements are handed over, and sends those handed over meanwhile as one batch", async () => {
		const { watched, batches } = watchedDatabase();
		const queue = new OperationQueue(watched);
		const prepared: string[] = [];
		const handOver = (id: string) =>
			queue.handingOver(async (turn) => {
				prepared.push(id);
				await turn.commit([written(id)]);
				return id;
			});

		expect(await Promise.all([handOver("group-a"), handOver("group-b"), handOver("group-c")])).toEqual([
			"group-a",
			"group-b",
			"group-c",
		]);
		expect(prepared).toEqual(["group-a", "group-b", "group-c"]);
		// The first batch left alone; the two handed over while it was in flight went together.
		expect(batches).toEqual([1, 2]);
		expect(await stored("group-")).toEqual(["group-a", "group-b", "group-c"]);
	});

	it("refuses a group whole: every operation in it is refused and none of it is written", async () => {
		const { watched, batches } = watchedDatabase();
		const queue = new OperationQueue(watched);
		const handOver = (statements: BatchItem<"sqlite">[]) => queue.handingOver((turn) => turn.commit(statements));

		const results = await Promise.allSettled([
			handOver([written("whole-a")]),
			handOver([written("whole-b")]),
			handOver([refused()]),
			handOver([written("whole-d")]),
		]);
		expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
		for (const result of results.slice(1)) {
			const reason = (result as PromiseRejectedResult).reason;
			// Any of them may have caused it: each is told it was refused with its group, and why.
			expect(reason).toBeInstanceOf(RefusedWithGroup);
			expect(messageOf(reason)).toContain("account_state_changed");
		}
		expect(batches).toEqual([1, 3]);
		expect(await stored("whole-")).toEqual(["whole-a"]);
	});

	it("gives an operation refused alone the database's own error", async () => {
		const queue = new OperationQueue(db);
		const refusal = await queue.handingOver((turn) => turn.commit([refused()])).catch((error: unknown) => error);
		expect(refusal).not.toBeInstanceOf(RefusedWithGroup);
		expect(messageOf(refusal)).toContain("account_state_changed");
	});

	it("fails the group, and only the group, whose batch fails with its outcome unknown", async () => {
		const lost = new Error("D1_ERROR: Network connection lost.");
		const { watched, batches } = watchedDatabase((call) => (call === 2 ? lost : undefined));
		const queue = new OperationQueue(watched);
		const handOver = (id: string) => queue.handingOver((turn) => turn.commit([written(id)]));

		const first = await Promise.allSettled([handOver("lost-a"), handOver("lost-b"), handOver("lost-c")]);
		expect(first.map((result) => result.status)).toEqual(["fulfilled", "rejected", "rejected"]);
		// Its outcome is unknown, so nobody is told to run again.
		expect((first[1] as PromiseRejectedResult).reason).toBe(lost);
		expect((first[2] as PromiseRejectedResult).reason).toBe(lost);
		// The queue goes on: the next operation commits.
		await handOver("lost-d");
		expect(batches).toEqual([1, 2, 1]);
		expect(await stored("lost-")).toEqual(["lost-a", "lost-d"]);
	});

	it("runs an exclusive operation only once everything handed over before it has committed", async () => {
		const queue = new OperationQueue(db);
		const handedOver = queue.handingOver((turn) => turn.commit([written("wait-a")]));
		const seen = queue.exclusive(() => stored("wait-"));
		const after = queue.handingOver((turn) => turn.commit([written("wait-b")]));
		expect(await seen).toEqual(["wait-a"]);
		await Promise.all([handedOver, after]);
		expect(await stored("wait-")).toEqual(["wait-a", "wait-b"]);
	});

	it("runs afresh within the turn while it is held, and after the operations waiting once it was let go", async () => {
		const queue = new OperationQueue(db);
		const order: string[] = [];
		const note = (name: string) => async () => {
			order.push(name);
		};
		const held = queue.handingOver((turn) => turn.afresh(note("held, afresh")));
		const next = queue.exclusive(note("next"));
		await Promise.all([held, next]);
		expect(order).toEqual(["held, afresh", "next"]);

		order.length = 0;
		const letGo = queue.handingOver(async (turn) => {
			await turn.commit([written("afresh-a")]);
			await turn.afresh(note("let go, afresh"));
		});
		const waiting = queue.exclusive(note("waiting"));
		await Promise.all([letGo, waiting]);
		expect(order).toEqual(["waiting", "let go, afresh"]);
	});

	it("refuses a second hand-over by one operation", async () => {
		const queue = new OperationQueue(db);
		await expect(
			queue.handingOver(async (turn) => {
				await turn.commit([written("twice-a")]);
				await turn.commit([written("twice-b")]);
			}),
		).rejects.toThrow("hands over its statements once");
		expect(await stored("twice-")).toEqual(["twice-a"]);
	});
});
