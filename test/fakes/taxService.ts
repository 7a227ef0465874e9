/// <reference types="node" />
// A local stand-in for an external tax service, run in Node by vitest's globalSetup: it speaks the
// registration API the adapter calls (src/services/tax/taxServiceClient.ts) on 127.0.0.1, and keeps
// what it received so tests can read it back.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

/** The secret the fake accepts; `FAKE_TAX_DOWN_SECRET` makes it answer 503, any other 401. */
export const FAKE_TAX_SECRET = "fake-tax-secret-0001";
export const FAKE_TAX_DOWN_SECRET = "fake-tax-down-0002";

declare module "vitest" {
	export interface ProvidedContext {
		taxServiceUrl: string;
	}
}

type Received = { authorization: string | null; idempotency_key: string | null; body: unknown; id: string };

const readBody = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString("utf8");
};

export default async function setup(project: TestProject) {
	const received: Received[] = [];
	const byKey = new Map<string, string>();
	const server = createServer(async (request, response) => {
		const reply = (status: number, body: unknown) => {
			response.writeHead(status, { "content-type": "application/json" });
			response.end(JSON.stringify(body));
		};
		if (request.method === "GET" && request.url === "/received") return reply(200, received);
		if (request.method !== "POST" || request.url !== "/registrations") return reply(404, { error: "not found" });
		const text = await readBody(request);
		const authorization = request.headers.authorization ?? null;
		if (authorization === `Bearer ${FAKE_TAX_DOWN_SECRET}`) return reply(503, { error: "maintenance window" });
		if (authorization !== `Bearer ${FAKE_TAX_SECRET}`) return reply(401, { error: "bad credentials" });
		// Like a real service, a request sent again under the same key answers the registration it made.
		const key = (request.headers["idempotency-key"] as string | undefined) ?? null;
		const id = (key && byKey.get(key)) || `reg_${received.length + 1}`;
		if (key) byKey.set(key, id);
		received.push({ authorization, idempotency_key: key, body: JSON.parse(text), id });
		return reply(201, { id, status: "accepted" });
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	project.provide("taxServiceUrl", `http://127.0.0.1:${port}`);
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
