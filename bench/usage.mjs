#!/usr/bin/env node
// `npm run bench:usage`: usage ingestion on Miniflare, on 127.0.0.1. Two phases, each on a fresh server and
// its own tenant (100 customers, metric api_calls): a few clients POST /v1/billing/usage in batches of 100
// events, then of 1,000, for --duration seconds; then the run waits until every accepted event is
// aggregated (GET /v1/billing/usage, summing `events`). Once the servers are stopped, D1 gives the
// accept→aggregate delay of every event (received_at − timestamp) and the exactly-once checks.
// Writes bench/USAGE.md and stops everything it started.
//   node bench/usage.mjs [--duration S] [--clients N] [--batches 100,1000] [--customers N] [--drain-timeout S]
//                        [--keep-state]   (keeps bench/.out/state-usage for a look at D1 afterwards)
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ADMIN_TOKEN, OUT, ROOT } from "./config.mjs";
import { withD1 } from "./lib/d1.mjs";
import { machineInfo } from "./lib/facts.mjs";
import { call, expectStatus, pool } from "./lib/http.mjs";
import { runToEnd, sleep, stopEverythingOnExit } from "./lib/processes.mjs";
import { freshMiniflare } from "./lib/servers.mjs";
import { customerBody } from "./lib/workload.mjs";

const { values: options } = parseArgs({
	options: {
		duration: { type: "string", default: "20" },
		warmup: { type: "string", default: "2" },
		clients: { type: "string", default: "8" },
		// Phases: events per request, optionally "@rate" to pace all clients together at that many events/s.
		batches: { type: "string", default: "100,1000,100@20000,1000@20000" },
		customers: { type: "string", default: "100" },
		"drain-timeout": { type: "string", default: "120" },
		deadline: { type: "string", default: "560" },
		"keep-state": { type: "boolean", default: false },
	},
});
const DURATION_S = Number(options.duration);
const WARMUP_S = Number(options.warmup);
const CLIENTS = Number(options.clients);
const PHASES = options.batches.split(",").map((spec) => {
	const [batch, rate] = spec.split("@").map(Number);
	return { batch, rate: rate || null };
});
const CUSTOMERS = Number(options.customers);
const DRAIN_TIMEOUT_S = Number(options["drain-timeout"]);
const METRIC = "api_calls";
const REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"];
// The targets of the issue.
const TARGET_EVENTS_PER_S = 20_000;
const TARGET_DELAY_P99_MS = 2_000;

const started = performance.now();
const log = (message) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
stopEverythingOnExit(Number(options.deadline));

const day = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Nearest-rank percentile of sorted numbers; with `weights`, of the values each repeated weight times. */
function percentile(sorted, p, weights) {
	if (sorted.length === 0) return null;
	if (!weights) return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
	const total = weights.reduce((a, b) => a + b, 0);
	const rank = Math.max(1, Math.ceil((p / 100) * total));
	let seen = 0;
	for (let i = 0; i < sorted.length; i++) {
		seen += weights[i];
		if (seen >= rank) return sorted[i];
	}
	return sorted.at(-1);
}

/** CPU seconds used so far by every thread of the server's process group (Miniflare's Node and workerd). */
function groupCpu(pgid) {
	const ticks = 100; // USER_HZ on Linux
	const threads = new Map();
	let total = 0;
	for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
		let stat;
		try {
			stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		} catch {
			continue;
		}
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		if (Number(fields[2]) !== pgid) continue;
		const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
		let tasks = [];
		try {
			tasks = readdirSync(`/proc/${pid}/task`);
		} catch {
			// Gone.
		}
		for (const tid of tasks) {
			try {
				const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
				const f = t.slice(t.lastIndexOf(")") + 2).split(" ");
				const seconds = (Number(f[11]) + Number(f[12])) / ticks;
				threads.set(`${comm}:${tid}`, seconds);
				total += seconds;
			} catch {
				// Gone.
			}
		}
	}
	return { total, threads };
}

/** Busy CPU seconds of the whole machine so far (every process, ours and others'). */
function machineCpu() {
	const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
	const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
	return (user + nice + system + irq + softirq + steal) / 100;
}

/** Cores used between two samples: all threads together, and the busiest thread alone. */
function cpuBetween(before, after, seconds) {
	let busiest = { name: null, cores: 0 };
	for (const [name, s] of after.threads) {
		const cores = (s - (before.threads.get(name) ?? 0)) / seconds;
		if (cores > busiest.cores) busiest = { name, cores };
	}
	return { cores: (after.total - before.total) / seconds, busiest };
}

