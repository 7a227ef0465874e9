// One measured load: autocannon against a running server, each request built by `next()` (path, method,
// headers, body), after a short unmeasured warm-up with the same shape.
import autocannon from "autocannon";

function run({ url, connections, duration, amount, next }) {
	return new Promise((resolve, reject) => {
		const instance = autocannon(
			{
				url,
				connections,
				...(amount ? { amount } : { duration }),
				timeout: 30,
				requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
			},
			(error, result) => (error ? reject(error) : resolve(result)),
		);
		instance.on("error", () => undefined);
	});
}

/**
 * A load of `duration` seconds, or of `amount` requests. Requests/s counts 2xx answers only; anything else
 * is reported as errors, never as throughput. With `cpuSeconds` (a reading of the runtime's CPU clock), also
 * the runtime's CPU per answered request and its busy share of one core during the measured load.
 */
export async function measure({ url, connections, duration, amount, warmup = 1, next, cpuSeconds }) {
	if (warmup > 0) await run({ url, connections, duration: warmup, next });
	const cpuBefore = cpuSeconds?.() ?? null;
	const result = await run({ url, connections, duration, amount, next });
	const cpuAfter = cpuSeconds?.() ?? null;
	const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
	const ok = result["2xx"];
	return {
		cpuMsPerRequest: cpu === null || result.requests.total === 0 ? null : (cpu * 1000) / result.requests.total,
		cpuBusy: cpu === null ? null : cpu / result.duration,
		connections,
		duration: result.duration,
		requests: result.requests.total,
		ok,
		rps: ok / result.duration,
		p50: result.latency.p50,
		p90: result.latency.p90,
		p99: result.latency.p99,
		max: result.latency.max,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		statusCodes: result.statusCodeStats,
	};
}
