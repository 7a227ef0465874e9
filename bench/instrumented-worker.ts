// Diagnostics only (never the measured bundle): bench/worker.ts with every D1 call counted by where it
// was made — on the request path (including its after-response event dispatch), inside AccountDO, or in
// the queue consumer — so RESULTS.md can say how many D1 round trips each scenario costs and how many
// of them sit in the account's serialized section. Counters: GET /__bench-diag (DELETE resets them).

import type { Env } from "../src/env";
import { AccountDO as ProductAccountDO } from "../src/index";
import worker from "./worker";

export * from "./worker";

type Where = "request" | "account_do" | "queue";
const counts: Record<Where, number> = { request: 0, account_do: 0, queue: 0 };
const tags = new WeakMap<object, Where>();
let patched = false;

/** Counts every statement execution and batch (one round trip each), by the tag of the statement. */
function patchD1(db: D1Database) {
	if (patched) return;
	patched = true;
	const statement = Object.getPrototypeOf(db.prepare("SELECT 1"));
	const bind = statement.bind;
	statement.bind = function (this: object, ...values: unknown[]) {
		const bound = bind.apply(this, values);
		const tag = tags.get(this);
		if (tag) tags.set(bound, tag);
		return bound;
	};
	for (const method of ["all", "run", "first", "raw"]) {
		const original = statement[method];
		statement[method] = function (this: object, ...args: unknown[]) {
			counts[tags.get(this) ?? "request"] += 1;
			return original.apply(this, args);
		};
	}
	const database = Object.getPrototypeOf(db);
	const batch = database.batch;
	database.batch = function (this: D1Database, statements: D1PreparedStatement[]) {
		counts[(statements[0] && tags.get(statements[0])) ?? "request"] += 1;
		return batch.call(this, statements);
	};
}

/** The same env, whose DB tags the statements it prepares with `where`. */
function tagged(env: Env, where: Where): Env {
	patchD1(env.DB);
	const db = new Proxy(env.DB, {
		get(target, property) {
			if (property === "prepare") {
				return (query: string) => {
					const statement = target.prepare(query);
					tags.set(statement, where);
					return statement;
				};
			}
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return new Proxy(env, {
		get: (target, property) => (property === "DB" ? db : Reflect.get(target, property, target)),
	});
}

export class AccountDO extends ProductAccountDO {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, tagged(env, "account_do"));
	}
}

export default {
	...worker,
	fetch(request: Request, env: Env, ctx: ExecutionContext) {
		patchD1(env.DB);
		if (new URL(request.url).pathname === "/__bench-diag") {
			const body = JSON.stringify(counts);
			if (request.method === "DELETE") for (const key of Object.keys(counts) as Where[]) counts[key] = 0;
			return new Response(body, { headers: { "content-type": "application/json" } });
		}
		return worker.fetch(request, env, ctx);
	},
	queue(batch: MessageBatch, env: Env, ctx: ExecutionContext) {
		return worker.queue(batch, tagged(env, "queue"), ctx);
	},
} satisfies ExportedHandler<Env>;