/** The events aggregated so far for the tenant: the sum of `events` over the usage rows of the window. */
async function aggregatedCount(url, key) {
	const res = await call(url, `/v1/billing/usage?from=${day(-1)}&to=${day(1)}&metric=${METRIC}`, { key });
	if (res.status !== 200) throw new Error(`usage read: ${res.status} ${res.text.slice(0, 500)}`);
	return res.body.data.reduce((sum, row) => sum + (row.events ?? 0), 0);
}

/**
 * `clients` loops, each POSTing batches of `batch` events until `seconds` have passed. The timestamp of
 * a request's events is taken just before its body is built and sent.
 */
async function load({ url, key, customers, tag, batch, clients, seconds, rate = null }) {
	const latencies = [];
	const failures = new Map();
	const stats = { requests: 0, accepted: 0, rejected: 0, networkErrors: 0 };
	const begin = performance.now();
	const startedAt = Date.now();
	const until = begin + seconds * 1000;
	let last = begin;
	// Paced: the clients take turns so that together they offer `rate` events/s, however fast the server is.
	const interval = rate ? (clients * batch * 1000) / rate : 0;
	const client = async (c) => {
		for (let n = 0; performance.now() < until; n++) {
			if (rate) {
				const due = begin + n * interval + (c * interval) / clients;
				if (due >= until) break;
				if (due > performance.now()) await sleep(due - performance.now());
			}
			const timestamp = new Date().toISOString();
			const events = new Array(batch);
			for (let i = 0; i < batch; i++) {
				events[i] = {
					event_id: `${tag}-${c}-${n}-${i}`,
					customer_id: customers[(c * 7919 + n * batch + i) % customers.length],
					metric: METRIC,
					quantity: 1,
					timestamp,
					dimensions: { region: REGIONS[i % REGIONS.length] },
				};
			}
			const body = JSON.stringify(events);
			const t0 = performance.now();
			let status;
			let text;
			try {
				const response = await fetch(`${url}/v1/billing/usage`, {
					method: "POST",
					headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
					body,
					signal: AbortSignal.timeout(60_000),
				});
				status = response.status;
				text = await response.text();
			} catch (error) {
				status = "network";
				text = String(error?.cause ?? error);
			}
			const now = performance.now();
			last = Math.max(last, now);
			stats.requests++;
			if (status === 202) {
				const result = JSON.parse(text);
				latencies.push(now - t0);
				stats.accepted += result.accepted;
				stats.rejected += result.rejected.length;
				if (result.rejected.length > 0 && !failures.has("rejected"))
					failures.set("rejected", { status, count: 0, body: JSON.stringify(result.rejected.slice(0, 3)) });
				if (result.rejected.length > 0) failures.get("rejected").count += result.rejected.length;
			} else {
				if (status === "network") stats.networkErrors++;
				const signature = `${status} ${text.slice(0, 300)}`;
				const entry = failures.get(signature) ?? { status, count: 0, body: text.slice(0, 2000) };
				entry.count++;
				failures.set(signature, entry);
			}
		}
	};
	await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
	latencies.sort((a, b) => a - b);
	return {
		...stats,
		startedAt,
		begin,
		seconds: (last - begin) / 1000,
		scheduledSeconds: seconds,
		ok: latencies.length,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		max: latencies.at(-1) ?? null,
		failures: [...failures.values()],
	};
}

/** Polls the aggregated count until it reaches `target` or `timeoutS` passes; the time it got there. */
async function drain({ url, key, target, timeoutS, intervalMs = 250 }) {
	const deadline = performance.now() + timeoutS * 1000;
	let count = 0;
	for (;;) {
		count = await aggregatedCount(url, key);
		if (count >= target) return { count, at: performance.now(), caughtUp: true };
		if (performance.now() > deadline) return { count, at: performance.now(), caughtUp: false };
		await sleep(intervalMs);
	}
}

