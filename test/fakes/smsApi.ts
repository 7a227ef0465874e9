/// <reference types="node" />
// A local stand-in for Twilio's Messages API, run in Node by vitest's globalSetup: POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json with form-encoded To, From and Body under HTTP basic
// auth (the account SID and its auth token), on 127.0.0.1. It keeps what it accepted for the tests.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

export const FAKE_SMS_ACCOUNT = "AC0123456789abcdef0123456789abcdef";
export const FAKE_SMS_TOKEN = "twilio-test-token";
/** A recipient the fake refuses as Twilio refuses an invalid number (400, error 21211). */
export const FAKE_SMS_INVALID_NUMBER = "+15005550001";

declare module "vitest" {
	export interface ProvidedContext {
		smsApiUrl: string;
	}
}

export type ReceivedSms = { account: string; to: string; from: string; body: string; sid: string };

const readBody = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString("utf8");
};

export default async function setup(project: TestProject) {
	const received: ReceivedSms[] = [];
	const server = createServer(async (request, response) => {
		const reply = (status: number, body: unknown) => {
			response.writeHead(status, { "content-type": "application/json" });
			response.end(JSON.stringify(body));
		};
		if (request.method === "GET" && request.url === "/received") return reply(200, received);
		const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.url ?? "");
		if (request.method !== "POST" || !path)
			return reply(404, { code: 20404, message: "The requested resource was not found", status: 404 });
		const account = decodeURIComponent(path[1] ?? "");
		const expected = `Basic ${Buffer.from(`${FAKE_SMS_ACCOUNT}:${FAKE_SMS_TOKEN}`).toString("base64")}`;
		if (account !== FAKE_SMS_ACCOUNT || request.headers.authorization !== expected) {
			return reply(401, { code: 20003, message: "Authenticate", status: 401 });
		}
		if (!request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) {
			return reply(400, { code: 21620, message: "Invalid media type", status: 400 });
		}
		const form = new URLSearchParams(await readBody(request));
		const [to, from, body] = [form.get("To"), form.get("From"), form.get("Body")];
		if (!to || !from || !body)
			return reply(400, { code: 21604, message: "A 'To', 'From' and 'Body' are required", status: 400 });
		if (to === FAKE_SMS_INVALID_NUMBER) {
			return reply(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
		}
		const sid = `SM${String(received.length + 1).padStart(32, "0")}`;
		received.push({ account, to, from, body, sid });
		return reply(201, { sid, account_sid: account, to, from, body, status: "queued" });
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	project.provide("smsApiUrl", `http://127.0.0.1:${port}`);
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
