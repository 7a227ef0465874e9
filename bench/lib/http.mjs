// A tiny JSON client for setup calls (not the measured load, which autocannon sends).
export async function call(base, path, { method, key, body, headers = {} } = {}) {
	const response = await fetch(`${base}${path}`, {
		method: method ?? (body === undefined ? "GET" : "POST"),
		headers: {
			...(key ? { authorization: `Bearer ${key}` } : {}),
			...(body === undefined ? {} : { "content-type": "application/json" }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	const text = await response.text();
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// Not JSON.
	}
	return { status: response.status, body: parsed, text };
}

export async function expectStatus(promise, status, what) {
	const res = await promise;
	if (res.status !== status)
		throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`);
	return res.body;
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool(count, concurrency, task) {
	const results = new Array(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const i = next++;
			results[i] = await task(i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return results;
}
