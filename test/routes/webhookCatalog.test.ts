import { describe, expect, it } from "vitest";
import { canonicalEventName, eventCatalog, subscribableEventNames } from "../../src/domain/eventCatalog";
import { api, expectProblem, newTenant } from "../helpers/api";

const register = (key: string, events: string[]) =>
	api("/v1/billing/webhooks", { key, body: { url: "https://hooks.example.com/billing", events } });

describe("webhook event catalog", () => {
	it("refuses an event name the service never emits, naming the field", async () => {
		const { key } = await newTenant();
		const res = await register(key, ["invoice.paid", "foo.bar"]);
		const problem = expectProblem(res, 422, "validation_failed");
		expect(problem.errors).toEqual([expect.objectContaining({ location: "body", field: "events.1" })]);
		expectProblem(await register(key, ["invoice.*"]), 422, "validation_failed");
	});

	it("accepts the seed's spellings, storing an alias as the catalog's name", async () => {
		const { key } = await newTenant();
		const res = await register(key, [
			"invoice.created",
			"invoice.paid",
			"payment.failed",
			"credit_note.issued",
			"subscription.cancelled",
			"subscription.canceled",
		]);
		expect(res.status).toBe(201);
		expect(res.body.events).toEqual([
			"invoice.created",
			"invoice.paid",
			"payment.failed",
			"credit_note.issued",
			"subscription.canceled",
		]);
		const listed = await api("/v1/billing/webhooks", { key });
		expect(listed.body.data[0].events).toContain("subscription.canceled");
		expect(listed.body.data[0].events).not.toContain("subscription.cancelled");
	});

	it("keeps * subscribing to every event", async () => {
		const { key } = await newTenant();
		const res = await register(key, ["*"]);
		expect(res.status).toBe(201);
		expect(res.body.events).toEqual(["*"]);
	});

	it("documents the catalog as the enum of the endpoint's events", async () => {
		const res = await api("/openapi.json");
		const create = res.body.components.schemas.WebhookEndpointCreate;
		const names: string[] = create.properties.events.items.enum;
		expect(names).toEqual([...subscribableEventNames]);
		expect(names).toEqual(
			expect.arrayContaining(["*", "payment.failed", "subscription.canceled", "subscription.cancelled"]),
		);
	});

	it("maps every alias onto an event of the catalog", () => {
		for (const name of subscribableEventNames) {
			const canonical = canonicalEventName(name);
			expect(canonical === "*" || Object.hasOwn(eventCatalog, canonical)).toBe(true);
		}
		expect(canonicalEventName("subscription.cancelled")).toBe("subscription.canceled");
		expect(canonicalEventName("payment.failed")).toBe("payment.failed");
	});
});
