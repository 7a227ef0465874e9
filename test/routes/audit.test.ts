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

type Entry = {
	id: string;
	object: string;
	actor_type: string;
	actor_id: string;
	action: string;
	target_type: string;
	target_id: string;
	before: any;
	after: any;
	request_id: string | null;
	created_at: string;
};

async function auditFor(key: string, query: string): Promise<Entry[]> {
	const res = await api(`/v1/billing/audit?limit=100&order=asc&${query}`, { key });
	expect(res.status, res.text).toBe(200);
	return res.body.data;
}

describe("audit trail of customer mutations", () => {
	it("records create, update, note, soft delete and hard delete with actor, target, snapshots and request id", async () => {
		const { key, keyId } = await newTenantWithKeyId();

		const created = await api("/v1/billing/customers", { key, body: { name: "Audited AG", segment: "smb" } });
		const id = created.body.id as string;
		const updated = await api(`/v1/billing/customers/${id}`, {
			key,
			method: "PATCH",
			body: { segment: "enterprise" },
			headers: { "If-Match": '"1"' },
		});
		const note = await api(`/v1/billing/customers/${id}/notes`, { key, body: { body: "Audited note" } });
		const softDeleted = await api(`/v1/billing/customers/${id}`, { key, method: "DELETE" });
		const hardDeleted = await api(`/v1/billing/customers/${id}?hard=true`, { key, method: "DELETE" });
		for (const res of [created, updated, note, softDeleted, hardDeleted]) expect(res.status).toBeLessThan(300);

		const entries = await auditFor(key, `target_id=${id}`);
		expect(entries.map((e) => e.action)).toEqual([
			"customer.created",
			"customer.updated",
			"customer.note_added",
			"customer.deleted",
			"customer.deleted",
		]);
		const responses = [created, updated, note, softDeleted, hardDeleted];
		entries.forEach((entry, i) => {
			expect(entry).toMatchObject({
				object: "audit_entry",
				actor_type: "api_key",
				actor_id: keyId,
				target_type: "customer",
				target_id: id,
				request_id: responses[i]?.headers.get("x-request-id"),
			});
			expect(entry.id).toMatch(/^aud_[0-9A-HJKMNP-TV-Z]{26}$/);
		});
		const [onCreate, onUpdate, onNote, onSoftDelete, onHardDelete] = entries;
		expect(onCreate?.before).toBe(null);
		expect(onCreate?.after).toEqual(created.body);
		expect(onUpdate?.before).toEqual(created.body);
		expect(onUpdate?.after).toEqual(updated.body);
		expect(onNote?.before).toBe(null);
		expect(onNote?.after).toEqual(note.body);
		expect(onSoftDelete?.before).toEqual(updated.body);
		expect(onSoftDelete?.after).toEqual(softDeleted.body);
		expect(onHardDelete?.before).toEqual(softDeleted.body);
		expect(onHardDelete?.after).toBe(null);
	});

	it("records the client's X-Request-Id and the key that acted", async () => {
		const { key: admin } = await newTenant();
		const clerk = await newKey(admin, "billing_admin");
		const customer = await newCustomer(admin);
		const res = await api(`/v1/billing/customers/${customer.id}`, {
			key: clerk.secret,
			method: "PATCH",
			body: { name: "Changed by clerk" },
			headers: { "X-Request-Id": "support-ticket-4711" },
		});
		expect(res.status).toBe(200);
		const [entry] = await auditFor(admin, `target_id=${customer.id}&action=customer.updated`);
		expect(entry).toMatchObject({ actor_id: clerk.id, request_id: "support-ticket-4711" });
	});

	it("writes nothing for refused mutations", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const reader = await newKey(admin, "billing_reader");
		const path = `/v1/billing/customers/${customer.id}`;
		const refused = [
			await api(path, { key: admin, method: "PATCH", body: { name: "" } }),
			await api(path, { key: admin, method: "PATCH", body: { name: "Stale" }, headers: { "If-Match": '"5"' } }),
			await api(path, { key: admin, method: "PATCH", body: { name: "Stale", version: 5 } }),
			await api(path, { key: reader.secret, method: "PATCH", body: { name: "Reader" } }),
			await api(`${path}/notes`, { key: reader.secret, body: { body: "Reader note" } }),
			await api("/v1/billing/customers", { key: admin, body: { name: "" } }),
		];
		for (const res of refused) expect(res.status).toBeGreaterThanOrEqual(400);
		const entries = await auditFor(admin, "");
		expect(entries.map((e) => e.action).filter((a) => a.startsWith("customer."))).toEqual(["customer.created"]);
	});

	it("records onboarding, key and role changes too", async () => {
		const { key, keyId, tenantId } = await newTenantWithKeyId();
		const role = await newRole(key, "auditor", ["audit:read"]);
		const auditor = await newKey(key, "auditor");
		await api(`/v1/billing/keys/${auditor.id}`, { method: "DELETE", key });
		const entries = await auditFor(key, "");
		expect(entries.map((e) => [e.action, e.target_id])).toEqual([
			["tenant.created", tenantId],
			["role.created", role.id],
			["api_key.created", auditor.id],
			["api_key.revoked", auditor.id],
		]);
		expect(entries[0]).toMatchObject({ actor_type: "admin", actor_id: "operator", target_type: "tenant" });
		for (const entry of entries.slice(1)) expect(entry).toMatchObject({ actor_type: "api_key", actor_id: keyId });
	});

	it("is append-only at the database level", async () => {
		const { key } = await newTenant();
		await newCustomer(key);
		const [entry] = await auditFor(key, "action=customer.created");
		await expect(
			env.DB.prepare("update audit_log set action = 'tampered' where id = ?").bind(entry?.id).run(),
		).rejects.toThrow(/append-only/);
		await expect(env.DB.prepare("delete from audit_log where id = ?").bind(entry?.id).run()).rejects.toThrow(
			/append-only/,
		);
	});
});

