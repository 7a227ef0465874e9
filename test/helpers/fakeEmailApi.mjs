// Runs in Node (vitest globalSetup), outside the workerd tests and the TypeScript project.
import { createServer } from "node:http";

/**
 * A Postmark-style email API on 127.0.0.1 for the tests: POST /email accepts a message unless the
 * token is wrong (401), the recipient is "refused-…" (422), or "flaky-…" on its first try (503).
 * GET /received lists what it accepted, for the tests to read.
 */
export default async function setup(project) {
	const received = [];
	const tries = new Map();
	const server = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk) => {
			body += chunk;
		});
		request.on("end", () => {
			const answer = (status, payload) => {
				response.writeHead(status, { "content-type": "application/json" });
				response.end(JSON.stringify(payload));
			};
			if (request.method === "GET" && request.url === "/received") return answer(200, received);
			if (request.method !== "POST" || request.url !== "/email")
				return answer(404, { ErrorCode: 404, Message: "no such route" });
			if (request.headers["x-postmark-server-token"] !== "pm-test-token") {
				return answer(401, { ErrorCode: 10, Message: "Bad or missing Server API token" });
			}
			const message = JSON.parse(body);
			const seen = (tries.get(message.To) ?? 0) + 1;
			tries.set(message.To, seen);
			if (message.To.startsWith("refused-")) return answer(422, { ErrorCode: 300, Message: "Invalid 'To' address" });
			if (message.To.startsWith("flaky-") && seen === 1) return answer(503, { ErrorCode: 100, Message: "Try later" });
			received.push({
				...message,
				token: request.headers["x-postmark-server-token"],
				idempotency_key: request.headers["idempotency-key"],
			});
			return answer(200, { To: message.To, MessageID: `pm-${received.length}`, ErrorCode: 0, Message: "OK" });
		});
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	project.provide("emailApiPort", server.address().port);
	return () => new Promise((resolve) => server.close(resolve));
}
