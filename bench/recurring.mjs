#!/usr/bin/env node
// `npm run bench:recurring`: one recurring billing run over 10,000 subscriptions on Miniflare, on
// 127.0.0.1. Customers are created through the API, and each its first subscription (which, as every
// subscription made through the API, meets the account's Durable Object, so every account's object exists
// before the run, as it does in a service that has billed them before); the other subscriptions are cloned
// from one of them by SQL while no server runs. The run is then started through the API, on a server just
// started (no object in memory), and timed until its job finishes. Writes bench/RECURRING.md and stops
// everything it started.
// With --profile, the run is also CPU-profiled (bench/.out/profile/recurring.cpuprofile, summary printed).
//   node bench/recurring.mjs [--subscriptions N] [--accounts N] [--profile]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ADMIN_TOKEN, OUT, ROOT } from "./config.mjs";
import { runtimeCpuSeconds } from "./lib/cpu.mjs";
import { withD1 } from "./lib/d1.mjs";
import { machineInfo } from "./lib/facts.mjs";
import { call, expectStatus, pool } from "./lib/http.mjs";
import { freePort, runToEnd, sleep, stopEverythingOnExit } from "./lib/processes.mjs";
import { connectProfiler, summarize } from "./lib/profiler.mjs";
import { freshMiniflare } from "./lib/servers.mjs";
import { columnsOf, customerBody, selectList } from "./lib/workload.mjs";

const { values: options } = parseArgs({
	options: {
		subscriptions: { type: "string", default: "10000" },
		accounts: { type: "string", default: "2000" },
		deadline: { type: "string", default: "900" },
		profile: { type: "boolean", default: false },
	},
});
const SUBSCRIPTIONS = Number(options.subscriptions);
const ACCOUNTS = Number(options.accounts);
if (!(ACCOUNTS >= 1 && SUBSCRIPTIONS > ACCOUNTS)) {
	console.error("--subscriptions must be more than --accounts (each account has one made through the API)");
	process.exit(2);
}
// Subscriptions are made starting far ahead, so nothing is billed when they are created; the seed step
// then moves them all to today (UTC, the tenant's zone), the latest date a run may bill.
const START_DATE = "2031-01-01";
const BILLING_DATE = new Date().toISOString().slice(0, 10);

const started = performance.now();
const log = (message) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
stopEverythingOnExit(Number(options.deadline));

