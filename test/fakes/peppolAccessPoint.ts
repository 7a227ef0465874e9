/// <reference types="node" />
// A local stand-in for a Peppol access point's REST API, run in Node by vitest's globalSetup: it takes
// documents as the adapter sends them (src/services/einvoices/accessPointClient.ts) on 127.0.0.1 and keeps
// what it received so tests can read it back. The bearer token picks its behaviour.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

/** Accepted at once. */
export const AP_TOKEN_OK = "ap-token-ok-0001";
/** Answers 500 to the first request of each Idempotency-Key, then accepts. */
export const AP_TOKEN_FLAKY = "ap-token-flaky-0002";
/** Refuses every document with 422 and the rule it breaks. */
export const AP_TOKEN_REJECT = "ap-token-reject-0003";

declare module "vitest" {
	export interface ProvidedContext {
		accessPointUrl: string;
	}
}

type Received = {
	idempotency_key: string | null;
	content_type: string | null;
	format: string | null;
	body: string;
	id: string;
};

const readBody = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString("utf8");
};

export default async function setup(project: TestProject) {
	const received: Received[] = [];
	const byKey = new Map<string, string>();
	const failedOnce = new Set<string>();
	const server = createServer(async (request, response) => {
		const reply = (status: number, body: unknown) => {
			response.writeHead(status, { "content-type": "application/json" });
			response.end(JSON.stringify(body));
		};
		if (request.method === "GET" && request.url === "/api/received") return reply(200, received);
		if (request.method !== "POST" || request.url !== "/api/documents") return reply(404, { error: "not found" });
		const body = await readBody(request);
		const token = request.headers.authorization?.replace(/^Bearer /, "");
		if (![AP_TOKEN_OK, AP_TOKEN_FLAKY, AP_TOKEN_REJECT].includes(token ?? ""))
			return reply(401, { error: "bad token" });
		if (request.headers["content-type"] !== "application/xml" || !body.startsWith("<?xml")) {
			return reply(415, { error: "an XML document is expected" });
		}
		const key = (request.headers["idempotency-key"] as string | undefined) ?? null;
		if (token === AP_TOKEN_REJECT)
			return reply(422, { errors: [{ rule: "PEPPOL-COMMON-R043", message: "receiver unknown" }] });
		if (token === AP_TOKEN_FLAKY && key && !failedOnce.has(key)) {
			failedOnce.add(key);
			return reply(500, { error: "temporarily unavailable" });
		}
		// Like a real access point, a document sent again under the same key answers the id it was given.
		const id = (key && byKey.get(key)) || `apdoc_${received.length + 1}`;
		if (key) byKey.set(key, id);
		received.push({
			idempotency_key: key,
			content_type: request.headers["content-type"] ?? null,
			format: (request.headers["x-document-format"] as string | undefined) ?? null,
			body,
			id,
		});
		return reply(201, { id, status: "accepted" });
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	project.provide("accessPointUrl", `http://127.0.0.1:${port}/api`);
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
