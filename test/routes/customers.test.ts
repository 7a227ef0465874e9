import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
	api,
	expectProblemDocument,
	fieldsOf,
	newCustomer,
	newKey,
	newRole,
	newTenant,
	newTenantWithKeyId,
} from "../helpers/api";

const CUSTOMER_ID = /^cus_[0-9A-HJKMNP-TV-Z]{26}$/;

async function createExpectingFields(body: Record<string, unknown>, fields: string[]) {
	const { key } = await newTenant();
	const res = await api("/v1/billing/customers", { key, body });
	const problem = expectProblemDocument(res, 422, "validation_failed");
	expect(new Set(fieldsOf(problem))).toEqual(new Set(fields.map((f) => `body:${f}`)));
	return problem;
}

async function createOk(body: Record<string, unknown>, currency = "EUR") {
	const { key } = await newTenant(currency);
	const res = await api("/v1/billing/customers", { key, body });
	expect(res.status, res.text).toBe(201);
	return res.body;
}

describe("create", () => {
	it("creates a customer with every field and returns it with ETag and Location", async () => {
		const { key } = await newTenant();
		const body = {
			name: "Acme GmbH",
			email: "billing@acme.example",
			billing_address: {
				line1: "Hauptstr. 1",
				line2: "Hinterhaus",
				city: "Berlin",
				state: "BE",
				postal_code: "10115",
				country: "DE",
			},
			tax_id: "DE123456789",
			electronic_address: { value: "DE123456789", scheme: "9930" },
			buyer_reference: "04011000-1234512345-06",
			preferred_einvoice_format: "xrechnung",
			currency: "EUR",
			payment_terms: "net_45",
			account_code: "1200-ACME",
			segment: "enterprise",
			external_id: "crm-A-42",
			phone: "+4930123456789",
			metadata: { crm_id: "A-42" },
		};
		const res = await api("/v1/billing/customers", { key, body });
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			...body,
			id: expect.stringMatching(CUSTOMER_ID),
			object: "customer",
			status: "active",
			version: 1,
			created_at: expect.any(String),
			updated_at: res.body.created_at,
			deleted_at: null,
			test_clock_id: null,
			tax_status: "taxable",
			tax_exemption_reason: null,
			tax_exemption_reason_code: null,
			dunning_rule_id: null,
			services_held_at: null,
		});
		expect(res.headers.get("etag")).toBe('"1"');
		expect(res.headers.get("location")).toBe(`/v1/billing/customers/${res.body.id}`);
		const fetched = await api(`/v1/billing/customers/${res.body.id}`, { key });
		expect(fetched.body).toMatchObject(res.body);
		expect(fetched.headers.get("etag")).toBe('"1"');
		// The external id is the tenant's own key for the customer: a second one with it is a conflict.
		const again = await api("/v1/billing/customers", { key, body: { name: "Other", external_id: "crm-A-42" } });
		expect(expectProblemDocument(again, 409, "conflict").errors[0].field).toBe("external_id");
	});

	it("fills defaults: the tenant's currency, net30, empty metadata, nulls", async () => {
		const customer = await createOk({ name: "Defaults Ltd" }, "JPY");
		expect(customer).toMatchObject({
			currency: "JPY",
			payment_terms: "net30",
			metadata: {},
			email: null,
			billing_address: null,
			tax_id: null,
			account_code: null,
			segment: null,
		});
	});

	it("uses the tenant's default currency per tenant, and an explicit currency over it", async () => {
		expect((await createOk({ name: "US" }, "USD")).currency).toBe("USD");
		expect((await createOk({ name: "EU" }, "EUR")).currency).toBe("EUR");
		expect((await createOk({ name: "Explicit", currency: "CHF" }, "USD")).currency).toBe("CHF");
	});

	it("lower-cases email and trims text fields", async () => {
		const customer = await createOk({ name: "  Padded  ", email: "Billing@ACME.Example", segment: " smb " });
		expect(customer.email).toBe("billing@acme.example");
		expect(customer.name).toBe("Padded");
		expect(customer.segment).toBe("smb");
	});
});

