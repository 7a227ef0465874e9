import { afterEach, expect } from "vitest";

// A success whose Idempotency-Key no commit answered and no claim held (the middleware logs
// `idempotency_answer_missing`) fails the test that sent it: every route either answers in its commit
// or claims its key first.
const missing: string[] = [];
const logError = console.error.bind(console);
console.error = (...args: unknown[]) => {
	const line = String(args[0]);
	if (line.includes('"idempotency_answer_missing"')) missing.push(line);
	logError(...args);
};

afterEach(() => {
	expect(missing.splice(0), "routes whose success stored no answer to its Idempotency-Key").toEqual([]);
});
