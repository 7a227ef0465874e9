/** The methods that change state: they may carry an Idempotency-Key and write events. */
const MUTATIONS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const isMutation = (method: string) => MUTATIONS.has(method);