describe("audit filters", () => {
	it("filters by actor_id, action and target_id, alone and combined", async () => {
		const { key: admin, keyId: adminId } = await newTenantWithKeyId();
		const other = await newKey(admin, "billing_admin");
		const a = await newCustomer(admin, { name: "A" });
		const b = await newCustomer(other.secret, { name: "B" });
		await api(`/v1/billing/customers/${a.id}`, { key: other.secret, method: "PATCH", body: { name: "A2" } });
		await api(`/v1/billing/customers/${b.id}`, { key: admin, method: "PATCH", body: { name: "B2" } });

		const pairs = (entries: Entry[]) => entries.map((e) => `${e.action}:${e.target_id}`);
		expect(pairs(await auditFor(admin, `actor_id=${other.id}`))).toEqual([
			`customer.created:${b.id}`,
			`customer.updated:${a.id}`,
		]);
		expect(pairs(await auditFor(admin, "action=customer.updated"))).toEqual([
			`customer.updated:${a.id}`,
			`customer.updated:${b.id}`,
		]);
		expect(pairs(await auditFor(admin, `target_id=${a.id}`))).toEqual([
			`customer.created:${a.id}`,
			`customer.updated:${a.id}`,
		]);
		expect(pairs(await auditFor(admin, `actor_id=${adminId}&action=customer.updated`))).toEqual([
			`customer.updated:${b.id}`,
		]);
		expect(await auditFor(admin, `actor_id=${adminId}&target_id=${a.id}&action=customer.updated`)).toEqual([]);
		expect(await auditFor(admin, "action=customer.exploded")).toEqual([]);
	});

	it("filters by from (inclusive) and to (exclusive) timestamps, with offsets and bare dates", async () => {
		const { key } = await newTenant();
		for (let i = 0; i < 4; i++) await newCustomer(key, { name: `T${i}` });
		const all = await auditFor(key, "");
		const pivot = all[2] as Entry;
		const at = pivot.created_at;
		const ids = (entries: Entry[]) => entries.map((e) => e.id);

		// The oracle is the entries' own timestamps, so the assertion never depends on the wall clock.
		const fromAt = await auditFor(key, `from=${encodeURIComponent(at)}`);
		expect(ids(fromAt)).toEqual(ids(all.filter((e) => e.created_at >= at)));
		expect(ids(fromAt)).toContain(pivot.id);

		const toAt = await auditFor(key, `to=${encodeURIComponent(at)}`);
		expect(ids(toAt)).toEqual(ids(all.filter((e) => e.created_at < at)));
		expect(ids(toAt)).not.toContain(pivot.id);

		const both = await auditFor(key, `from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`);
		expect(both).toEqual([]);

		// The same instant written with an offset selects the same entries.
		const instant = new Date(at);
		const shifted = new Date(instant.getTime() + 2 * 3600_000).toISOString().replace("Z", "+02:00");
		expect(ids(await auditFor(key, `from=${encodeURIComponent(shifted)}`))).toEqual(ids(fromAt));

		// A bare date is the start of that UTC day for `from`, and includes the whole day for `to`.
		const day = at.slice(0, 10);
		const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
		expect(ids(await auditFor(key, `from=${day}&to=${day}`))).toEqual(
			ids(all.filter((e) => e.created_at.slice(0, 10) === day)),
		);
		expect(ids(await auditFor(key, `from=${day}&to=${day}`))).toContain(pivot.id);
		expect(ids(await auditFor(key, `to=${day}`))).toContain(pivot.id);
		expect(ids(await auditFor(key, `from=${nextDay}`))).toEqual(
			ids(all.filter((e) => e.created_at.slice(0, 10) >= nextDay)),
		);
		expect(await auditFor(key, "to=2000-01-01")).toEqual([]);
		expect(ids(await auditFor(key, "from=2000-01-01"))).toEqual(ids(all));
	});

	it.each([
		["from=yesterday", "from"],
		["to=2026-13-01", "to"],
		["from=2026-01-01T25:00:00Z", "from"],
		["actor_id=", "actor_id"],
	])("refuses %s with 422", async (query, field) => {
		const { key } = await newTenant();
		const res = await api(`/v1/billing/audit?${query}`, { key });
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual([`query:${field}`]);
	});

	it("pages the audit trail", async () => {
		const { key } = await newTenant();
		for (let i = 0; i < 3; i++) await newCustomer(key, { name: `P${i}` });
		const first = await api("/v1/billing/audit?limit=2", { key });
		expect(first.body).toMatchObject({ has_more: true, limit: 2 });
		const second = await api(`/v1/billing/audit?limit=2&cursor=${first.body.next_cursor}`, { key });
		expect(second.body.has_more).toBe(false);
		const ids = [...first.body.data, ...second.body.data].map((e: Entry) => e.id);
		expect(new Set(ids).size).toBe(4); // tenant.created + three customer.created
	});
});

