// The diagnostic pass: each baseline and scenario sent one request at a time to the instrumented bundle
// (bench/instrumented-worker.ts) on Miniflare, counting D1 round trips per request and where they run.
import { sleep } from "./processes.mjs";
import { startServer } from "./servers.mjs";

async function send(url, request) {
	const response = await fetch(`${url}${request.path}`, {
		method: request.method,
		headers: request.headers,
		body: request.body,
		signal: AbortSignal.timeout(30_000),
	});
	await response.arrayBuffer();
	return response.status;
}

export async function diagnose({ config, bundle, state, logFile, items, gen, requests = 20 }) {
	const server = await startServer("miniflare", { config, bundle, state, logFile });
	const results = {};
	try {
		for (const item of items) {
			for (let i = 0; i < 3; i++) await send(server.url, gen[item.id]());
			await sleep(item.mutates ? 1_200 : 100);
			await fetch(`${server.url}/__bench-diag`, { method: "DELETE" }).then((r) => r.arrayBuffer());
			let failed = 0;
			const started = performance.now();
			for (let i = 0; i < requests; i++) if ((await send(server.url, gen[item.id]())) >= 300) failed += 1;
			const unloadedMs = (performance.now() - started) / requests;
			// Queue consumers wait up to max_batch_timeout (1 s) for a batch: let them finish this load's events.
			await sleep(item.mutates ? 2_500 : 100);
			const counts = await fetch(`${server.url}/__bench-diag`).then((r) => r.json());
			results[item.id] = {
				unloadedMs,
				failed,
				request: counts.request / requests,
				accountDo: counts.account_do / requests,
				queue: counts.queue / requests,
			};
		}
	} finally {
		await server.stop();
	}
	return results;
}
