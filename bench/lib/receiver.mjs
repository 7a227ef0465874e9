// The webhook endpoints' far side: a tiny HTTP server on 127.0.0.1 that answers 204 at once and counts
// what it received, and when, per path.
import http from "node:http";

export async function startReceiver() {
	const state = { count: 0, first: null, last: null, signed: 0, paths: new Map() };
	const waiters = [];
	const server = http.createServer((req, res) => {
		req.resume();
		req.on("end", () => {
			const now = performance.now();
			state.count += 1;
			state.first ??= now;
			state.last = now;
			if (req.headers["webhook-signature"]) state.signed += 1;
			state.paths.set(req.url, (state.paths.get(req.url) ?? 0) + 1);
			res.writeHead(204).end();
			for (const waiter of [...waiters]) {
				if (state.count >= waiter.target) {
					waiters.splice(waiters.indexOf(waiter), 1);
					waiter.resolve(true);
				}
			}
		});
	});
	server.keepAliveTimeout = 5_000;
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	return {
		port: server.address().port,
		state,
		reset() {
			Object.assign(state, { count: 0, first: null, last: null, signed: 0, paths: new Map() });
		},
		/** Resolves true once `target` deliveries arrived, false after timeoutMs. */
		waitFor(target, timeoutMs) {
			if (state.count >= target) return Promise.resolve(true);
			return new Promise((resolve) => {
				const waiter = { target, resolve };
				waiters.push(waiter);
				setTimeout(() => {
					const i = waiters.indexOf(waiter);
					if (i >= 0) waiters.splice(i, 1);
					resolve(false);
				}, timeoutMs).unref();
			});
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}
