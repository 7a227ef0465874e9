import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";

describe("tenant-scoped paths /v1/{tenantId}/billing/...", () => {
	it("serves a write and a read as the plain paths do", async () => {
		const { tenantId, key } = await newTenant();
		const created = await api(`/v1/${tenantId}/billing/customers`, { key, body: { name: "Scoped GmbH" } });
		expect(created.status).toBe(201);
		expect(created.body.name).toBe("Scoped GmbH");

		const scoped = await api(`/v1/${tenantId}/billing/customers/${created.body.id}`, { key });
		expect(scoped.status).toBe(200);
		const plain = await api(`/v1/billing/customers/${created.body.id}`, { key });
		expect(scoped.body).toEqual(plain.body);

		const listed = await api(`/v1/${tenantId}/billing/customers?limit=5`, { key });
		expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
	});

	it("answers 403 when the path names another tenant than the credential, before doing anything", async () => {
		const mine = await newTenant();
		const other = await newTenant();
		const theirs = await newCustomer(other.key);
		const read = await api(`/v1/${other.tenantId}/billing/customers/${theirs.id}`, { key: mine.key });
		expect(expectProblem(read, 403, "forbidden").detail).toMatch(/tenant in the path/);
		const write = await api(`/v1/${other.tenantId}/billing/customers`, { key: mine.key, body: { name: "Intruder" } });
		expectProblem(write, 403, "forbidden");
		const theirList = await api("/v1/billing/customers", { key: other.key });
		expect(theirList.body.data.map((c: { name: string }) => c.name)).toEqual([theirs.name]);
	});

	it("checks the path and X-Tenant-ID alike, and still needs a credential", async () => {
		const { tenantId, key } = await newTenant();
		const other = await newTenant();
		expectProblem(
			await api(`/v1/${tenantId}/billing/customers`, { key, headers: { "x-tenant-id": other.tenantId } }),
			403,
			"forbidden",
		);
		expect((await api(`/v1/${tenantId}/billing/customers`, { key, headers: { "x-tenant-id": tenantId } })).status).toBe(
			200,
		);
		expectProblem(await api(`/v1/${tenantId}/billing/customers`), 401, "unauthenticated");
	});

	it("answers unknown routes and methods under the tenant path as under the plain one", async () => {
		const { tenantId, key } = await newTenant();
		expectProblem(await api(`/v1/${tenantId}/billing/nothing-here`, { key }), 404, "route_not_found");
		const wrongMethod = await api(`/v1/${tenantId}/billing/customers`, { key, method: "DELETE" });
		expectProblem(wrongMethod, 405, "method_not_allowed");
		expect(await api(`/v1/${tenantId}/billing/health`).then((r) => r.status)).toBe(200);
	});
});