describe("create validation", () => {
	it.each([
		["missing", {}, "is required"],
		["empty", { name: "" }, undefined],
		["whitespace only", { name: "   " }, undefined],
		["201 characters", { name: "n".repeat(201) }, undefined],
		["a number", { name: 42 }, undefined],
		["null", { name: null }, undefined],
	])("refuses a name that is %s", async (_label, body, message) => {
		const problem = await createExpectingFields(body, ["name"]);
		if (message) expect(problem.errors[0].message).toBe(message);
	});

	it("accepts a name of exactly 200 characters", async () => {
		expect((await createOk({ name: "n".repeat(200) })).name).toHaveLength(200);
	});

	it.each(["plainaddress", "@no-local.example", "two@@example.com", "spaces in@example.com", ""])(
		"refuses the email %j",
		async (email) => {
			const problem = await createExpectingFields({ name: "X", email }, ["email"]);
			expect(problem.errors[0].message).toBe("must be an email address");
		},
	);

	it("refuses an email over 254 characters", async () => {
		await createExpectingFields({ name: "X", email: `${"a".repeat(64)}@${"b".repeat(186)}.example` }, ["email"]);
	});

	it.each([
		["lower case", { country: "de" }, ["billing_address.country"]],
		["three letters", { country: "DEU" }, ["billing_address.country"]],
		["missing", { line1: "Hauptstr. 1" }, ["billing_address.country"]],
		["an unknown nested field", { country: "DE", street: "Hauptstr. 1" }, ["billing_address.street"]],
		["an over-long postal code", { country: "DE", postal_code: "1".repeat(21) }, ["billing_address.postal_code"]],
		["an empty city", { country: "DE", city: "" }, ["billing_address.city"]],
	])("refuses a billing address with %s", async (_label, billing_address, fields) => {
		const problem = await createExpectingFields({ name: "X", billing_address }, fields);
		if (_label === "missing") expect(problem.errors[0].message).toBe("is required");
		if (_label === "an unknown nested field") expect(problem.errors[0].message).toBe("is not a recognized field");
	});

	it("refuses a billing address that is not an object", async () => {
		await createExpectingFields({ name: "X", billing_address: "Hauptstr. 1, Berlin" }, ["billing_address"]);
	});

	it.each([
		["65 characters", "T".repeat(65)],
		["empty", ""],
	])("refuses a tax_id of %s", async (_label, tax_id) => {
		await createExpectingFields({ name: "X", tax_id }, ["tax_id"]);
	});

	it("accepts a tax_id of 64 characters", async () => {
		expect((await createOk({ name: "X", tax_id: "T".repeat(64) })).tax_id).toHaveLength(64);
	});

	it.each([
		["lower case", "eur", "must be an ISO 4217 code in upper case, such as EUR"],
		["unknown", "XYZ", "is not an ISO 4217 currency"],
		["too long", "EURO", "must be an ISO 4217 code in upper case, such as EUR"],
		["a withdrawn code", "DEM", "is not an ISO 4217 currency"],
	])("refuses a currency that is %s", async (_label, currency, message) => {
		const problem = await createExpectingFields({ name: "X", currency }, ["currency"]);
		expect(problem.errors.map((e: { message: string }) => e.message)).toContain(message);
	});

	it.each(["net30", "net_45", "net_0", "net365", "net_365", "due_on_receipt", "prepaid"])(
		"accepts payment_terms %s",
		async (terms) => {
			expect((await createOk({ name: "X", payment_terms: terms })).payment_terms).toBe(terms);
		},
	);

	it.each(["net_400", "net366", "bogus", "NET30", "net_-1", "net_", "net 30", "prepaid "])(
		"refuses payment_terms %j",
		async (terms) => {
			const problem = await createExpectingFields({ name: "X", payment_terms: terms }, ["payment_terms"]);
			expect(problem.errors[0].message).toContain("net_N");
		},
	);

	it("accepts metadata with 50 keys and refuses 51", async () => {
		const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`]));
		expect(Object.keys((await createOk({ name: "X", metadata: fifty })).metadata)).toHaveLength(50);
		const problem = await createExpectingFields({ name: "X", metadata: { ...fifty, k50: "one too many" } }, [
			"metadata",
		]);
		expect(problem.errors[0].message).toBe("may hold at most 50 keys");
	});

	it.each([
		["a non-string value", { count: 3 }, "metadata.count"],
		["a value over 500 characters", { note: "v".repeat(501) }, "metadata.note"],
		["a key over 40 characters", { ["k".repeat(41)]: "v" }, `metadata.${"k".repeat(41)}`],
	])("refuses metadata with %s", async (_label, metadata, field) => {
		const problem = await createExpectingFields({ name: "X", metadata }, [field]);
		expect(problem.errors[0].location).toBe("body");
	});

	it.each([
		["account_code", "a".repeat(65)],
		["segment", "s".repeat(65)],
	])("refuses an over-long %s", async (field, value) => {
		await createExpectingFields({ name: "X", [field]: value }, [field]);
	});

	it("refuses server-owned and unknown fields by name", async () => {
		const problem = await createExpectingFields(
			{ name: "X", id: "cus_01J00000000000000000000000", status: "deleted", version: 7, nickname: "x" },
			["id", "status", "version", "nickname"],
		);
		for (const error of problem.errors) expect(error.message).toBe("is not a recognized field");
	});
});

describe("list filters", () => {
	it("filters by status, segment and email (case-insensitively)", async () => {
		const { key } = await newTenant();
		const big = await newCustomer(key, { name: "Big", segment: "enterprise", email: "ap@big.example" });
		const small = await newCustomer(key, { name: "Small", segment: "smb", email: "ap@small.example" });
		const gone = await newCustomer(key, { name: "Gone", segment: "smb" });
		await api(`/v1/billing/customers/${gone.id}`, { key, method: "DELETE" });

		const ids = async (query: string) =>
			(await api(`/v1/billing/customers?${query}`, { key })).body.data.map((c: { id: string }) => c.id);
		expect(await ids("")).toEqual([small.id, big.id]);
		expect(await ids("status=active")).toEqual([small.id, big.id]);
		expect(await ids("status=deleted")).toEqual([gone.id]);
		expect(await ids("status=all")).toEqual([gone.id, small.id, big.id]);
		expect(await ids("segment=smb")).toEqual([small.id]);
		expect(await ids("segment=smb&status=all")).toEqual([gone.id, small.id]);
		expect(await ids("segment=nobody")).toEqual([]);
		expect(await ids("email=ap%40big.example")).toEqual([big.id]);
		expect(await ids("email=AP%40BIG.Example")).toEqual([big.id]);
		expect(await ids("email=ap%40big.example&segment=smb")).toEqual([]);
	});

	it("refuses an unknown status filter", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers?status=archived", { key });
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual(["query:status"]);
	});
});

describe("get", () => {
	it("answers 404 for a well-formed id that does not exist", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers/cus_01J00000000000000000000000", { key });
		const problem = expectProblemDocument(res, 404, "not_found");
		expect(problem).toMatchObject({ resource: "customer", id: "cus_01J00000000000000000000000" });
	});
});

describe("update", () => {
	it("changes only the fields sent, bumps the version and the ETag", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "a@b.example", segment: "smb", metadata: { a: "1" } });
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { payment_terms: "net_45" },
			headers: { "If-Match": '"1"' },
		});
		expect(res.status).toBe(200);
		expect(res.headers.get("etag")).toBe('"2"');
		expect(res.body).toEqual({
			...customer,
			payment_terms: "net_45",
			version: 2,
			updated_at: expect.any(String),
		});
		expect(res.body.created_at).toBe(customer.created_at);
		const fetched = await api(`/v1/billing/customers/${customer.id}`, { key });
		expect(fetched.body).toMatchObject(res.body);
		expect(fetched.headers.get("etag")).toBe('"2"');
	});

	it("updates without any precondition (no If-Match, no version)", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}`, { key, method: "PATCH", body: { name: "Renamed" } });
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({ name: "Renamed", version: 2 });
	});

	it("accepts the version in the body instead of If-Match", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { segment: "enterprise", version: 1 },
		});
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({ segment: "enterprise", version: 2 });
	});

	it("accepts a weak ETag and * in If-Match", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		const weak = await api(path, { key, method: "PATCH", body: { segment: "a" }, headers: { "If-Match": 'W/"1"' } });
		expect(weak.status).toBe(200);
		const star = await api(path, { key, method: "PATCH", body: { segment: "b" }, headers: { "If-Match": "*" } });
		expect(star.status).toBe(200);
		expect(star.body.version).toBe(3);
	});

	it("answers a stale If-Match with 412 precondition_failed and changes nothing", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		await api(path, { key, method: "PATCH", body: { segment: "first" }, headers: { "If-Match": '"1"' } });
		const stale = await api(path, {
			key,
			method: "PATCH",
			body: { segment: "second" },
			headers: { "If-Match": '"1"' },
		});
		expect(expectProblemDocument(stale, 412, "precondition_failed").current_version).toBe(2);
		expect((await api(path, { key })).body).toMatchObject({ segment: "first", version: 2 });
	});

	it("answers a stale body version with 409 version_conflict and changes nothing", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		await api(path, { key, method: "PATCH", body: { segment: "first", version: 1 } });
		const stale = await api(path, { key, method: "PATCH", body: { segment: "second", version: 1 } });
		expect(expectProblemDocument(stale, 409, "version_conflict").current_version).toBe(2);
		const future = await api(path, { key, method: "PATCH", body: { segment: "third", version: 9 } });
		expectProblemDocument(future, 409, "version_conflict");
		expect((await api(path, { key })).body).toMatchObject({ segment: "first", version: 2 });
	});

	it("answers 412 when If-Match and the body version disagree, or If-Match is not an ETag", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		const disagree = await api(path, {
			key,
			method: "PATCH",
			body: { segment: "x", version: 2 },
			headers: { "If-Match": '"1"' },
		});
		expectProblemDocument(disagree, 412, "precondition_failed");
		const garbage = await api(path, {
			key,
			method: "PATCH",
			body: { segment: "x" },
			headers: { "If-Match": "version-1" },
		});
		expect(expectProblemDocument(garbage, 412, "precondition_failed").errors).toEqual([
			{ location: "header", field: "If-Match", message: "is not an ETag this API returned" },
		]);
		expect((await api(path, { key })).body.version).toBe(1);
	});

	it("clears optional fields sent as null", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, {
			email: "a@b.example",
			billing_address: { country: "DE" },
			tax_id: "DE1",
			account_code: "1200",
			segment: "smb",
		});
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { email: null, billing_address: null, tax_id: null, account_code: null, segment: null },
		});
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({
			name: customer.name,
			email: null,
			billing_address: null,
			tax_id: null,
			account_code: null,
			segment: null,
		});
	});

	it("refuses null for required fields and validates like create", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: {
				name: null,
				currency: null,
				payment_terms: "net_400",
				billing_address: { country: "de" },
				email: "Nope",
				version: 0,
				colour: "red",
			},
		});
		const problem = expectProblemDocument(res, 422, "validation_failed");
		expect(new Set(fieldsOf(problem))).toEqual(
			new Set([
				"body:name",
				"body:currency",
				"body:payment_terms",
				"body:billing_address.country",
				"body:email",
				"body:version",
				"body:colour",
			]),
		);
		expect((await api(`/v1/billing/customers/${customer.id}`, { key })).body.version).toBe(1);
	});

	it("replaces metadata as a whole and lower-cases a new email", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { metadata: { a: "1", b: "2" } });
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { metadata: { c: "3" }, email: "New@Mail.Example" },
		});
		expect(res.body.metadata).toEqual({ c: "3" });
		expect(res.body.email).toBe("new@mail.example");
	});

	it("lets exactly one of two concurrent updates from the same version win", async () => {
		const { key } = await newTenant();
		for (let round = 0; round < 5; round++) {
			const customer = await newCustomer(key, { name: `Race ${round}` });
			const path = `/v1/billing/customers/${customer.id}`;
			const [a, b] = await Promise.all([
				api(path, { key, method: "PATCH", body: { name: `A${round}`, version: 1 } }),
				api(path, { key, method: "PATCH", body: { name: `B${round}`, version: 1 } }),
			]);
			const statuses = [a.status, b.status].sort();
			expect(statuses, `${a.text} / ${b.text}`).toEqual([200, 409]);
			const winner = a.status === 200 ? a : b;
			expectProblemDocument(winner === a ? b : a, 409, "version_conflict");
			const final = await api(path, { key });
			expect(final.body).toMatchObject({ name: winner.body.name, version: 2 });
			const audit = await api(`/v1/billing/audit?target_id=${customer.id}&action=customer.updated`, { key });
			expect(audit.body.data).toHaveLength(1);
			expect(audit.body.data[0].after.name).toBe(winner.body.name);
		}
	});

	it("lets exactly one of two concurrent If-Match updates win (the other gets 412)", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		const [a, b] = await Promise.all([
			api(path, { key, method: "PATCH", body: { segment: "a" }, headers: { "If-Match": '"1"' } }),
			api(path, { key, method: "PATCH", body: { segment: "b" }, headers: { "If-Match": '"1"' } }),
		]);
		expect([a.status, b.status].sort()).toEqual([200, 412]);
		expect((await api(path, { key })).body.version).toBe(2);
	});

	it("needs customers:write", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const reader = await newKey(admin, "billing_reader");
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key: reader.secret,
			method: "PATCH",
			body: { name: "Nope" },
		});
		expectProblemDocument(res, 403, "forbidden");
	});
});

