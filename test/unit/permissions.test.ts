import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	allPermissions,
	builtInRoles,
	effectivePermissions,
	isBuiltInRole,
	isPermission,
	type Permission,
} from "../../src/domain/permissions";

describe("allPermissions", () => {
	it("has a read and a write permission per resource, plus the finer grants, without duplicates", () => {
		expect(new Set(allPermissions).size).toBe(allPermissions.length);
		for (const resource of ["customers", "invoices", "keys", "roles", "audit", "metrics"]) {
			expect(allPermissions).toContain(`${resource}:read`);
			expect(allPermissions).toContain(`${resource}:write`);
		}
		expect(allPermissions).toEqual(
			expect.arrayContaining(["customers:delete", "customer_notes:write", "invoices:remind"]),
		);
		for (const p of allPermissions) expect(p).toMatch(/^[a-z_]+:(read|write|delete|remind)$/);
	});

	it("isPermission accepts exactly the listed permissions", () => {
		for (const p of allPermissions) expect(isPermission(p)).toBe(true);
		for (const p of ["customers", "customers:READ", "customers:admin", "", "toString", "customer_notes:read"]) {
			expect(isPermission(p)).toBe(false);
		}
	});
});

describe("built-in roles", () => {
	it("billing_admin holds every permission", () => {
		expect([...builtInRoles.billing_admin.permissions].sort()).toEqual([...allPermissions].sort());
	});

	it("billing_reader holds every read permission and nothing else", () => {
		const reads = allPermissions.filter((p) => p.endsWith(":read"));
		expect([...builtInRoles.billing_reader.permissions].sort()).toEqual([...reads].sort());
	});

	it("collections_agent works receivables but cannot administer keys, roles or settings, or write customers", () => {
		const agent: readonly string[] = builtInRoles.collections_agent.permissions;
		expect(agent).toEqual(
			expect.arrayContaining([
				"customers:read",
				"invoices:read",
				"payments:write",
				"collections:write",
				"customer_notes:write",
				"invoices:remind",
				"audit:read",
			]),
		);
		for (const p of ["keys:read", "keys:write", "roles:read", "settings:read", "customers:write", "customers:delete"]) {
			expect(agent).not.toContain(p);
		}
		for (const p of agent) expect(isPermission(p)).toBe(true);
	});

	it("isBuiltInRole knows the three roles and nothing inherited", () => {
		expect(["billing_admin", "billing_reader", "collections_agent"].every(isBuiltInRole)).toBe(true);
		for (const name of ["admin", "Billing_Admin", "constructor", "__proto__", "hasOwnProperty", ""]) {
			expect(isBuiltInRole(name)).toBe(false);
		}
	});
});

describe("effectivePermissions", () => {
	it("is the role's permissions when the key has no scopes", () => {
		expect(effectivePermissions(["customers:read", "audit:read"], null)).toEqual(
			new Set(["customers:read", "audit:read"]),
		);
	});

	it("narrows to the scopes", () => {
		expect(effectivePermissions(builtInRoles.billing_admin.permissions, ["customers:read"])).toEqual(
			new Set(["customers:read"]),
		);
	});

	it("never widens: scopes outside the role grant nothing", () => {
		expect(effectivePermissions(["customers:read"], ["customers:read", "customers:write"])).toEqual(
			new Set(["customers:read"]),
		);
		expect(effectivePermissions(["customers:read"], ["keys:write"])).toEqual(new Set());
	});

	it("grants nothing for empty scopes", () => {
		expect(effectivePermissions(allPermissions, [])).toEqual(new Set());
	});

	it("drops strings in a stored role that are not permissions", () => {
		expect(effectivePermissions(["customers:read", "root:everything"], null)).toEqual(new Set(["customers:read"]));
	});

	it("is always the intersection of the role and the scopes, restricted to known permissions", () => {
		const permission = fc.constantFrom(...allPermissions, "bogus:read", "customers:fly");
		fc.assert(
			fc.property(fc.array(permission), fc.option(fc.array(permission), { nil: null }), (role, scopes) => {
				const effective = effectivePermissions(role, scopes);
				for (const p of effective) {
					expect(isPermission(p)).toBe(true);
					expect(role).toContain(p);
					if (scopes) expect(scopes).toContain(p);
				}
				for (const p of role) {
					if (isPermission(p) && (scopes === null || scopes.includes(p))) {
						expect(effective.has(p as Permission)).toBe(true);
					}
				}
			}),
		);
	});
});