async function main() {
	const { state, databaseId, serve } = freshMiniflare("recurring");

	log(`setup: ${ACCOUNTS} customers and each its first subscription through the API`);
	let setup = await serve("recurring-setup");
	let tenant;
	let template;
	try {
		const created = await expectStatus(
			call(setup.url, "/v1/admin/tenants", {
				key: ADMIN_TOKEN,
				body: { name: "Recurring bench", default_currency: "USD" },
			}),
			201,
			"tenant",
		);
		tenant = { id: created.tenant.id, key: created.api_key.secret };
		const customers = await pool(ACCOUNTS, 8, async (i) => {
			const body = await expectStatus(
				call(setup.url, "/v1/billing/customers", { key: tenant.key, body: customerBody(i) }),
				201,
				"customer",
			);
			return body.id;
		});
		const plan = await expectStatus(
			call(setup.url, "/v1/billing/plans", {
				key: tenant.key,
				body: { code: "bench_monthly", name: "Bench", interval: "month", amount: 2900, currency: "USD" },
			}),
			201,
			"plan",
		);
		const firsts = await pool(ACCOUNTS, 8, (i) =>
			expectStatus(
				call(setup.url, "/v1/billing/subscriptions", {
					key: tenant.key,
					body: { customer_id: customers[i], plan_id: plan.id, start_date: START_DATE },
				}),
				201,
				"subscription",
			),
		);
		template = firsts[0];
	} finally {
		await setup.stop();
	}

	log(`seed: ${SUBSCRIPTIONS - ACCOUNTS} more subscriptions cloned by SQL over ${ACCOUNTS} accounts`);
	await withD1(state, databaseId, async (db) => {
		const columns = await columnsOf(db, "subscriptions");
		const select = selectList(columns, "t", {
			id: "printf('sub_%026d', seq.n)",
			customer_id: "(SELECT id FROM cust WHERE j = seq.n % ?3)",
		});
		await db
			.prepare(
				`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?1),
				cust AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS j FROM customers WHERE tenant_id = ?2)
				INSERT INTO subscriptions (${columns.join(", ")})
				SELECT ${select} FROM seq, subscriptions t WHERE t.id = ?4`,
			)
			.bind(SUBSCRIPTIONS - ACCOUNTS, tenant.id, ACCOUNTS, template.id)
			.run();
		await db
			.prepare(
				"UPDATE subscriptions SET start_date = ?2, billing_cycle_anchor = ?2, next_billing_date = ?2, version = version + 1 WHERE tenant_id = ?1",
			)
			.bind(tenant.id, BILLING_DATE)
			.run();
	});

	log(`run: bill ${BILLING_DATE} for ${SUBSCRIPTIONS} subscriptions`);
	const inspectorPort = options.profile ? await freePort() : undefined;
	setup = await serve("recurring-run", inspectorPort);
	let job;
	let seconds;
	let cpuAtStart = null;
	let cpuSeconds = null;
	try {
		const profiler = inspectorPort ? await connectProfiler(inspectorPort) : null;
		await profiler?.start();
		const runStarted = performance.now();
		cpuAtStart = runtimeCpuSeconds(setup.pid);
		const queued = await expectStatus(
			call(setup.url, "/v1/billing/recurring/run", { key: tenant.key, body: { date: BILLING_DATE } }),
			202,
			"run",
		);
		for (;;) {
			job = (await call(setup.url, `/v1/billing/jobs/${queued.id}`, { key: tenant.key })).body;
			if (job.finished_at) break;
			await sleep(200);
		}
		seconds = (performance.now() - runStarted) / 1000;
		const cpuAtEnd = runtimeCpuSeconds(setup.pid);
		cpuSeconds = cpuAtStart === null || cpuAtEnd === null ? null : cpuAtEnd - cpuAtStart;
		if (profiler) {
			const profile = await profiler.stop();
			mkdirSync(path.join(OUT, "profile"), { recursive: true });
			writeFileSync(path.join(OUT, "profile", "recurring.cpuprofile"), JSON.stringify(profile));
			console.log(summarize(profile, 40));
		}
	} finally {
		await setup.stop();
	}
	const billed = await withD1(state, databaseId, (db) =>
		db
			.prepare("SELECT count(*) AS n FROM subscription_invoices WHERE tenant_id = ?1 AND period_start = ?2")
			.bind(tenant.id, BILLING_DATE)
			.first(),
	);
	rmSync(state, { recursive: true, force: true });

	const machine = machineInfo();
	const perSecond = billed.n / seconds;
	log(`${job.status}: ${billed.n} periods billed in ${seconds.toFixed(1)} s (${perSecond.toFixed(0)} subscriptions/s)`);
	const summary = { finishedAt: new Date().toISOString(), subscriptions: SUBSCRIPTIONS, accounts: ACCOUNTS };
	writeFileSync(
		path.join(OUT, "recurring.json"),
		`${JSON.stringify({ ...summary, status: job.status, billed: billed.n, seconds, perSecond, cpuSeconds }, null, 2)}\n`,
	);
	writeFileSync(
		path.join(ROOT, "bench", "RECURRING.md"),
		`# Recurring run benchmark

Generated by \`npm run bench:recurring\` on ${new Date().toISOString().slice(0, 10)}; Miniflare (local workerd,
D1, Durable Objects and Queues), ${machine.cores} cores (${machine.cpuModel}). One run over ${SUBSCRIPTIONS} monthly
subscriptions spread over ${ACCOUNTS} accounts, all due on the same day.

| measure | value |
| --- | --- |
| job status | ${job.status} |
| accounts processed | ${job.progress?.processed ?? "?"} of ${job.progress?.total ?? "?"} |
| periods billed (invoices issued) | ${billed.n} |
| run time, API call to job finished | ${seconds.toFixed(1)} s |
| throughput | ${perSecond.toFixed(0)} subscriptions/s |
| runtime CPU (\`workerd\`, all threads) | ${cpuSeconds === null ? "–" : `${cpuSeconds.toFixed(1)} s, ${((1000 * cpuSeconds) / billed.n).toFixed(2)} ms per invoice, ${Math.round((100 * cpuSeconds) / seconds)} % of one core`} |

The run fans out queue messages of ten accounts each, billed side by side; each account's Durable Object
bills its due periods in one D1 batch (per period: invoice, lines, journal, subscription key, subscription
update, audit and event rows; each table's rows of all the periods in one insert). Each account's first
subscription was made through the API (the other subscriptions are cloned by SQL), so every account's
object exists, as in a service that has billed its accounts before; none is in memory, as the run's server
has just started.
`,
	);
	log("wrote bench/RECURRING.md");
}

runToEnd(main);
