import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { checkWebhookTarget, retryDelaySeconds } from "../../src/domain/webhookTarget";
import { isWebhookSecret, newWebhookSecret, signedHeaders } from "../../src/lib/webhookSignature";

describe("webhook targets", () => {
	const production = { allowLocalhost: false };
	it.each([
		"https://hooks.example.com/billing",
		"https://93.184.216.34/hook",
		"https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
	])("accepts %s", (url) => {
		expect(checkWebhookTarget(url, production).ok).toBe(true);
	});

	it.each([
		["http://hooks.example.com/billing", "must use https"],
		["https://localhost/hook", "must name a public host"],
		["https://billing.internal/hook", "must name a public host"],
		["https://printer.local/hook", "must name a public host"],
		["https://intranet/hook", "must name a public host"],
		["https://10.1.2.3/hook", "private"],
		["https://172.20.0.1/hook", "private"],
		["https://192.168.1.1/hook", "private"],
		["https://127.0.0.1/hook", "private"],
		["https://169.254.169.254/latest/meta-data", "private"],
		["https://100.64.0.1/hook", "private"],
		["https://[::1]/hook", "private"],
		["https://[fd00::1]/hook", "private"],
		["https://[fe80::1]/hook", "private"],
		["https://[::ffff:10.0.0.1]/hook", "private"],
		["https://user:pass@hooks.example.com/", "credentials"],
		["not a url", "is not a URL"],
	])("refuses %s", (url, reason) => {
		const result = checkWebhookTarget(url, production);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain(reason);
	});

	it("allows http://localhost only when local development allows it", () => {
		expect(checkWebhookTarget("http://localhost:9000/hook", { allowLocalhost: true }).ok).toBe(true);
		expect(checkWebhookTarget("http://127.0.0.1:9000/hook", { allowLocalhost: true }).ok).toBe(true);
		expect(checkWebhookTarget("http://localhost:9000/hook", production).ok).toBe(false);
		expect(checkWebhookTarget("http://10.0.0.1/hook", { allowLocalhost: true }).ok).toBe(false);
	});

	it("backs off exponentially up to the queue's 12-hour limit", () => {
		expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
		expect(retryDelaySeconds(20)).toBe(43_200);
	});
});

describe("Standard Webhooks signatures", () => {
	it("verify with the specification's reference library", async () => {
		const secret = newWebhookSecret();
		expect(isWebhookSecret(secret)).toBe(true);
		const body = JSON.stringify({ type: "invoice.paid", timestamp: new Date().toISOString(), data: { id: "inv_1" } });
		const headers = await signedHeaders(secret, "msg_1", new Date(), body);
		expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
		expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
		expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
	});

	it("rejects malformed secrets", () => {
		expect(isWebhookSecret("whsec_short")).toBe(false);
		expect(isWebhookSecret("nothing")).toBe(false);
	});
});
