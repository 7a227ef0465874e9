import { describe, expect, it } from "vitest";
import { type ApiResponse, api, expectProblemDocument, newCustomer, newKey, newTenant } from "../helpers/api";

type Page = { object: string; data: { id: string }[]; has_more: boolean; next_cursor: string | null; limit: number };

/** A tenant with `n` customers, and their ids in creation order. */
async function tenantWithCustomers(n: number) {
	const { key } = await newTenant();
	const ids: string[] = [];
	for (let i = 0; i < n; i++) ids.push((await newCustomer(key, { name: `Customer ${i + 1}` })).id);
	return { key, ids };
}

/** Follows next_cursor from `firstPath` to the end, keeping its other parameters, returning every page. */
async function walk(key: string, firstPath: string): Promise<Page[]> {
	const pages: Page[] = [];
	const url = new URL(firstPath, "https://billing.test");
	for (;;) {
		const res: ApiResponse<Page> = await api<Page>(`${url.pathname}${url.search}`, { key });
		expect(res.status, res.text).toBe(200);
		pages.push(res.body);
		const cursor: string | null = res.body.next_cursor;
		if (cursor === null) break;
		url.searchParams.set("cursor", cursor);
		expect(pages.length).toBeLessThan(10);
	}
	return pages;
}

describe("cursor pagination", () => {
	it("walks 25 customers in pages of 10, newest first, each exactly once", async () => {
		const { key, ids } = await tenantWithCustomers(25);
		const pages = await walk(key, "/v1/billing/customers?limit=10");
		expect(pages.map((p) => p.data.length)).toEqual([10, 10, 5]);
		expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
		expect(pages.at(-1)?.next_cursor).toBe(null);
		for (const page of pages) expect(page).toMatchObject({ object: "list", limit: 10 });
		const seen = pages.flatMap((p) => p.data.map((c) => c.id));
		expect(seen).toEqual([...ids].reverse());
	});

	it("walks in creation order with order=asc", async () => {
		const { key, ids } = await tenantWithCustomers(25);
		const pages = await walk(key, "/v1/billing/customers?limit=10&order=asc");
		expect(pages.map((p) => p.data.length)).toEqual([10, 10, 5]);
		expect(pages.flatMap((p) => p.data.map((c) => c.id))).toEqual(ids);
	});

	it("keeps the cursor's order even if a later request asks for another", async () => {
		const { key, ids } = await tenantWithCustomers(5);
		const first = await api<Page>("/v1/billing/customers?limit=2&order=asc", { key });
		const next = await api<Page>(
			`/v1/billing/customers?limit=2&order=desc&cursor=${encodeURIComponent(first.body.next_cursor ?? "")}`,
			{ key },
		);
		expect(next.body.data.map((c) => c.id)).toEqual(ids.slice(2, 4));
	});

	it("does not repeat or skip rows when customers are added during the walk", async () => {
		const { key, ids } = await tenantWithCustomers(12);
		const first = await api<Page>("/v1/billing/customers?limit=5&order=asc", { key });
		const late = await newCustomer(key, { name: "Late arrival" });
		const rest = await walk(key, `/v1/billing/customers?limit=10&order=asc&cursor=${first.body.next_cursor}`);
		const seen = [...first.body.data, ...rest.flatMap((p) => p.data)].map((c) => c.id);
		expect(seen).toEqual([...ids, late.id]);
	});

	it("an exact multiple of the limit ends with has_more false and no cursor", async () => {
		const { key } = await tenantWithCustomers(10);
		const pages = await walk(key, "/v1/billing/customers?limit=5");
		expect(pages.map((p) => p.data.length)).toEqual([5, 5]);
		expect(pages[1]).toMatchObject({ has_more: false, next_cursor: null });
	});

	it("uses a limit of 20 when none is given", async () => {
		const { key } = await tenantWithCustomers(21);
		const res = await api<Page>("/v1/billing/customers", { key });
		expect(res.body.limit).toBe(20);
		expect(res.body.data).toHaveLength(20);
		expect(res.body.has_more).toBe(true);
	});

	it("returns an empty list for a tenant with no customers", async () => {
		const { key } = await newTenant();
		const res = await api<Page>("/v1/billing/customers", { key });
		expect(res.body).toEqual({ object: "list", data: [], has_more: false, next_cursor: null, limit: 20 });
	});
});

describe("page/limit pagination", () => {
	it("returns the requested page, without a cursor", async () => {
		const { key, ids } = await tenantWithCustomers(25);
		const newestFirst = [...ids].reverse();
		const page2 = await api("/v1/billing/customers?page=2&limit=10", { key });
		expect(page2.status).toBe(200);
		expect(page2.body).toMatchObject({ page: 2, limit: 10, has_more: true, next_cursor: null });
		expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual(newestFirst.slice(10, 20));

		const page3 = await api("/v1/billing/customers?page=3&limit=10", { key });
		expect(page3.body).toMatchObject({ page: 3, has_more: false });
		expect(page3.body.data.map((c: { id: string }) => c.id)).toEqual(newestFirst.slice(20));

		const beyond = await api("/v1/billing/customers?page=4&limit=10", { key });
		expect(beyond.body).toMatchObject({ page: 4, data: [], has_more: false });

		const asc = await api("/v1/billing/customers?page=2&limit=10&order=asc", { key });
		expect(asc.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(10, 20));
	});
});

