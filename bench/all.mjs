#!/usr/bin/env node
// `npm run bench`: every benchmark in one unattended run, in under 15 minutes on 2 cores. Four steps,
// each its own Node process that stops every server it started: usage ingestion (bench/usage.mjs,
// writes USAGE.md), the recurring run (bench/recurring.mjs, writes RECURRING.md), the baselines and
// API scenarios on both runtimes (bench/run.mjs), whose RESULTS.md also summarises the first two, then
// document rendering (bench/documents.mjs, writes DOCUMENTS.md). A step
// that fails is reported and the next one still runs; each step gets a deadline from what is left.
//   node bench/all.mjs [--budget S]
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// Not from ./config.mjs: it loads wrangler, whose signal handlers exit before this runner's could stop its step.
const BENCH = path.dirname(fileURLToPath(import.meta.url));

const { values: options } = parseArgs({ options: { budget: { type: "string", default: "870" } } });
const BUDGET_S = Number(options.budget);
const started = Date.now();
const elapsedS = () => (Date.now() - started) / 1000;

const STEPS = [
	// Paced at the target rate (the delay at that load), then 1,000-event requests as fast as they are taken.
	// 16 clients: over 8 s, 8 serial clients fall behind the 20,000 events/s schedule on a slow answer or two.
	{
		script: "usage.mjs",
		args: ["--duration", "8", "--warmup", "1", "--clients", "16", "--batches", "100@20000,1000@20000,1000"],
		cap: 220,
	},
	{ script: "recurring.mjs", args: [], cap: 200 },
	{ script: "run.mjs", args: ["--since", new Date(started).toISOString()], cap: Number.POSITIVE_INFINITY },
	// Last, so it never shortens the judged API scenarios: skipped when less than a minute is left.
	{ script: "documents.mjs", args: [], cap: 180 },
];

let child = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
	process.on(signal, () => {
		// Each step stops its own servers on SIGTERM.
		child?.kill("SIGTERM");
		process.exit(130);
	});
}

function runStep({ script, args, cap }) {
	const deadline = Math.floor(Math.min(cap, BUDGET_S - elapsedS()));
	if (deadline < 60) return Promise.resolve({ script, code: null, skipped: `only ${deadline} s left` });
	console.log(`\n=== bench/${script} (deadline ${deadline} s; ${Math.round(elapsedS())} s into the run)`);
	return new Promise((resolve) => {
		child = spawn(process.execPath, [path.join(BENCH, script), ...args, "--deadline", String(deadline)], {
			cwd: path.dirname(BENCH),
			stdio: "inherit",
		});
		child.on("exit", (code, signal) => {
			child = null;
			resolve({ script, code: code ?? signal });
		});
	});
}

const outcomes = [];
for (const step of STEPS) outcomes.push(await runStep(step));
console.log(`\n=== all done in ${Math.floor(elapsedS() / 60)} min ${Math.round(elapsedS() % 60)} s`);
for (const o of outcomes)
	console.log(`  bench/${o.script}: ${o.skipped ? `skipped (${o.skipped})` : `exit ${o.code}`}`);
process.exit(outcomes.every((o) => o.code === 0) ? 0 : 1);
