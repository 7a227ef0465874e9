// CPU time of the runtime under load, read from /proc (Linux). Locally the whole runtime (the Worker,
// its Durable Objects, D1, the queue broker) runs on one thread of `workerd`, so the CPU it spends per
// request is what an operation costs, and it moves far less between runs than requests/s does.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = (() => {
	try {
		return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
	} catch {
		return 100;
	}
})();

/** `comm`, parent pid and CPU ticks (user + system) of a /proc/PID/stat line. */
function statOf(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, "utf8");
		const close = text.lastIndexOf(")");
		const comm = text.slice(text.indexOf("(") + 1, close);
		const fields = text.slice(close + 2).split(" ");
		// After the command: state, ppid, …; utime and stime are fields 14 and 15 of the whole line.
		return { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
	} catch {
		return null;
	}
}

/**
 * Seconds of CPU that the `workerd` processes started under `rootPid` have used so far (every thread),
 * or null where /proc is not there to read.
 */
export function runtimeCpuSeconds(rootPid) {
	if (!rootPid || !existsSync("/proc/self/stat")) return null;
	const stats = new Map();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = statOf(entry);
		if (stat) stats.set(Number(entry), stat);
	}
	const below = (pid) => {
		for (let at = stats.get(pid)?.ppid; at; at = stats.get(at)?.ppid) if (at === rootPid) return true;
		return false;
	};
	let ticks = 0;
	for (const [pid, stat] of stats) if (stat.comm === "workerd" && below(pid)) ticks += stat.ticks;
	return ticks / TICKS_PER_SECOND;
}