/** Setup (tenant, customers, metric), warm-up, measured load and drain of one phase on a fresh server. */
async function runPhase({ serve, batch, rate }) {
	const tag = rate ? `b${batch}r${rate}` : `b${batch}`;
	const server = await serve(`usage-${tag}`);
	try {
		const created = await expectStatus(
			call(server.url, "/v1/admin/tenants", {
				key: ADMIN_TOKEN,
				body: { name: `Usage bench ${batch}`, default_currency: "USD" },
			}),
			201,
			"tenant",
		);
		const tenant = { id: created.tenant.id, key: created.api_key.secret };
		const customers = await pool(CUSTOMERS, 8, async (i) => {
			const body = await expectStatus(
				call(server.url, "/v1/billing/customers", { key: tenant.key, body: customerBody(i) }),
				201,
				"customer",
			);
			return body.id;
		});
		await expectStatus(
			call(server.url, "/v1/billing/billable-metrics", {
				key: tenant.key,
				body: { code: METRIC, name: "API calls", aggregation: "sum" },
			}),
			201,
			"billable metric",
		);

		const common = { url: server.url, key: tenant.key, customers, batch, clients: CLIENTS, rate };
		log(`${tag}: warm-up, ${WARMUP_S} s`);
		const warm = await load({ ...common, tag: `w${batch}`, seconds: WARMUP_S });
		if (warm.failures.length > 0) throw new Error(`${tag} warm-up failed: ${JSON.stringify(warm.failures, null, 2)}`);
		const warmDrain = await drain({ url: server.url, key: tenant.key, target: warm.accepted, timeoutS: 60 });
		if (!warmDrain.caughtUp) throw new Error(`${tag}: warm-up events never aggregated (${warmDrain.count})`);

		log(`${tag}: load, ${CLIENTS} clients × ${batch} events per request, ${DURATION_S} s`);
		const cpuBefore = groupCpu(server.pid);
		const clientCpuBefore = process.cpuUsage();
		const machineBefore = machineCpu();
		const result = await load({ ...common, tag, seconds: DURATION_S });
		const cpuLoad = cpuBetween(cpuBefore, groupCpu(server.pid), result.seconds);
		const clientCpu = process.cpuUsage(clientCpuBefore);
		const machineCores = (machineCpu() - machineBefore) / result.seconds;
		const atLoadEnd = await aggregatedCount(server.url, tenant.key);
		log(
			`${tag}: ${result.ok} requests accepted ${result.accepted} events in ${result.seconds.toFixed(1)} s; ` +
				`${atLoadEnd - warm.accepted} aggregated by then; waiting for the rest`,
		);
		const drainStart = groupCpu(server.pid);
		const drained = await drain({
			url: server.url,
			key: tenant.key,
			target: warm.accepted + result.accepted,
			timeoutS: DRAIN_TIMEOUT_S,
		});
		const drainSeconds = (drained.at - result.begin) / 1000 - result.seconds;
		const cpuDrain = drainSeconds > 0.5 ? cpuBetween(drainStart, groupCpu(server.pid), drainSeconds) : null;
		return {
			batch,
			rate,
			tag,
			tenant,
			warm,
			result,
			aggregatedAtLoadEnd: atLoadEnd - warm.accepted,
			aggregated: drained.count - warm.accepted,
			caughtUp: drained.caughtUp,
			aggregatedSeconds: (drained.at - result.begin) / 1000,
			cpuLoad,
			cpuDrain,
			clientCores: (clientCpu.user + clientCpu.system) / 1e6 / result.seconds,
			machineCores,
		};
	} finally {
		await server.stop();
	}
}

