// Role-based access: a closed set of permissions, three built-in roles, and custom roles defined as
// sets of permissions. An API key carries a role and, optionally, scopes that narrow it further.

const resources = [
	"customers",
	"invoices",
	"payments",
	"credit_notes",
	"subscriptions",
	"plans",
	"usage",
	"ledger",
	"reports",
	"webhooks",
	"events",
	"collections",
	"keys",
	"roles",
	"audit",
	"settings",
	"jobs",
	"metrics",
	"tax",
	"users",
] as const;

type Resource = (typeof resources)[number];
type ResourcePermission = `${Resource}:read` | `${Resource}:write`;

/** Finer grants for actions a role may have without full write access to the resource. */
const specialPermissions = ["customers:delete", "customer_notes:write", "invoices:remind"] as const;

export type Permission = ResourcePermission | (typeof specialPermissions)[number];

export const allPermissions: readonly Permission[] = [
	...resources.flatMap((r) => [`${r}:read`, `${r}:write`] as const),
	...specialPermissions,
];

const permissionSet: ReadonlySet<string> = new Set(allPermissions);

export const isPermission = (value: string): value is Permission => permissionSet.has(value);

const readPermissions = allPermissions.filter((p) => p.endsWith(":read"));

export const builtInRoles = {
	billing_admin: {
		description: "Full access to billing, accounting and tenant administration.",
		permissions: allPermissions,
	},
	billing_reader: {
		description: "Read-only access to every billing resource.",
		permissions: readPermissions,
	},
	collections_agent: {
		description: "Works receivables: reads accounts, records payments, sends reminders, manages collections.",
		permissions: [
			...readPermissions.filter((p) => !["keys:read", "roles:read", "settings:read", "users:read"].includes(p)),
			"payments:write",
			"collections:write",
			"customer_notes:write",
			"invoices:remind",
		] satisfies Permission[],
	},
} as const satisfies Record<string, { description: string; permissions: readonly Permission[] }>;

export type BuiltInRoleName = keyof typeof builtInRoles;

/**
 * The roles of people who sign in (seed 004) as permissions: SYSADMIN has full access; ACCOUNTANT works
 * customers, invoices, payments and the dashboard; SALES customers and invoices, reading payments;
 * CUSTOMER reads its own invoices and pays them (kept to its own customer by the routes).
 */
export const userRoles = {
	SYSADMIN: builtInRoles.billing_admin.permissions,
	ACCOUNTANT: [
		"customers:read",
		"customers:write",
		"customer_notes:write",
		"invoices:read",
		"invoices:write",
		"invoices:remind",
		"payments:read",
		"payments:write",
		"credit_notes:read",
		"reports:read",
	],
	SALES: ["customers:read", "customers:write", "invoices:read", "invoices:write", "payments:read"],
	CUSTOMER: ["customers:read", "invoices:read", "payments:read", "payments:write"],
} as const satisfies Record<string, readonly Permission[]>;

export type UserRole = keyof typeof userRoles;

export const userRoleNames = Object.keys(userRoles) as UserRole[];

export const isBuiltInRole = (name: string): name is BuiltInRoleName => Object.hasOwn(builtInRoles, name);

/** What a key may do: its role's permissions, narrowed to its scopes when it has any. */
export function effectivePermissions(
	rolePermissions: readonly string[],
	scopes: readonly string[] | null,
): ReadonlySet<Permission> {
	const granted = rolePermissions.filter(isPermission);
	if (!scopes) return new Set(granted);
	const allowed = new Set(scopes);
	return new Set(granted.filter((p) => allowed.has(p)));
}