describe("audit entry by id", () => {
	it("returns one entry, as the list does", async () => {
		const { key } = await newTenant();
		await newCustomer(key);
		const [entry] = await auditFor(key, "action=customer.created");
		const res = await api(`/v1/billing/audit/${entry?.id}`, { key });
		expect(res.status).toBe(200);
		expect(res.body).toEqual(entry);
	});

	it("answers 404 for another tenant's entry, and keeps it out of that tenant's list", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const customer = await newCustomer(a.key);
		const [entry] = await auditFor(a.key, "action=customer.created");
		expectProblemDocument(await api(`/v1/billing/audit/${entry?.id}`, { key: b.key }), 404, "not_found");
		expect(await auditFor(b.key, `target_id=${customer.id}`)).toEqual([]);
		expect((await auditFor(b.key, "")).map((e) => e.action)).toEqual(["tenant.created"]);
	});

	it("refuses a malformed id with 422 and an unknown one with 404", async () => {
		const { key } = await newTenant();
		const malformed = await api("/v1/billing/audit/cus_01J00000000000000000000000", { key });
		expect(fieldsOf(expectProblemDocument(malformed, 422, "validation_failed"))).toEqual(["path:id"]);
		expectProblemDocument(await api("/v1/billing/audit/aud_01J00000000000000000000000", { key }), 404, "not_found");
	});

	it("needs audit:read", async () => {
		const { key: admin } = await newTenant();
		await newRole(admin, "no_audit", ["customers:read"]);
		const limited = await newKey(admin, "no_audit");
		expect(
			expectProblemDocument(await api("/v1/billing/audit", { key: limited.secret }), 403, "forbidden"),
		).toMatchObject({ required_permission: "audit:read" });
		const [entry] = await auditFor(admin, "");
		expectProblemDocument(await api(`/v1/billing/audit/${entry?.id}`, { key: limited.secret }), 403, "forbidden");
	});
});
