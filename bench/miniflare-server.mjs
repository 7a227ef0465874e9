#!/usr/bin/env node
// The Worker on Miniflare directly, without wrangler's dev tooling (no proxy worker, no bundler, no
// file watcher, no dev middleware): the bundle `wrangler deploy --dry-run` wrote, with the bindings
// Wrangler derives from the same configuration, and storage persisted in the same layout as
// `wrangler dev --persist-to DIR`. Loopback only. Prints one JSON line `{"ready": url, ...}` when it
// accepts requests; stops on SIGTERM/SIGINT.
//   node bench/miniflare-server.mjs --config FILE --bundle FILE --persist DIR --port N [--inspector-port N]
import { parseArgs } from "node:util";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const started = performance.now();
const { values } = parseArgs({
	options: {
		config: { type: "string" },
		bundle: { type: "string" },
		persist: { type: "string" },
		port: { type: "string", default: "0" },
		"inspector-port": { type: "string" },
	},
});
if (!values.config || !values.bundle || !values.persist) {
	console.error("usage: miniflare-server.mjs --config FILE --bundle FILE --persist DIR [--port N]");
	process.exit(2);
}

const { workerOptions } = unstable_getMiniflareWorkerOptions(values.config);
// Locally workerd stops an object idle for 10 s, as the platform may hibernate one. At the rates this machine
// reaches, a load spread over 1,000 accounts leaves each account 4 to 9 s between requests, so the share of
// requests that start their object again would grow as the run slows, and slow it further: the rate would
// measure the machine more than the operation. Objects are kept (the product's and the baselines' alike),
// and bench/run.mjs measures the first call to each account's object in a row of its own.
const durableObjects = Object.fromEntries(
	Object.entries(workerOptions.durableObjects ?? {}).map(([binding, designator]) => [
		binding,
		{ ...(typeof designator === "string" ? { className: designator } : designator), unsafePreventEviction: true },
	]),
);
const mf = new Miniflare({
	host: "127.0.0.1",
	port: Number(values.port),
	// bench/profile.mjs takes CPU profiles through the runtime's inspector (loopback only).
	...(values["inspector-port"] ? { inspectorPort: Number(values["inspector-port"]) } : {}),
	defaultPersistRoot: `${values.persist}/v3`,
	// /cdn-cgi/handler/scheduled, as wrangler dev has it: the webhook scenario runs the outbox sweep.
	unsafeTriggerHandlers: true,
	logRequests: false,
	// No Request.cf download from workers.cloudflare.com: the fallback object, no network.
	cf: false,
	log: new Log(LogLevel.WARN),
	workers: [{ name: "edge-billing", ...workerOptions, durableObjects, modules: true, scriptPath: values.bundle }],
});

let stopping = false;
async function stop(code) {
	if (stopping) return;
	stopping = true;
	await mf.dispose().catch(() => undefined);
	process.exit(code);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => stop(0));
process.on("disconnect", () => stop(0));

try {
	const url = await mf.ready;
	console.log(JSON.stringify({ ready: url.href, ready_ms: Math.round(performance.now() - started) }));
} catch (error) {
	console.error(error);
	await stop(1);
}
