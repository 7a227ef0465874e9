import { adminToken, api, newTenant } from "./api";

export const PASSWORD = "s3cure-passphrase";

let addressCounter = 0;

/** A client address of its own per call, so that sign-in throttling per address never spans tests. */
export const freshAddress = () => {
	addressCounter += 1;
	return `198.51.100.${addressCounter % 250}:${addressCounter}`;
};

/** Signs in and returns the token (fails the test on anything but 200). */
export async function login(tenantId: string, email: string, password = PASSWORD) {
	const res = await api("/api/v1/auth/login", {
		body: { email, password },
		headers: { "x-tenant-id": tenantId, "cf-connecting-ip": freshAddress() },
	});
	if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
	return res.body.token as string;
}

/** An ACTIVE user made by the operator, signed in. */
export async function newUser(tenantId: string, role: string, extra: Record<string, unknown> = {}) {
	const email = `${role.toLowerCase()}-${crypto.randomUUID()}@example.com`;
	const res = await api(`/v1/admin/tenants/${tenantId}/users`, {
		key: adminToken(),
		body: { email, password: PASSWORD, fullName: `A ${role}`, role, ...extra },
	});
	if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${res.text}`);
	return { id: res.body.id as string, email, token: await login(tenantId, email) };
}

/** A fresh tenant with a signed-in SYSADMIN (and the tenant's billing_admin API key). */
export async function newUserTenant(currency = "EUR") {
	const tenant = await newTenant(currency);
	const admin = await newUser(tenant.tenantId, "SYSADMIN");
	return { ...tenant, admin };
}