/** From D1 (no server running): exactly-once counts, delays and consumer batches of one phase. */
async function analyse(db, phase) {
	const { tenant, tag } = phase;
	const counts = await db
		.prepare(
			`SELECT (SELECT count(*) FROM usage_events WHERE tenant_id = ?1) AS stored,
				(SELECT count(*) FROM usage_events WHERE tenant_id = ?1 AND event_id LIKE ?2) AS measured,
				(SELECT coalesce(sum(events), 0) FROM usage_aggregates WHERE tenant_id = ?1) AS aggregated,
				(SELECT count(*) FROM usage_rejections WHERE tenant_id = ?1) AS rejections`,
		)
		.bind(tenant.id, `${tag}-%`)
		.first();
	// One timestamp per request and one received_at per consumer batch: few distinct pairs, weighted.
	const { results: pairs } = await db
		.prepare(
			`SELECT timestamp, received_at, count(*) AS n FROM usage_events
			WHERE tenant_id = ?1 AND event_id LIKE ?2 GROUP BY 1, 2`,
		)
		.bind(tenant.id, `${tag}-%`)
		.all();
	const delays = pairs
		.map((p) => ({ ms: Date.parse(p.received_at) - Date.parse(p.timestamp), n: p.n }))
		.sort((a, b) => a.ms - b.ms);
	const weights = delays.map((d) => d.n);
	const values = delays.map((d) => d.ms);
	const byBatch = new Map();
	for (const p of pairs) byBatch.set(p.received_at, (byBatch.get(p.received_at) ?? 0) + p.n);
	const batchSizes = [...byBatch.values()].sort((a, b) => a - b);
	const loadEnd = phase.result.startedAt + phase.result.seconds * 1000;
	const duringLoad = [...byBatch.keys()].filter((at) => Date.parse(at) <= loadEnd).length;
	const lastReceived = pairs.reduce((m, p) => (p.received_at > m ? p.received_at : m), "");
	const { results: starts } = await db
		.prepare("SELECT received_at, count(*) AS n FROM usage_events WHERE tenant_id = ?1 GROUP BY 1 ORDER BY 1")
		.bind(tenant.id)
		.all();
	return {
		...counts,
		delayP50: percentile(values, 50, weights),
		delayP99: percentile(values, 99, weights),
		delayMax: values.at(-1) ?? null,
		consumerBatches: batchSizes.length,
		consumerBatchesDuringLoad: duringLoad,
		eventsPerConsumerBatch: {
			p50: percentile(batchSizes, 50),
			max: batchSizes.at(-1) ?? null,
			mean: batchSizes.length ? phase.result.accepted / batchSizes.length : null,
		},
		lastStoredSeconds: lastReceived ? (Date.parse(lastReceived) - phase.result.startedAt) / 1000 : null,
		consumerTimes: consumerTimes(
			starts.map((s) => ({ at: Date.parse(s.received_at), n: s.n })),
			phase.consumer,
			phase.result.startedAt,
		),
	};
}

/**
 * From the server log: per consumer batch, its "usage recorded" line (messages, stored; written when it
 * committed), and the Worker's own duration_ms of the measured POST /v1/billing/usage requests.
 */
function serverLog(logFile, from, to) {
	let lines = [];
	try {
		lines = readFileSync(logFile, "utf8").split("\n");
	} catch {
		return null;
	}
	const recorded = [];
	const durations = [];
	let failed = 0;
	let errors = 0;
	for (const line of lines) {
		if (!line.startsWith("{")) continue;
		try {
			const entry = JSON.parse(line);
			if (entry.message === "usage recorded") recorded.push(entry);
			else if (entry.message === "usage batch failed; retrying") failed++;
			else if (entry.level === "error") errors++;
			const at = Date.parse(entry.time);
			if (
				entry.message === "request" &&
				entry.method === "POST" &&
				entry.path === "/v1/billing/usage" &&
				at >= from &&
				at <= to
			)
				durations.push(entry.duration_ms);
		} catch {
			// Not one of ours.
		}
	}
	const messages = recorded.map((e) => e.messages).sort((a, b) => a - b);
	durations.sort((a, b) => a - b);
	return {
		batches: recorded.length,
		failed,
		errors,
		messagesP50: percentile(messages, 50),
		messagesMax: messages.at(-1),
		ends: recorded.map((e) => ({ at: Date.parse(e.time), stored: e.stored })),
		requestP50: percentile(durations, 50),
		requestP99: percentile(durations, 99),
	};
}

/**
 * The emulator's broker runs one consumer batch at a time, so the n-th batch by received_at (its start,
 * from D1) is the n-th "usage recorded" line (its commit, from the log): how long each batch took.
 */
function consumerTimes(starts, consumer, from) {
	if (!consumer || consumer.failed > 0 || starts.length !== consumer.ends.length) return null;
	const batches = starts.map((s, i) => ({ ...s, seconds: (consumer.ends[i].at - s.at) / 1000 }));
	if (batches.some((b, i) => b.n !== consumer.ends[i].stored)) return null;
	const measured = batches.filter((b) => b.at >= from);
	const seconds = measured.map((b) => b.seconds).sort((a, b) => a - b);
	const busy = seconds.reduce((a, b) => a + b, 0);
	return {
		p50: percentile(seconds, 50),
		max: seconds.at(-1) ?? null,
		busy,
		eventsPerBusySecond: measured.reduce((a, b) => a + b.n, 0) / busy,
	};
}

