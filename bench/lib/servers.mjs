// Starting and stopping the API on either runtime, on 127.0.0.1 only, timing how long it takes to serve.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { OUT, ROOT, writeBenchConfig } from "../config.mjs";
import { freePort, sleep, startChild, stopChild, WRANGLER, wrangler } from "./processes.mjs";

export const RUNTIMES = {
	miniflare: "Miniflare (Node script, no dev tooling)",
	wrangler: "wrangler dev (what a developer runs)",
};

/**
 * Starts the bundle on `runtime` against the persisted state in `state` (on Miniflare, with the runtime's
 * inspector on 127.0.0.1:`inspectorPort` when given, for lib/profiler.mjs). Ready means GET /__bench/noop
 * answered 200: `readyMs` runs from spawning the process to that answer (runtime boot, Worker start-up
 * and the first request), `firstRequestMs` is that first successful request alone.
 */
export async function startServer(runtime, { config, bundle, state, logFile, inspectorPort, timeoutMs = 60_000 }) {
	const port = await freePort();
	const args =
		runtime === "miniflare"
			? [
					path.join(ROOT, "bench", "miniflare-server.mjs"),
					...["--config", config, "--bundle", bundle, "--persist", state, "--port", String(port)],
					...(inspectorPort ? ["--inspector-port", String(inspectorPort)] : []),
				]
			: [
					WRANGLER,
					"dev",
					bundle,
					"--no-bundle",
					...["--config", config, "--ip", "127.0.0.1", "--port", String(port)],
					...["--inspector-ip", "127.0.0.1", "--inspector-port", String(await freePort())],
					...["--persist-to", state, "--show-interactive-dev-session=false"],
				];
	const started = performance.now();
	const child = startChild(args, logFile);
	const url = `http://127.0.0.1:${port}`;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`${runtime} exited (${child.exitCode ?? child.signalCode}) before serving; see ${logFile}`);
		}
		const attempt = performance.now();
		try {
			const response = await fetch(`${url}/__bench/noop`, { signal: AbortSignal.timeout(5_000) });
			await response.arrayBuffer();
			if (response.ok) {
				const now = performance.now();
				return {
					runtimeReadyMs: runtime === "miniflare" ? miniflareReadyMs(logFile) : null,
					runtime,
					url,
					pid: child.pid,
					readyMs: now - started,
					firstRequestMs: now - attempt,
					stop: () => stopChild(child),
				};
			}
		} catch {
			// Not listening yet.
		}
		if (performance.now() - started > timeoutMs) {
			await stopChild(child);
			throw new Error(`${runtime} did not serve within ${timeoutMs} ms; see ${logFile}`);
		}
		await sleep(50);
	}
}

/** The `ready_ms` bench/miniflare-server.mjs printed: `new Miniflare()` to listening, without Node's own start. */
function miniflareReadyMs(logFile) {
	const lines = readFileSync(logFile, "utf8")
		.split("\n")
		.filter((l) => l.startsWith('{"ready"'));
	try {
		return JSON.parse(lines.at(-1)).ready_ms;
	} catch {
		return null;
	}
}

/**
 * A fresh local state under bench/.out/state-NAME, migrated, and the bench bundle built once: `serve(name)`
 * starts Miniflare on them, logging to bench/.out/logs/NAME.log (overwritten).
 */
export function freshMiniflare(name) {
	const state = path.join(OUT, `state-${name}`);
	const logs = path.join(OUT, "logs");
	rmSync(state, { recursive: true, force: true });
	mkdirSync(logs, { recursive: true });
	const config = writeBenchConfig();
	const databaseId = JSON.parse(readFileSync(config, "utf8")).d1_databases[0].database_id;
	const out = path.join(OUT, "bundle");
	wrangler(["deploy", "--dry-run", "--outdir", out, "--config", config]);
	const bundle = path.join(out, "worker.js");
	wrangler(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state]);
	const logFile = (server) => path.join(logs, `${server}.log`);
	const serve = (server, inspectorPort) => {
		rmSync(logFile(server), { force: true });
		return startServer("miniflare", { config, bundle, state, inspectorPort, logFile: logFile(server) });
	};
	return { state, databaseId, logFile, serve };
}