describe("pagination parameters", () => {
	it("refuses cursor and page together with 422", async () => {
		const { key } = await tenantWithCustomers(3);
		const first = await api<Page>("/v1/billing/customers?limit=1", { key });
		const res = await api(`/v1/billing/customers?limit=1&page=2&cursor=${first.body.next_cursor}`, { key });
		expect(expectProblemDocument(res, 422, "validation_failed").errors).toEqual([
			{ location: "query", field: "cursor", message: "cannot be combined with page" },
		]);
	});

	it.each([
		["not base64", "%%%not-a-cursor"],
		["base64 of garbage", btoa("garbage")],
		["JSON without an id", btoa(JSON.stringify({ order: "asc" }))],
		["JSON with a bad order", btoa(JSON.stringify({ id: "cus_01J00000000000000000000000", order: "sideways" }))],
	])("refuses a cursor that is %s with 422", async (_label, cursor) => {
		const { key } = await newTenant();
		const res = await api(`/v1/billing/customers?cursor=${encodeURIComponent(cursor)}`, { key });
		expect(expectProblemDocument(res, 422, "validation_failed").errors).toEqual([
			{ location: "query", field: "cursor", message: "is not a cursor this API returned" },
		]);
	});

	it.each([
		["limit=101", "limit"],
		["limit=0", "limit"],
		["limit=-5", "limit"],
		["limit=2.5", "limit"],
		["limit=ten", "limit"],
		["page=0", "page"],
		["page=abc", "page"],
		["order=sideways", "order"],
		["cursor=", "cursor"],
	])("refuses %s with 422 naming the parameter", async (query, field) => {
		const { key } = await newTenant();
		const res = await api(`/v1/billing/customers?${query}`, { key });
		const problem = expectProblemDocument(res, 422, "validation_failed");
		expect(problem.errors.map((e: { location: string; field: string }) => `${e.location}:${e.field}`)).toEqual([
			`query:${field}`,
		]);
	});

	it("accepts the bounds limit=1 and limit=100", async () => {
		const { key } = await tenantWithCustomers(2);
		expect((await api("/v1/billing/customers?limit=1", { key })).body.data).toHaveLength(1);
		expect((await api("/v1/billing/customers?limit=100", { key })).body.data).toHaveLength(2);
	});

	it("a cursor from one tenant reveals nothing in another", async () => {
		const a = await tenantWithCustomers(3);
		const b = await tenantWithCustomers(2);
		const cursorA = (await api<Page>("/v1/billing/customers?limit=1", { key: a.key })).body.next_cursor;
		const res = await api<Page>(`/v1/billing/customers?cursor=${cursorA}`, { key: b.key });
		expect(res.status).toBe(200);
		for (const c of res.body.data) expect(b.ids).toContain(c.id);
	});
});

describe("pagination of other lists", () => {
	it("pages API keys", async () => {
		const { key: admin } = await newTenant();
		for (let i = 0; i < 4; i++) await newKey(admin, "billing_reader");
		const first = await api("/v1/billing/keys?limit=2&order=asc", { key: admin });
		expect(first.body.data).toHaveLength(2);
		expect(first.body.data[0].name).toBe("Initial admin key");
		const second = await api(`/v1/billing/keys?limit=2&order=asc&cursor=${first.body.next_cursor}`, { key: admin });
		const third = await api(`/v1/billing/keys?limit=2&order=asc&cursor=${second.body.next_cursor}`, { key: admin });
		expect(third.body).toMatchObject({ has_more: false, next_cursor: null });
		const ids = [...first.body.data, ...second.body.data, ...third.body.data].map((k: { id: string }) => k.id);
		expect(new Set(ids).size).toBe(5);
	});

	it("pages a customer's notes, newest first", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		for (let i = 1; i <= 3; i++) {
			await api(`/v1/billing/customers/${customer.id}/notes`, { key, body: { body: `note ${i}` } });
		}
		const first = await api(`/v1/billing/customers/${customer.id}/notes?limit=2`, { key });
		expect(first.body.data.map((n: { body: string }) => n.body)).toEqual(["note 3", "note 2"]);
		const rest = await api(`/v1/billing/customers/${customer.id}/notes?limit=2&cursor=${first.body.next_cursor}`, {
			key,
		});
		expect(rest.body.data.map((n: { body: string }) => n.body)).toEqual(["note 1"]);
		expect(rest.body.has_more).toBe(false);
	});
});