const fmt = (n, digits = 0) =>
	n === null || n === undefined || Number.isNaN(n)
		? "–"
		: n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n) => (n === null || n === undefined ? "–" : `${fmt(n)} ms`);

/** A phase's headline figures (also written to bench/.out/usage.json for the combined report). */
function phaseFigures(p) {
	const r = p.result;
	const a = p.d1;
	// Paced, the clients offer the target rate for the scheduled seconds: accepted ÷ that is the rate the
	// server took (a client that fell behind offers less); the last answer's latency belongs to the delay.
	const acceptedPerS = r.accepted / (p.rate ? r.scheduledSeconds : r.seconds);
	const tailSeconds = p.aggregatedSeconds - r.seconds;
	return {
		title: phaseTitle(p),
		batch: p.batch,
		rate: p.rate,
		acceptedPerS,
		aggregatedPerS: p.caughtUp ? r.accepted / p.aggregatedSeconds : null,
		caughtUp: p.caughtUp,
		tailSeconds,
		delayP99: a.delayP99,
		keptUp: acceptedPerS >= 0.98 * TARGET_EVENTS_PER_S && tailSeconds * 1000 < TARGET_DELAY_P99_MS,
		exactlyOnce: a.stored === p.warm.accepted + r.accepted && a.aggregated === a.stored && a.rejections === 0,
	};
}

function phaseTable(p) {
	const r = p.result;
	const a = p.d1;
	const { acceptedPerS, aggregatedPerS, tailSeconds, keptUp, exactlyOnce } = phaseFigures(p);
	const rows = [
		["clients × events per request", `${CLIENTS} × ${fmt(p.batch)}`],
		["load duration", `${r.seconds.toFixed(1)} s`],
		["requests (202)", `${fmt(r.ok)} of ${fmt(r.requests)}`],
		["requests/s", fmt(r.ok / r.seconds, 1)],
		["request latency p50 / p99 / max (202s)", `${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}`],
		["events accepted", fmt(r.accepted)],
		[
			"**events accepted/s**",
			`**${fmt(acceptedPerS)}** (target ${fmt(TARGET_EVENTS_PER_S)}: ${acceptedPerS >= TARGET_EVENTS_PER_S ? "met" : "missed"})`,
		],
		[
			"aggregated when the load ended",
			`${fmt(p.aggregatedAtLoadEnd)} (${fmt((100 * p.aggregatedAtLoadEnd) / r.accepted)} %)`,
		],
		[
			"all aggregated after load start",
			p.caughtUp
				? `${p.aggregatedSeconds.toFixed(1)} s (last consumer batch started at ${fmt(a.lastStoredSeconds, 1)} s)`
				: `**never caught up**: ${fmt(p.aggregated)} of ${fmt(r.accepted)} after ${p.aggregatedSeconds.toFixed(0)} s`,
		],
		[
			"**events aggregated/s**",
			!p.caughtUp
				? `**< ${fmt(p.aggregated / p.aggregatedSeconds)}** (did not catch up)`
				: p.rate
					? // Paced: aggregation cannot outrun the offered rate; the question is whether it keeps up with it.
						`**${fmt(aggregatedPerS)}**: kept up with the ${fmt(acceptedPerS)} offered, the last event aggregated ${fmt(tailSeconds, 1)} s after the load ended (target ${fmt(TARGET_EVENTS_PER_S)}: ${keptUp ? "met" : "missed"})`
					: `**${fmt(aggregatedPerS)}** (target ${fmt(TARGET_EVENTS_PER_S)}: ${aggregatedPerS >= TARGET_EVENTS_PER_S ? "met" : "missed"})`,
		],
		[
			"**accept→aggregate delay p50 / p99 / max**",
			`${ms(a.delayP50)} / **${ms(a.delayP99)}** / ${ms(a.delayMax)} (p99 target ${fmt(TARGET_DELAY_P99_MS)} ms: ${a.delayP99 !== null && a.delayP99 < TARGET_DELAY_P99_MS ? "met" : "missed"})`,
		],
		[
			"consumer batches, started during load + after (events each: p50 / mean / max)",
			`${fmt(a.consumerBatchesDuringLoad)} + ${fmt(a.consumerBatches - a.consumerBatchesDuringLoad)} (${fmt(a.eventsPerConsumerBatch.p50)} / ${fmt(a.eventsPerConsumerBatch.mean)} / ${fmt(a.eventsPerConsumerBatch.max)})`,
		],
		...(p.consumer
			? [
					[
						"consumer batches in the log (queue messages each: p50 / max; failed)",
						`${fmt(p.consumer.batches)} (${fmt(p.consumer.messagesP50)} / ${fmt(p.consumer.messagesMax)}; ${fmt(p.consumer.failed)} failed)`,
					],
					[
						"request time inside the Worker p50 / p99 (its log's duration_ms)",
						`${ms(p.consumer.requestP50)} / ${ms(p.consumer.requestP99)}`,
					],
					["error lines in the server log", fmt(p.consumer.errors)],
				]
			: []),
		[
			"consumer time per batch p50 / max; events per busy second",
			a.consumerTimes
				? `${fmt(a.consumerTimes.p50, 2)} s / ${fmt(a.consumerTimes.max, 2)} s; ${fmt(a.consumerTimes.eventsPerBusySecond)} events/s (busy ${fmt(a.consumerTimes.busy, 1)} s of ${fmt(p.aggregatedSeconds, 1)} s)`
				: "– (log and D1 batches do not pair up)",
		],
		[
			"server CPU during load (all threads / busiest thread)",
			`${fmt(p.cpuLoad.cores, 2)} / ${fmt(p.cpuLoad.busiest.cores, 2)} cores (${p.cpuLoad.busiest.name ?? "–"})`,
		],
		[
			"server CPU while draining",
			p.cpuDrain ? `${fmt(p.cpuDrain.cores, 2)} / ${fmt(p.cpuDrain.busiest.cores, 2)} cores` : "– (nothing left)",
		],
		["bench client CPU during load", `${fmt(p.clientCores, 2)} cores`],
		[
			"whole machine CPU during load (others: not this run)",
			`${fmt(p.machineCores, 2)} cores (others ${fmt(Math.max(0, p.machineCores - p.cpuLoad.cores - p.clientCores), 2)})`,
		],
		[
			"exactly once: stored / aggregated / accepted (incl. warm-up)",
			`${fmt(a.stored)} / ${fmt(a.aggregated)} / ${fmt(p.warm.accepted + r.accepted)}, ${fmt(a.rejections)} rejections — ${exactlyOnce ? "OK" : "**MISMATCH**"}`,
		],
		[
			"errors (non-202, network, rejected events)",
			r.failures.length ? `**${r.failures.map((f) => `${f.count}× ${f.status}`).join(", ")}**` : "none",
		],
	];
	return `| measure | value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join("\n")}\n`;
}

