#!/usr/bin/env node
// CPU profile of the Worker under the load of one scenario, to find what a number in RESULTS.md is made
// of. Builds the bench bundle and the same template state as `npm run bench` (kept in bench/.out/profile
// and reused on the next call), serves it on Miniflare with the runtime's inspector on 127.0.0.1, loads
// one scenario with autocannon while the V8 sampling profiler runs in the Worker's isolate, and writes
// bench/.out/profile/SCENARIO.cpuprofile (open it in Chrome DevTools) plus a summary of self and total
// time by function. Stops everything it started.
// Before profiling, the scenario and its baseline are measured without the profiler, on the same server.
//   node bench/profile.mjs SCENARIO [--duration S] [--connections N] [--fresh] [--no-profile]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { OUT, writeBenchConfig } from "./config.mjs";
import { runtimeCpuSeconds } from "./lib/cpu.mjs";
import { measure } from "./lib/load.mjs";
import { freePort, runToEnd, stopEverythingOnExit, wrangler } from "./lib/processes.mjs";
import { connectProfiler, summarize } from "./lib/profiler.mjs";
import { startReceiver } from "./lib/receiver.mjs";
import { BASELINES, generators, PROFILE_ONLY, SCENARIOS } from "./lib/scenarios.mjs";
import { startServer } from "./lib/servers.mjs";
import { ACCOUNTS, createTemplate, seedInvoices } from "./lib/workload.mjs";

const { values: options, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		duration: { type: "string", default: "5" },
		connections: { type: "string", default: "10" },
		fresh: { type: "boolean", default: false },
		"no-profile": { type: "boolean", default: false },
		top: { type: "string", default: "30" },
	},
});
const items = [...BASELINES, ...SCENARIOS, ...PROFILE_ONLY];
const item = items.find((i) => i.id === positionals[0]);
if (!item) {
	console.error(
		`usage: node bench/profile.mjs SCENARIO [--duration S]; scenarios: ${items.map((i) => i.id).join(", ")}`,
	);
	process.exit(2);
}

const DIR = path.join(OUT, "profile");
stopEverythingOnExit(600);

async function main() {
	mkdirSync(DIR, { recursive: true });
	const config = writeBenchConfig();
	const databaseId = JSON.parse(readFileSync(config, "utf8")).d1_databases[0].database_id;
	const bundleDir = path.join(DIR, "bundle");
	rmSync(bundleDir, { recursive: true, force: true });
	wrangler(["deploy", "--dry-run", "--outdir", bundleDir, "--config", config]);
	const bundle = path.join(bundleDir, "worker.js");
	const template = await templateState({ config, bundle, databaseId });

	const state = path.join(DIR, "state");
	rmSync(state, { recursive: true, force: true });
	cpSync(path.join(DIR, "template"), state, { recursive: true });
	// The inspector only when profiling: with it open, the runtime runs the same load slower.
	const inspectorPort = options["no-profile"] ? undefined : await freePort();
	const server = await startServer("miniflare", {
		config,
		bundle,
		state,
		inspectorPort,
		logFile: path.join(DIR, "server.log"),
	});
	try {
		const gen = generators(template, `profile-${Date.now()}`);
		const load = (next, length) =>
			measure({
				url: server.url,
				connections: Number(options.connections),
				...length,
				warmup: 0,
				next,
				cpuSeconds: () => runtimeCpuSeconds(server.pid),
			});
		const print = (label, result) =>
			console.log(
				`${label.padEnd(16)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms` +
					(result.cpuMsPerRequest === null
						? ""
						: `  ${result.cpuMsPerRequest.toFixed(2)} CPU ms/req (runtime busy ${(100 * result.cpuBusy).toFixed(0)} %)`),
			);
		const duration = Number(options.duration);
		const rates = [];
		const cpus = [];
		for (const id of [item.baseline, item.id].filter(Boolean)) {
			if (items.find((i) => i.id === id).spread) {
				const next = generators(template, `profile-prime-${Date.now()}`, { everyAccount: true })[id];
				print(`${id} first calls`, await load(next, { amount: ACCOUNTS }));
			}
			await load(gen[id], { duration: 1 });
			const result = await load(gen[id], { duration });
			rates.push(result.rps);
			cpus.push(result.cpuMsPerRequest);
			print(id, result);
		}
		if (rates.length === 2) {
			const byCpu = cpus.every((c) => c !== null)
				? `; by CPU per request ${((100 * cpus[0]) / cpus[1]).toFixed(0)} %`
				: "";
			console.log(`ratio ${((100 * rates[1]) / rates[0]).toFixed(0)} %${byCpu}`);
		}
		if (options["no-profile"]) return;
		const profiler = await connectProfiler(inspectorPort);
		await profiler.start();
		const result = await load(gen[item.id], { duration });
		const profile = await profiler.stop();
		const file = path.join(DIR, `${item.id}.cpuprofile`);
		writeFileSync(file, JSON.stringify(profile));
		console.log(`${item.id}: ${result.rps.toFixed(0)} req/s under the profiler; ${file}`);
		console.log(summarize(profile, Number(options.top)));
	} finally {
		await server.stop();
	}
}

/** The template state of `npm run bench`, made once and reused (`--fresh` remakes it). */
async function templateState({ config, bundle, databaseId }) {
	const dir = path.join(DIR, "template");
	const file = path.join(DIR, "template.json");
	if (!options.fresh && existsSync(file) && existsSync(dir)) return JSON.parse(readFileSync(file, "utf8"));
	rmSync(dir, { recursive: true, force: true });
	wrangler(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", dir]);
	const receiver = await startReceiver();
	try {
		const server = await startServer("miniflare", { config, bundle, state: dir, logFile: path.join(DIR, "setup.log") });
		let template;
		try {
			template = await createTemplate(server.url, receiver.port, console.log);
		} finally {
			await server.stop();
		}
		await seedInvoices(dir, databaseId, template, console.log);
		writeFileSync(file, JSON.stringify(template));
		return template;
	} finally {
		await receiver.close();
	}
}

runToEnd(main);
