// The V8 sampling profiler of the API Worker's isolate, through the runtime's inspector (Miniflare started
// with an inspector port, on 127.0.0.1), and a summary of a profile by function.
import WebSocket from "ws";

/** The V8 profiler of the API Worker's isolate, over the inspector's WebSocket. */
export async function connectProfiler(port) {
	const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
	const target = targets.find((t) => t.title?.includes("edge-billing") || t.id?.includes("edge-billing")) ?? targets[0];
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.once("open", resolve);
		socket.once("error", reject);
	});
	let id = 0;
	const pending = new Map();
	socket.on("message", (data) => {
		const message = JSON.parse(String(data));
		pending.get(message.id)?.(message);
		pending.delete(message.id);
	});
	const send = (method, params = {}) =>
		new Promise((resolve, reject) => {
			id += 1;
			pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
			socket.send(JSON.stringify({ id, method, params }));
		});
	return {
		async start() {
			await send("Profiler.enable");
			await send("Profiler.setSamplingInterval", { interval: 200 });
			await send("Profiler.start");
		},
		async stop() {
			const { profile } = await send("Profiler.stop");
			socket.close();
			return profile;
		},
	};
}

/** Self and total time per function (name and bundle line), the biggest first. */
export function summarize(profile, top) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const self = new Map();
	const total = new Map();
	const key = ({ callFrame: f }) =>
		`${f.functionName || "(anonymous)"} ${f.url ? `${f.url.split("/").at(-1)}:${f.lineNumber + 1}` : ""}`;
	let all = 0;
	profile.samples.forEach((nodeId, i) => {
		const dt = profile.timeDeltas[i] ?? 0;
		all += dt;
		const node = byId.get(nodeId);
		self.set(key(node), (self.get(key(node)) ?? 0) + dt);
		const seen = new Set();
		for (let at = nodeId; at !== undefined; at = parent.get(at)) {
			const k = key(byId.get(at));
			if (seen.has(k)) continue;
			seen.add(k);
			total.set(k, (total.get(k) ?? 0) + dt);
		}
	});
	const table = (map) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, us]) => `${((100 * us) / all).toFixed(1).padStart(5)} %  ${k}`)
			.join("\n");
	return `-- self time (of ${(all / 1e6).toFixed(1)} s sampled)\n${table(self)}\n-- total time\n${table(total)}`;
}