const phaseTitle = (p) =>
	p.rate
		? `${fmt(p.batch)} events per request, paced at ${fmt(p.rate)} events/s (the target rate)`
		: `${fmt(p.batch)} events per request, as fast as the server takes them`;

async function main() {
	const machine = machineInfo();
	log("bundle and migrations");
	const { state, databaseId, logFile, serve } = freshMiniflare("usage");

	const phases = [];
	for (const { batch, rate } of PHASES) {
		const phase = await runPhase({ serve, batch, rate });
		const { startedAt, seconds } = phase.result;
		phase.consumer = serverLog(logFile(`usage-${phase.tag}`), startedAt, startedAt + seconds * 1000);
		phases.push(phase);
	}
	await withD1(state, databaseId, async (db) => {
		for (const phase of phases) phase.d1 = await analyse(db, phase);
	});
	if (!options["keep-state"]) rmSync(state, { recursive: true, force: true });

	const failures = phases.flatMap((p) =>
		p.result.failures.map((f) => `- ${phaseTitle(p)}: ${f.count}× ${f.status}: \`${f.body.replace(/`/g, "'")}\``),
	);
	const date = new Date().toISOString().slice(0, 10);
	const report = `# Usage ingestion benchmark

Generated by \`npm run bench:usage\` on ${date}; Miniflare ${machine.versions.miniflare} (local workerd, D1 and Queues),
${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load average at start
${machine.loadAverageAtStart.join(" / ")}, commit ${machine.commit} with ${machine.uncommittedFiles} uncommitted files.
Targets (issue): ${fmt(TARGET_EVENTS_PER_S)} events/s accepted and aggregated on 2 cores, accept→aggregate p99 under
${fmt(TARGET_DELAY_P99_MS)} ms.

${phases.map((p) => `## ${phaseTitle(p)}\n\n${phaseTable(p)}`).join("\n")}
${failures.length ? `## Errors\n\n${failures.join("\n")}\n\n` : ""}## Setup

