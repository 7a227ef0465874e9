// Facts about the run: the machine, tool versions, the code measured, bundle size and start-up profile.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../config.mjs";

const versionOf = (pkg) => {
	try {
		return JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
	} catch {
		return null;
	}
};

const git = (args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";

export function machineInfo() {
	const cpus = os.cpus();
	return {
		cpuModel: cpus[0]?.model ?? "unknown",
		cores: cpus.length,
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
		pageCacheGiBAtStart: pageCacheGiB(),
		versions: {
			wrangler: versionOf("wrangler"),
			miniflare: versionOf("miniflare"),
			workerd: versionOf("workerd"),
			autocannon: versionOf("autocannon"),
		},
		commit: git(["rev-parse", "--short", "HEAD"]),
		uncommittedFiles: git(["status", "--porcelain"]).split("\n").filter(Boolean).length,
	};
}

/**
 * The kernel's page cache now (Linux; null elsewhere). SQLite leans on it for the database's pages: where
 * the host keeps reclaiming it, reads and commits go to the disk more, heavier commits most.
 */
export function pageCacheGiB() {
	try {
		const kib = Number(/^Cached:\s+(\d+) kB/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1]);
		return Number.isFinite(kib) ? Math.round((kib / 2 ** 20) * 10) / 10 : null;
	} catch {
		return null;
	}
}

/** "Total Upload: 1600.01 KiB / gzip: 298.30 KiB" from `wrangler deploy --dry-run`. */
export function parseUploadSize(output) {
	const match = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(output);
	return match ? { totalKiB: Number(match[1]), gzipKiB: Number(match[2]) } : { totalKiB: null, gzipKiB: null };
}

/** The Worker's start-up phase from `wrangler check startup`: wall time profiled and CPU time sampled busy. */
export function parseStartupProfile(text) {
	const profile = JSON.parse(text);
	const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
	let busyUs = 0;
	profile.samples.forEach((id, i) => {
		if (!idle.has(id)) busyUs += profile.timeDeltas[i] ?? 0;
	});
	return {
		profiledMs: Math.round((profile.endTime - profile.startTime) / 100) / 10,
		cpuMs: Math.round(busyUs / 100) / 10,
		samples: profile.samples.length,
	};
}
