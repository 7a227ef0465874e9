// D1 is the system of record (ARCHITECTURE.md invariant 1). Every tenant-owned table carries
// `tenant_id` and leads its indexes with it, so every query stays tenant-scoped and tenants can later
// be sharded across databases. Timestamps are RFC 3339 UTC strings; money is integer minor units.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const tenants = sqliteTable("tenants", {
	id: text("id").primaryKey(),
	name: text("name").notNull(),
	defaultCurrency: text("default_currency").notNull(),
	createdAt: text("created_at").notNull(),
});

export const roles = sqliteTable(
	"roles",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id")
			.notNull()
			.references(() => tenants.id),
		name: text("name").notNull(),
		description: text("description"),
		permissions: json<string[]>("permissions").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [uniqueIndex("roles_tenant_name").on(t.tenantId, t.name)],
);

export const apiKeys = sqliteTable(
	"api_keys",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id")
			.notNull()
			.references(() => tenants.id),
		name: text("name").notNull(),
		// SHA-256 of the secret, hex. The secret itself is never stored.
		secretHash: text("secret_hash").notNull(),
		// First characters of the secret, so a user can tell keys apart.
		prefix: text("prefix").notNull(),
		role: text("role").notNull(),
		scopes: json<string[] | null>("scopes"),
		createdBy: text("created_by"),
		createdAt: text("created_at").notNull(),
		expiresAt: text("expires_at"),
		revokedAt: text("revoked_at"),
	},
	(t) => [uniqueIndex("api_keys_secret_hash").on(t.secretHash), index("api_keys_tenant").on(t.tenantId, t.id)],
);

export const idempotencyKeys = sqliteTable(
	"idempotency_keys",
	{
		tenantId: text("tenant_id").notNull(),
		key: text("key").notNull(),
		// SHA-256 over method, path and body: the same key with another request is refused.
		requestHash: text("request_hash").notNull(),
		state: text("state", { enum: ["in_progress", "completed"] }).notNull(),
		responseStatus: integer("response_status"),
		responseBody: text("response_body"),
		responseHeaders: json<Record<string, string>>("response_headers"),
		createdAt: text("created_at").notNull(),
		// A request that died while holding the key releases it at this time.
		lockedUntil: text("locked_until").notNull(),
		expiresAt: text("expires_at").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.tenantId, t.key] }),
		index("idempotency_keys_expires").on(t.expiresAt),
		check("idempotency_keys_state", sql`${t.state} in ('in_progress','completed')`),
	],
);

export const auditLog = sqliteTable(
	"audit_log",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		actorType: text("actor_type", { enum: ["api_key", "admin", "system"] }).notNull(),
		actorId: text("actor_id").notNull(),
		action: text("action").notNull(),
		targetType: text("target_type").notNull(),
		targetId: text("target_id").notNull(),
		before: json<unknown>("before"),
		after: json<unknown>("after"),
		requestId: text("request_id"),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		index("audit_log_tenant_id").on(t.tenantId, t.id),
		index("audit_log_tenant_target").on(t.tenantId, t.targetId, t.id),
		index("audit_log_tenant_actor").on(t.tenantId, t.actorId, t.id),
	],
);

// Transactional outbox (ARCHITECTURE.md invariant 5): written in the same batch as the change it
// describes, dispatched to the webhooks queue after commit, re-dispatched by the cron sweep.
export const outboxEvents = sqliteTable(
	"outbox_events",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		type: text("type").notNull(),
		resourceType: text("resource_type").notNull(),
		resourceId: text("resource_id").notNull(),
		data: json<unknown>("data").notNull(),
		requestId: text("request_id"),
		createdAt: text("created_at").notNull(),
		dispatchedAt: text("dispatched_at"),
	},
	(t) => [
		index("outbox_events_tenant_id").on(t.tenantId, t.id),
		index("outbox_events_undispatched").on(t.dispatchedAt, t.id),
	],
);

export type BillingAddress = {
	line1?: string;
	line2?: string;
	city?: string;
	state?: string;
	postal_code?: string;
	country: string;
};

export const customers = sqliteTable(
	"customers",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id")
			.notNull()
			.references(() => tenants.id),
		name: text("name").notNull(),
		email: text("email"),
		billingAddress: json<BillingAddress | null>("billing_address"),
		taxId: text("tax_id"),
		currency: text("currency").notNull(),
		paymentTerms: text("payment_terms").notNull(),
		accountCode: text("account_code"),
		segment: text("segment"),
		status: text("status", { enum: ["active", "deleted"] }).notNull(),
		metadata: json<Record<string, string>>("metadata").notNull(),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
		deletedAt: text("deleted_at"),
	},
	(t) => [
		index("customers_tenant_id").on(t.tenantId, t.id),
		index("customers_tenant_email").on(t.tenantId, t.email),
		index("customers_tenant_status").on(t.tenantId, t.status, t.id),
		check("customers_status", sql`${t.status} in ('active','deleted')`),
		check("customers_version", sql`${t.version} >= 1`),
	],
);

export const customerNotes = sqliteTable(
	"customer_notes",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id, { onDelete: "cascade" }),
		body: text("body").notNull(),
		authorId: text("author_id").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [index("customer_notes_customer").on(t.tenantId, t.customerId, t.id)],
);