Each phase runs on a fresh Miniflare server (bench/miniflare-server.mjs, 127.0.0.1) and its own tenant:
${CUSTOMERS} customers, one \`sum\` metric, events spread over the customers and 3 regions. ${CLIENTS} clients
(this Node process, same machine) each send one request at a time for ${DURATION_S} s after a ${WARMUP_S} s warm-up
(in a paced phase they take turns to offer the stated rate together: the delay at that load, not behind a backlog);
the rate limit is raised to 1,000,000/min by config.mjs, so nothing is throttled. Events accepted/s = accepted ÷
load time (paced: ÷ the scheduled seconds, so a client that fell behind counts against it, and the last answer's
latency counts in the delay instead); aggregated/s = accepted ÷ time from load start until GET /v1/billing/usage (polled every 250 ms)
counted them all. The delay is \`received_at − timestamp\` per event from D1: the timestamp is the client's clock
just before the request, so it includes the request itself; received_at is the consumer's clock when it began
the batch, so the batch's own D1 write is not in it. Emulator limits, not the platform's: the local queue
broker hands the consumer one batch at a time (production runs up to 250 consumer invocations at once), local
D1 is SQLite in the same workerd process, and the API, consumer, D1 and the clients all share the ${machine.cores} cores
(workerd runs them all on one busy thread: see "busiest thread"). When events are accepted faster than they are
aggregated, a backlog builds up and the delay measures that backlog, growing with the length of the load.
`;
	writeFileSync(path.join(ROOT, "bench", "USAGE.md"), report);
	writeFileSync(
		path.join(OUT, "usage.json"),
		`${JSON.stringify({ finishedAt: new Date().toISOString(), clients: CLIENTS, durationS: DURATION_S, phases: phases.map(phaseFigures) }, null, 2)}\n`,
	);

	for (const p of phases) {
		const r = p.result;
		const a = p.d1;
		console.log(
			[
				`\n== ${phaseTitle(p)}, ${CLIENTS} clients, ${r.seconds.toFixed(1)} s`,
				`requests/s ${fmt(r.ok / r.seconds, 1)} (${r.ok} × 202 of ${r.requests}); latency p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`,
				`accepted ${fmt(r.accepted)} events = ${fmt(r.accepted / r.seconds)}/s`,
				p.caughtUp
					? `aggregated all after ${p.aggregatedSeconds.toFixed(1)} s = ${fmt(r.accepted / p.aggregatedSeconds)}/s`
					: `NOT CAUGHT UP: ${fmt(p.aggregated)} of ${fmt(r.accepted)} after ${p.aggregatedSeconds.toFixed(0)} s`,
				`delay p50 ${ms(a.delayP50)}, p99 ${ms(a.delayP99)}, max ${ms(a.delayMax)}; ${a.consumerBatches} consumer batches, mean ${fmt(a.eventsPerConsumerBatch.mean)} events`,
				`exactly once: stored ${a.stored}, aggregated ${a.aggregated}, accepted ${p.warm.accepted + r.accepted}, rejections ${a.rejections}`,
				a.consumerTimes
					? `consumer per batch p50 ${fmt(a.consumerTimes.p50, 2)} s, max ${fmt(a.consumerTimes.max, 2)} s; ${fmt(a.consumerTimes.eventsPerBusySecond)} events per busy second`
					: "consumer batch times: log and D1 do not pair up",
				`consumer batches started during load ${a.consumerBatchesDuringLoad}, after ${a.consumerBatches - a.consumerBatchesDuringLoad}; Worker's own request time p50 ${ms(p.consumer?.requestP50)}, p99 ${ms(p.consumer?.requestP99)}`,
				`server CPU ${fmt(p.cpuLoad.cores, 2)} cores (busiest thread ${fmt(p.cpuLoad.busiest.cores, 2)}, ${p.cpuLoad.busiest.name}); client ${fmt(p.clientCores, 2)} cores; machine ${fmt(p.machineCores, 2)} cores`,
				...r.failures.map((f) => `ERROR ${f.count}× ${f.status}: ${f.body}`),
			].join("\n"),
		);
	}
	log("wrote bench/USAGE.md");
}

runToEnd(main);