describe("delete", () => {
	it("soft-deletes: the customer stays readable as deleted and leaves the default list", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		const res = await api(path, { key, method: "DELETE" });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: customer.id, status: "deleted", version: 2, deleted_at: expect.any(String) });
		expect(res.body.updated_at).toBe(res.body.deleted_at);

		const fetched = await api(path, { key });
		expect(fetched.status).toBe(200);
		expect(fetched.body).toMatchObject(res.body);
		expect(fetched.headers.get("etag")).toBe('"2"');

		const list = async (q = "") =>
			(await api(`/v1/billing/customers${q}`, { key })).body.data.map((c: { id: string }) => c.id);
		expect(await list()).toEqual([]);
		expect(await list("?status=deleted")).toEqual([customer.id]);
		expect(await list("?status=all")).toEqual([customer.id]);
	});

	it("refuses to change or re-delete a deleted customer (409 invalid_state)", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		await api(path, { key, method: "DELETE" });
		const patch = await api(path, { key, method: "PATCH", body: { name: "Zombie" } });
		expect(expectProblemDocument(patch, 409, "invalid_state").current_status).toBe("deleted");
		const withVersion = await api(path, {
			key,
			method: "PATCH",
			body: { name: "Zombie" },
			headers: { "If-Match": '"2"' },
		});
		expectProblemDocument(withVersion, 409, "invalid_state");
		expectProblemDocument(await api(path, { key, method: "DELETE" }), 409, "invalid_state");
		expect((await api(path, { key })).body).toMatchObject({ name: customer.name, version: 2 });
	});

	it("lets exactly one of two concurrent soft deletes succeed; the other gets 409, never 500", async () => {
		const { key } = await newTenant();
		for (let round = 0; round < 20; round++) {
			const customer = await newCustomer(key, { name: `Double delete ${round}` });
			const path = `/v1/billing/customers/${customer.id}`;
			const [a, b] = await Promise.all([api(path, { key, method: "DELETE" }), api(path, { key, method: "DELETE" })]);
			expect([a.status, b.status].sort(), `round ${round}: ${a.text} / ${b.text}`).toEqual([200, 409]);
			expectProblemDocument(a.status === 200 ? b : a, 409, "invalid_state");
			expect((await api(path, { key })).body).toMatchObject({ status: "deleted", version: 2 });
			const audit = await api(`/v1/billing/audit?target_id=${customer.id}&action=customer.deleted`, { key });
			expect(audit.body.data).toHaveLength(1);
		}
	});

	it("never answers 500 when a delete races an update, and every success is audited once", async () => {
		const { key } = await newTenant();
		for (let round = 0; round < 20; round++) {
			const customer = await newCustomer(key, { name: `Race ${round}` });
			const path = `/v1/billing/customers/${customer.id}`;
			const [patch, del] = await Promise.all([
				api(path, { key, method: "PATCH", body: { name: `Renamed ${round}` } }),
				api(path, { key, method: "DELETE" }),
			]);
			for (const res of [patch, del]) {
				expect([200, 409], `round ${round}: ${res.text}`).toContain(res.status);
				if (res.status === 409) expect(["version_conflict", "invalid_state"]).toContain(res.body.code);
			}
			const final = (await api(path, { key })).body;
			expect(final.status).toBe(del.status === 200 ? "deleted" : "active");
			expect(final.name).toBe(patch.status === 200 ? `Renamed ${round}` : `Race ${round}`);
			const successes = [patch, del].filter((r) => r.status === 200).length;
			expect(final.version).toBe(1 + successes);
			const audit = await api(`/v1/billing/audit?target_id=${customer.id}`, { key });
			expect(audit.body.data.filter((e: { action: string }) => e.action !== "customer.created")).toHaveLength(
				successes,
			);
		}
	});

	it("hard-deletes with customers:delete (billing_admin): 204, then 404 everywhere", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		await api(`${path}/notes`, { key, body: { body: "will go with it" } });
		const res = await api(`${path}?hard=true`, { key, method: "DELETE" });
		expect(res.status).toBe(204);
		expect(res.text).toBe("");
		expectProblemDocument(await api(path, { key }), 404, "not_found");
		expectProblemDocument(await api(`${path}/notes`, { key }), 404, "not_found");
		expect((await api("/v1/billing/customers?status=all", { key })).body.data).toEqual([]);
		const orphans = await env.DB.prepare("select count(*) as n from customer_notes where customer_id = ?")
			.bind(customer.id)
			.first<{ n: number }>();
		expect(orphans?.n).toBe(0);
	});

	it("hard-deletes an already soft-deleted customer", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		await api(path, { key, method: "DELETE" });
		expect((await api(`${path}?hard=true`, { key, method: "DELETE" })).status).toBe(204);
		expectProblemDocument(await api(path, { key }), 404, "not_found");
	});

	it("refuses hard=true without customers:delete (403), even with customers:write", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		await newRole(admin, "customer_editor", ["customers:read", "customers:write"]);
		const editor = await newKey(admin, "customer_editor");
		const path = `/v1/billing/customers/${customer.id}`;
		const res = await api(`${path}?hard=true`, { key: editor.secret, method: "DELETE" });
		expect(expectProblemDocument(res, 403, "forbidden").required_permission).toBe("customers:delete");
		expect((await api(path, { key: admin })).body).toMatchObject({ status: "active", version: 1 });

		// The same role may soft-delete.
		const soft = await api(path, { key: editor.secret, method: "DELETE" });
		expect(soft.status).toBe(200);
		expect(soft.body.status).toBe("deleted");
	});

	it("a scoped admin key without customers:delete cannot hard-delete", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const scoped = await newKey(admin, "billing_admin", ["customers:read", "customers:write"]);
		const res = await api(`/v1/billing/customers/${customer.id}?hard=true`, { key: scoped.secret, method: "DELETE" });
		expectProblemDocument(res, 403, "forbidden");
	});

	it("refuses a hard parameter other than true or false", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}?hard=yes`, { key, method: "DELETE" });
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual(["query:hard"]);
		expect((await api(`/v1/billing/customers/${customer.id}`, { key })).body.status).toBe("active");
	});

	it("needs customers:write even for a soft delete", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const agent = await newKey(admin, "collections_agent");
		const res = await api(`/v1/billing/customers/${customer.id}`, { key: agent.secret, method: "DELETE" });
		expect(expectProblemDocument(res, 403, "forbidden").required_permission).toBe("customers:write");
	});
});

describe("notes", () => {
	it("adds notes and lists them newest first, with the author's key id", async () => {
		const { key, keyId } = await newTenantWithKeyId();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}/notes`;
		const first = await api(path, { key, body: { body: "  Promised to pay by Friday.  " } });
		expect(first.status).toBe(201);
		expect(first.body).toEqual({
			id: expect.stringMatching(/^note_[0-9A-HJKMNP-TV-Z]{26}$/),
			object: "customer_note",
			customer_id: customer.id,
			body: "Promised to pay by Friday.",
			author_id: keyId,
			created_at: expect.any(String),
		});
		const second = await api(path, { key, body: { body: "Paid." } });
		const list = await api(path, { key });
		expect(list.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
		expect(list.body.data).toEqual([second.body, first.body]);
		// A note is not a change to the customer itself.
		expect((await api(`/v1/billing/customers/${customer.id}`, { key })).body.version).toBe(1);
	});

	it("keeps notes per customer", async () => {
		const { key } = await newTenant();
		const a = await newCustomer(key, { name: "A" });
		const b = await newCustomer(key, { name: "B" });
		await api(`/v1/billing/customers/${a.id}/notes`, { key, body: { body: "about A" } });
		expect((await api(`/v1/billing/customers/${b.id}/notes`, { key })).body.data).toEqual([]);
	});

	it.each([
		["missing", {}],
		["empty", { body: "" }],
		["blank", { body: "   " }],
		["over 5000 characters", { body: "n".repeat(5001) }],
		["not a string", { body: 5 }],
		["with an unknown field", { body: "ok", pinned: true }],
	])("refuses a note body that is %s", async (_label, body) => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}/notes`, { key, body });
		expectProblemDocument(res, 422, "validation_failed");
		expect((await api(`/v1/billing/customers/${customer.id}/notes`, { key })).body.data).toEqual([]);
	});

	it("answers 404 for notes of a customer that does not exist", async () => {
		const { key } = await newTenant();
		const path = "/v1/billing/customers/cus_01J00000000000000000000000/notes";
		expectProblemDocument(await api(path, { key, body: { body: "x" } }), 404, "not_found");
		expectProblemDocument(await api(path, { key }), 404, "not_found");
	});

	it("lets a billing_reader list notes but not add them", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		await api(`/v1/billing/customers/${customer.id}/notes`, { key: admin, body: { body: "x" } });
		const reader = await newKey(admin, "billing_reader");
		expect((await api(`/v1/billing/customers/${customer.id}/notes`, { key: reader.secret })).body.data).toHaveLength(1);
		const res = await api(`/v1/billing/customers/${customer.id}/notes`, { key: reader.secret, body: { body: "y" } });
		expect(expectProblemDocument(res, 403, "forbidden").required_permission).toBe("customer_notes:write");
	});
});
