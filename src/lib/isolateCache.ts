/**
 * Values kept in this isolate for `ttlMs` each, at most `capacity` of them (the oldest goes first): for
 * lookups that may be a few seconds stale, where a D1 round trip per request would cost more than the
 * request's own work.
 */
export class IsolateCache<V> {
	readonly #entries = new Map<string, { value: V; cachedUntilMs: number }>();

	constructor(
		private readonly ttlMs: number,
		private readonly capacity: number,
	) {}

	get(key: string): V | undefined {
		const entry = this.#entries.get(key);
		if (!entry) return undefined;
		if (entry.cachedUntilMs > Date.now()) return entry.value;
		this.#entries.delete(key);
		return undefined;
	}

	set(key: string, value: V) {
		this.#entries.delete(key);
		if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
		this.#entries.set(key, { value, cachedUntilMs: Date.now() + this.ttlMs });
	}

	delete(key: string) {
		this.#entries.delete(key);
	}

	clear() {
		this.#entries.clear();
	}
}
