// Baselines for `npm run bench` (bench/README.md): the cheapest possible versions of what the API does —
// a trivial route, one D1 point read, one D1 batch of 10 inserts, one Durable Object call that writes D1 —
// so the benchmark reports every scenario as a ratio to them, measured in the same run on the same runtime.
// Plain Hono behind the product's first middleware (request id, logger, clock), composed with the product
// only in bench/worker.ts; they create and touch only their own bench_* tables, which no product migration
// knows.
import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import type { Env } from "../src/env";
import type { AppBindings } from "../src/lib/context";
import { requestContext } from "../src/middleware/requestContext";

/** Bound only by the benchmark's own configuration (bench/config.mjs), never in wrangler.toml. */
type BenchEnv = Env & { BENCH_DO?: DurableObjectNamespace<BenchDO> };

const PAYLOAD = JSON.stringify({ note: "x".repeat(400) });

const SCHEMA = [
	"CREATE TABLE IF NOT EXISTS bench_kv (k INTEGER PRIMARY KEY, payload TEXT NOT NULL, updated_at TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS bench_do_writes (id TEXT PRIMARY KEY, object TEXT NOT NULL, seq INTEGER NOT NULL, created_at TEXT NOT NULL)",
];

/** Once per isolate (and per database): CREATE TABLE IF NOT EXISTS for the baselines' own tables. */
const ready = new WeakMap<D1Database, Promise<unknown>>();
function ensureTables(db: D1Database) {
	let done = ready.get(db);
	if (!done) {
		done = db.batch(SCHEMA.map((statement) => db.prepare(statement))).catch((error) => {
			ready.delete(db);
			throw error;
		});
		ready.set(db, done);
	}
	return done;
}

/** The floor for money writes: one call into a Durable Object that runs one at a time and writes one D1 row. */
export class BenchDO extends DurableObject<Env> {
	#tail: Promise<unknown> = Promise.resolve();
	#seq = 0;

	write(object: string): Promise<number> {
		const run = this.#tail.then(async () => {
			await ensureTables(this.env.DB);
			this.#seq += 1;
			await this.env.DB.prepare("INSERT INTO bench_do_writes (id, object, seq, created_at) VALUES (?, ?, ?, ?)")
				.bind(crypto.randomUUID(), object, this.#seq, new Date().toISOString())
				.run();
			return this.#seq;
		});
		this.#tail = run.catch(() => undefined);
		return run;
	}
}

export const benchRoutes = new Hono<AppBindings>().basePath("/__bench");

benchRoutes.use("*", requestContext);

/** Trivial: the app's middleware (request id, logger) and a JSON answer, no I/O. */
benchRoutes.get("/noop", (c) => c.json({ ok: true }));

/** Creates the tables and fills bench_kv with `rows` rows (default 10,000) for the point-read baseline. */
benchRoutes.post("/setup", async (c) => {
	const rows = Math.min(Math.max(Number(c.req.query("rows") ?? 10_000) || 10_000, 1), 1_000_000);
	await ensureTables(c.env.DB);
	await c.env.DB.prepare(
		`WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?)
		 INSERT OR REPLACE INTO bench_kv (k, payload, updated_at) SELECT k, ?, ? FROM n`,
	)
		.bind(rows, PAYLOAD, new Date().toISOString())
		.run();
	return c.json({ ok: true, rows });
});

/** One D1 point read by primary key. */
benchRoutes.get("/d1/read/:k", async (c) => {
	await ensureTables(c.env.DB);
	const row = await c.env.DB.prepare("SELECT k, payload, updated_at FROM bench_kv WHERE k = ?")
		.bind(Number(c.req.param("k")))
		.first();
	if (!row) return c.json({ error: "No such bench row; POST /__bench/setup first." }, 404);
	return c.json(row);
});

/** One D1 batch of 10 inserts (D1 runs a batch as one transaction). */
benchRoutes.post("/d1/batch", async (c) => {
	await ensureTables(c.env.DB);
	const now = new Date().toISOString();
	const insert = c.env.DB.prepare("INSERT INTO bench_rows (id, payload, created_at) VALUES (?, ?, ?)");
	await c.env.DB.batch(Array.from({ length: 10 }, () => insert.bind(crypto.randomUUID(), PAYLOAD, now)));
	return c.json({ ok: true, inserted: 10 }, 201);
});

/** One RPC into the BenchDO named `?object=` (default "hot"), which writes one D1 row, serialized. */
benchRoutes.post("/do/write", async (c) => {
	const namespace = (c.env as BenchEnv).BENCH_DO;
	if (!namespace) return c.json({ error: "No BENCH_DO binding in this configuration." }, 503);
	const object = c.req.query("object") ?? "hot";
	const seq = await namespace.get(namespace.idFromName(object)).write(object);
	return c.json({ ok: true, object, seq }, 201);
});
