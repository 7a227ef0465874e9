// Child processes of the benchmark: each started in its own process group (so a server and the workerd
// it spawns stop together), stopped by that group's id, and all of them killed if the run ends early.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { ROOT } from "../config.mjs";

/** No Request.cf download, no telemetry, no update check, no colours: nothing leaves the machine. */
export const CHILD_ENV = {
	...process.env,
	CI: "true",
	WRANGLER_SEND_METRICS: "false",
	WRANGLER_HIDE_BANNER: "true",
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
	NO_COLOR: "1",
	FORCE_COLOR: "0",
};

export const WRANGLER = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

const running = new Set();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Runs a wrangler command to completion (bounded), returning its output; throws on failure. */
export function wrangler(args, { timeoutMs = 120_000 } = {}) {
	const result = spawnSync(process.execPath, [WRANGLER, ...args], {
		cwd: ROOT,
		env: CHILD_ENV,
		encoding: "utf8",
		timeout: timeoutMs,
		killSignal: "SIGKILL",
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		throw new Error(
			`wrangler ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`,
		);
	}
	return `${result.stdout}\n${result.stderr}`;
}

/** Starts `node ARGS` in a new process group with its output appended to logFile. */
export function startChild(args, logFile) {
	const out = openSync(logFile, "a");
	const child = spawn(process.execPath, args, {
		cwd: ROOT,
		env: CHILD_ENV,
		stdio: ["ignore", out, out],
		detached: true,
	});
	closeSync(out);
	running.add(child);
	child.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
	child.exited.then(() => running.delete(child));
	return child;
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// The group is gone already.
	}
}

/** SIGTERM to the child's process group, SIGKILL if it has not exited within graceMs, then the stragglers. */
export async function stopChild(child, graceMs = 8_000) {
	if (!child?.pid) return;
	killGroup(child.pid, "SIGTERM");
	const exited = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
	killGroup(child.pid, "SIGKILL");
	if (!exited) await Promise.race([child.exited, sleep(2_000)]);
	running.delete(child);
}

/** Last resort (deadline, crash, Ctrl-C): every group still running gets SIGKILL, synchronously. */
export function killAll() {
	for (const child of running) killGroup(child.pid, "SIGKILL");
	running.clear();
}

export const runningCount = () => running.size;

/** Runs a script's `main` to its end: every child group is killed, and the exit code says whether it failed. */
export function runToEnd(main) {
	main().then(
		() => {
			killAll();
			process.exit(0);
		},
		(error) => {
			console.error(error);
			killAll();
			process.exit(1);
		},
	);
}

/** Whatever happens, nothing keeps running: a hard deadline, signals and crashes all kill every child group. */
export function stopEverythingOnExit(deadlineSeconds) {
	const deadline = setTimeout(() => {
		console.error(`bench: deadline of ${deadlineSeconds} s reached; stopping everything`);
		killAll();
		process.exit(3);
	}, deadlineSeconds * 1000);
	deadline.unref();
	// Before wrangler's own handlers (loaded with bench/config.mjs), which exit at once with status 0.
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
		process.prependListener(signal, () => {
			killAll();
			process.exit(130);
		});
	}
	process.on("exit", killAll);
}
