import { describe, expect, it } from "vitest";
import { api, expectProblem, expectProblemDocument, newCustomer, newTenant } from "../helpers/api";
import { newPlan } from "../helpers/subscriptions";

// Query strings are held to the parameters each route declares, on every surface: an unknown parameter
// or an empty value is refused naming it, in the surface's own error shape, before the route does anything.

const queryErrors = (body: any) => body.errors.filter((e: { location: string }) => e.location === "query");

describe("query parameters a route does not declare", () => {
	it("refuses an unknown parameter on a list, naming it, instead of ignoring it", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/invoices?offset=1&limit=5", { key });
		const problem = expectProblemDocument(res, 422, "validation_failed", "/v1/billing/invoices");
		expect(queryErrors(problem)).toEqual([
			{ location: "query", field: "offset", message: "is not a recognized parameter" },
		]);
		expect(problem.detail).toContain("offset");
	});

	it("refuses parameters on a route that declares none, and names every one", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}?expand=invoices&format=pdf`, { key });
		const problem = expectProblem(res, 422, "validation_failed");
		expect(queryErrors(problem).map((e: { field: string }) => e.field)).toEqual(["expand", "format"]);
	});

	it("refuses them on writes before anything is written", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers?dry_run=true", { key, body: { name: "Never made" } });
		expect(queryErrors(expectProblem(res, 422, "validation_failed"))[0].field).toBe("dry_run");
		const listed = await api("/v1/billing/customers", { key });
		expect(listed.body.data).toEqual([]);
	});

	it("asks for a credential first: an anonymous caller learns nothing of the route's parameters", async () => {
		const res = await api("/v1/billing/invoices?offset=1");
		expectProblem(res, 401, "unauthenticated");
	});

	it("keeps declared parameters working, a list's cursor and page among them", async () => {
		const { key } = await newTenant();
		for (const name of ["A", "B", "C"]) await newCustomer(key, { name });
		const first = await api("/v1/billing/customers?limit=2&order=asc", { key });
		expect(first.status).toBe(200);
		const next = await api(`/v1/billing/customers?limit=2&order=asc&cursor=${first.body.next_cursor}`, { key });
		expect(next.body.data.map((c: { name: string }) => c.name)).toEqual(["C"]);
		expect((await api("/v1/billing/customers?limit=2&page=2", { key })).status).toBe(200);
	});
});

describe("empty query values", () => {
	it("refuses `name=` naming the parameter, rather than reading it as null", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/usage?group_by=", { key });
		const problem = expectProblem(res, 422, "validation_failed");
		expect(queryErrors(problem)).toEqual([
			{ location: "query", field: "group_by", message: "is empty: leave the parameter out or give it a value" },
		]);
		expect(res.text).not.toContain("null");
	});

	it("refuses an empty filter, number or cursor the same way", async () => {
		const { key } = await newTenant();
		for (const name of ["status", "limit", "cursor", "customer_id"]) {
			const problem = expectProblem(await api(`/v1/billing/invoices?${name}=`, { key }), 422, "validation_failed");
			expect(queryErrors(problem).map((e: { field: string }) => e.field)).toEqual([name]);
		}
	});
});

describe("deep-object parameters", () => {
	it("reads `dimensions[region]=eu` as a map the schema declares, and refuses other bracketed names", async () => {
		const { key } = await newTenant();
		expect((await api("/v1/billing/usage?dimensions[region]=eu&dimensions[tier]=gold", { key })).status).toBe(200);
		for (const [query, field] of [
			["dimensions=eu", "dimensions"],
			["dimensions[]=eu", "dimensions[]"],
			["group_by[x]=region", "group_by[x]"],
			["dimensions[region]=", "dimensions[region]"],
		]) {
			const problem = expectProblem(await api(`/v1/billing/usage?${query}`, { key }), 422, "validation_failed");
			expect(queryErrors(problem).map((e: { field: string }) => e.field)).toEqual([field]);
		}
		const badKey = expectProblem(
			await api("/v1/billing/usage?dimensions[bad%20key]=eu", { key }),
			422,
			"validation_failed",
		);
		expect(queryErrors(badKey)[0].field).toBe("dimensions.bad key");
	});
});

describe("the seeds' surfaces answer in their own shapes", () => {
	it("seed 004 (InvoiceMe): a 400 problem with its timestamp", async () => {
		const { key } = await newTenant();
		const res = await api("/api/v1/customers?offset=1", { key });
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ status: 400, code: "validation_failed", timestamp: expect.any(String) });
		expect(res.body.errors).toEqual([{ location: "query", field: "offset", message: "is not a recognized parameter" }]);
	});

	it("seed 001: a 400 problem", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/invoices?offset=1", { key });
		expect(res.status).toBe(400);
		expect(res.body.errors[0]).toMatchObject({ location: "query", field: "offset" });
	});

	it("seed 002: 400 invalid_request, on the plain and the tenant-scoped path", async () => {
		const { key, tenantId } = await newTenant();
		for (const path of ["/v1/billing/invoice", `/v1/${tenantId}/billing/invoice`]) {
			const problem = expectProblem(await api(`${path}?page=2`, { key }), 400, "invalid_request");
			expect(problem.errors).toEqual([{ location: "query", field: "page", message: "is not a recognized parameter" }]);
		}
		expect((await api("/v1/billing/invoice?offset=1&limit=5", { key })).status).toBe(200);
	});
});

describe("plan intervals", () => {
	it("accepts seed 000's `monthly` and `yearly`, stored and shown as `month` and `year`", async () => {
		const { key } = await newTenant();
		const monthly = await newPlan(key, { interval: "monthly", billing_day: 1 });
		expect(monthly.interval).toBe("month");
		const yearly = await newPlan(key, { interval: "yearly" });
		expect((await api(`/v1/billing/plans/${yearly.id}`, { key })).body.interval).toBe("year");
		const refused = expectProblem(await newPlanResponse(key, "fortnightly"), 422, "validation_failed");
		expect(refused.errors[0]).toMatchObject({ location: "body", field: "interval" });
	});
});

const newPlanResponse = (key: string, interval: string) =>
	api("/v1/billing/plans", {
		key,
		body: { code: `plan_${interval}`, name: "Pro", interval, amount: 2900, currency: "EUR" },
	});
