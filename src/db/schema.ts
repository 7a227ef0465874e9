// D1 is the system of record (ARCHITECTURE.md invariant 1). Every tenant-owned table carries
// `tenant_id` and leads its indexes with it, so every query stays tenant-scoped and tenants can later
// be sharded across databases. Timestamps are RFC 3339 UTC strings; money is integer minor units.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { TAX_CATEGORIES, type TaxCategory } from "../domain/tax/categories";

const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

/** A plan's price for one billable metric, as stored (the API shape, validated on the way in). */
export type PlanCharge = {
	metric: string;
	model: "per_unit" | "package" | "graduated" | "volume";
	unit_amount?: string;
	free_units?: string;
	package_size?: number;
	package_amount?: number;
	tiers?: { up_to: string | null; unit_amount: string; flat_amount: number }[];
};

/** What the tenant's documents print about it: its legal identity and where to pay. */
export type LegalProfile = {
	legal_name: string;
	address_lines: string[];
	tax_id: string | null;
	registration: string | null;
	iban: string | null;
	bic: string | null;
	/** BCP 47 tag that amounts and dates are formatted in, e.g. "de-DE"; else the tenant's `locale`. */
	locale?: string;
	/** The sender address of the tenant's emails. */
	email_from: string | null;
	/** E-invoicing (EN 16931 BT-34): where the tenant receives e-invoices, with its CEF EAS scheme. */
	electronic_address?: ElectronicAddress | null;
	/** The company register number (BT-30), e.g. "HRB 123456". */
	company_id?: string | null;
	/** Who answers questions about an invoice (BG-6). */
	contact?: { name: string | null; phone: string | null; email: string | null } | null;
	/** The structured postal address (BG-5) e-invoices carry; `address_lines` stay what documents print. */
	postal_address?: BillingAddress | null;
};

/** An electronic address and its scheme from the CEF EAS code list (e.g. `0088` GLN, `9930` DE VAT). */
export type ElectronicAddress = { value: string; scheme: string };

/** The e-invoice syntaxes an issued invoice or credit note is rendered in. */
export const EINVOICE_FORMATS = ["ubl", "xrechnung", "cii", "facturx", "zugferd"] as const;
export type EInvoiceFileFormat = (typeof EINVOICE_FORMATS)[number];

/** The tenant's Peppol access point: an HTTP API with a bearer token, stored sealed. */
export type AccessPointSetting = { endpoint: string; token_ciphertext: string };

/** The logo documents print, stored in R2. */
export type TenantLogo = { key: string; content_type: "image/png" | "image/jpeg"; size: number };

/** How the tenant's emails leave: the deployment's send_email binding, or an HTTP email API with its token. */
export type EmailTransportSetting =
	| { provider: "send_email" }
	| { provider: "http"; endpoint: string; token_ciphertext: string };

/** Where the tenant's text messages leave: a Twilio-style Messages API with its account, token and sender. */
export type SmsTransportSetting = { endpoint: string; account_sid: string; from: string; token_ciphertext: string };

export const tenants = sqliteTable("tenants", {
	id: text("id").primaryKey(),
	name: text("name").notNull(),
	defaultCurrency: text("default_currency").notNull(),
	invoiceNumberFormat: text("invoice_number_format").notNull().default("INV-{YYYY}-{NNNN}"),
	// IANA zone whose calendar date is the tenant's business "today" (subscription starts, billing runs).
	timeZone: text("time_zone").notNull().default("UTC"),
	// Books are closed through this day: nothing may post on or before it.
	booksClosedThrough: text("books_closed_through"),
	// Where journals are pushed by the ledger sync, signed with this secret; and how far they got.
	erpWebhookUrl: text("erp_webhook_url"),
	erpWebhookSecret: text("erp_webhook_secret"),
	ledgerSyncedThrough: text("ledger_synced_through"),
	// Moved up by triggers whenever what an account operation reads of the tenant changes (number format,
	// currency, closed books, chart of accounts): an account object's commit checks it still holds.
	settingsVersion: integer("settings_version").notNull().default(1),
	// The tenant as a seller for the tax engine (src/domain/tax): where it is established and registered,
	// and how its taxes round. Changing any of them moves settings_version (a trigger).
	taxRounding: text("tax_rounding", { enum: ["per_line", "per_invoice"] })
		.notNull()
		.default("per_invoice"),
	taxPricesIncludeTax: integer("tax_prices_include_tax", { mode: "boolean" }).notNull().default(false),
	taxOriginCountry: text("tax_origin_country"),
	taxOriginRegion: text("tax_origin_region"),
	taxRegistrations: json<{ country: string; region: string | null }[]>("tax_registrations")
		.notNull()
		.default(sql`'[]'`),
	taxOssRegistered: integer("tax_oss_registered", { mode: "boolean" }).notNull().default(false),
	taxEuDistanceSalesAboveThreshold: integer("tax_eu_distance_sales_above_threshold", { mode: "boolean" })
		.notNull()
		.default(false),
	legalProfile: json<LegalProfile | null>("legal_profile"),
	logo: json<TenantLogo | null>("logo"),
	emailTransport: json<EmailTransportSetting | null>("email_transport"),
	// The payment terms a new customer gets when it names none (and so its invoices' due dates).
	defaultPaymentTerms: text("default_payment_terms").notNull().default("net30"),
	// When revenue is recognized: over the service period, at invoicing, or when paid.
	revenueRecognitionPolicy: text("revenue_recognition_policy", { enum: ["ratable", "on_invoice", "on_payment"] })
		.notNull()
		.default("on_invoice"),
	// The documents' locale where the legal profile names none.
	locale: text("locale").notNull().default("en-GB"),
	einvoiceAccessPoint: json<AccessPointSetting | null>("einvoice_access_point"),
	smsTransport: json<SmsTransportSetting | null>("sms_transport"),
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
		// Or, for an answer that is the change its batch recorded, that audit row: its `after` is the body.
		auditId: text("audit_id"),
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
		actorType: text("actor_type", { enum: ["api_key", "user", "admin", "system"] }).notNull(),
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
		/**
		 * The event's `{ object, previous }`; null when `auditId` names the audit row of the same change,
		 * whose after and before they are (`eventColumns` reads them there), so they are stored once.
		 */
		data: json<unknown>("data"),
		auditId: text("audit_id"),
		requestId: text("request_id"),
		createdAt: text("created_at").notNull(),
		dispatchedAt: text("dispatched_at"),
	},
	(t) => [
		index("outbox_events_tenant_id").on(t.tenantId, t.id),
		index("outbox_events_undispatched").on(t.dispatchedAt, t.id),
		// What a request's dispatch looks up: its own undispatched events, not the tenant's history.
		index("outbox_events_pending_request").on(t.tenantId, t.requestId).where(sql`${t.dispatchedAt} is null`),
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
		electronicAddress: json<ElectronicAddress | null>("electronic_address"),
		// BT-10: the reference the buyer asks its invoices to carry (the Leitweg-ID of a German authority).
		buyerReference: text("buyer_reference"),
		preferredEinvoiceFormat: text("preferred_einvoice_format", { enum: EINVOICE_FORMATS }),
		// The customer as a buyer for the tax engine: taxed as usual, exempt (with its reason), or reverse charged.
		taxStatus: text("tax_status", { enum: ["taxable", "exempt", "reverse_charge"] })
			.notNull()
			.default("taxable"),
		taxExemptionReason: text("tax_exemption_reason"),
		taxExemptionReasonCode: text("tax_exemption_reason_code"),
		currency: text("currency").notNull(),
		paymentTerms: text("payment_terms").notNull(),
		accountCode: text("account_code"),
		segment: text("segment"),
		testClockId: text("test_clock_id"),
		// The caller's own id for the customer (its CRM's): imports match on it.
		externalId: text("external_id"),
		// E.164, for dunning's text messages.
		phone: text("phone"),
		// The dunning rule its overdue invoices follow instead of the tenant's default.
		dunningRuleId: text("dunning_rule_id"),
		// Set by a dunning `hold_services` step: its services are withheld until released.
		servicesHeldAt: text("services_held_at"),
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
		uniqueIndex("customers_tenant_external_id").on(t.tenantId, t.externalId),
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

// Gapless per-tenant number series (invoices, credit notes): the counter moves in the same batch that
// assigns the number, so a failed batch leaves no gap and D1's serialized writes leave no duplicate.
export const numberSequences = sqliteTable(
	"number_sequences",
	{
		tenantId: text("tenant_id").notNull(),
		series: text("series").notNull(),
		// The year the series restarts in, or 0 for a series that never restarts.
		period: integer("period").notNull(),
		lastValue: integer("last_value").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.tenantId, t.series, t.period] }),
		check("number_sequences_positive", sql`${t.lastValue} >= 1`),
	],
);

export const invoices = sqliteTable(
	"invoices",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		number: text("number"),
		status: text("status", {
			enum: ["draft", "issued", "partially_paid", "paid", "voided", "written_off"],
		}).notNull(),
		currency: text("currency").notNull(),
		paymentTerms: text("payment_terms").notNull(),
		issueDate: text("issue_date"),
		dueDate: text("due_date"),
		subtotal: integer("subtotal").notNull(),
		discountTotal: integer("discount_total").notNull(),
		taxTotal: integer("tax_total").notNull(),
		total: integer("total").notNull(),
		amountPaid: integer("amount_paid").notNull().default(0),
		amountCredited: integer("amount_credited").notNull().default(0),
		amountWrittenOff: integer("amount_written_off").notNull().default(0),
		balance: integer("balance").notNull(),
		memo: text("memo"),
		terms: text("terms"),
		// The buyer's purchase order (BT-13) and the contract (BT-12) it invoices.
		orderReference: text("order_reference"),
		contractReference: text("contract_reference"),
		metadata: json<Record<string, string>>("metadata").notNull(),
		// Where the invoice came from when not from the API directly, e.g. `import:<job id>:<line>`.
		sourceRef: text("source_ref"),
		// The subscription that generated it: a period, a proration, a final usage or an invoice-now invoice.
		subscriptionId: text("subscription_id"),
		postedToGl: integer("posted_to_gl", { mode: "boolean" }).notNull().default(false),
		// Base units per unit of the invoice currency when it was issued: its receivable is carried at it.
		fxRate: text("fx_rate"),
		journalEntryId: text("journal_entry_id"),
		writeOffReason: text("write_off_reason"),
		voidReason: text("void_reason"),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
		finalizedAt: text("finalized_at"),
		paidAt: text("paid_at"),
		voidedAt: text("voided_at"),
		writtenOffAt: text("written_off_at"),
	},
	(t) => [
		index("invoices_tenant_id").on(t.tenantId, t.id),
		index("invoices_tenant_customer").on(t.tenantId, t.customerId, t.id),
		index("invoices_tenant_status_due").on(t.tenantId, t.status, t.dueDate),
		index("invoices_tenant_subscription").on(t.tenantId, t.subscriptionId).where(sql`${t.subscriptionId} is not null`),
		// The from/to filters of the invoice list; SQLite uses it only for this very expression (listInvoices).
		index("invoices_tenant_document_date").on(t.tenantId, sql`coalesce(${t.issueDate}, substr(${t.createdAt}, 1, 10))`),
		// What a payment applies to: the customer's open invoices, oldest due first, with what each owes (an
		// account object checks the ones a payment reaches from the index alone). Small (open ones only), and
		// SQLite picks it over a tenant-wide status range only when queried with these very literals.
		index("invoices_open_by_customer")
			.on(
				t.tenantId,
				t.customerId,
				t.currency,
				sql`coalesce(${t.dueDate}, '9999-12-31')`,
				t.id,
				t.balance,
				t.status,
				t.dueDate,
			)
			.where(sql`${t.status} in ('issued', 'partially_paid') and ${t.balance} > 0`),
		uniqueIndex("invoices_tenant_number").on(t.tenantId, t.number),
		uniqueIndex("invoices_tenant_source_ref").on(t.tenantId, t.sourceRef),
		check("invoices_status", sql`${t.status} in ('draft','issued','partially_paid','paid','voided','written_off')`),
		check(
			"invoices_amounts_non_negative",
			sql`${t.subtotal} >= 0 and ${t.discountTotal} >= 0 and ${t.taxTotal} >= 0 and ${t.total} >= 0 and ${t.amountPaid} >= 0 and ${t.amountCredited} >= 0 and ${t.amountWrittenOff} >= 0`,
		),
		check("invoices_total_chain", sql`${t.total} = ${t.subtotal} - ${t.discountTotal} + ${t.taxTotal}`),
		check(
			"invoices_balance",
			sql`${t.balance} >= 0 and ${t.balance} = case when ${t.status} = 'voided' then 0 else ${t.total} - ${t.amountPaid} - ${t.amountCredited} - ${t.amountWrittenOff} end`,
		),
		check("invoices_number_when_issued", sql`(${t.status} = 'draft') = (${t.number} is null)`),
		check("invoices_version", sql`${t.version} >= 1`),
	],
);

export type InvoiceLineDiscount = { type: "percent"; percent: string } | { type: "amount"; amount: number };
/** One tax of a line; `category` (EN 16931 BT-151) is absent on lines stored before lines carried it. */
export type InvoiceLineTax = { jurisdiction: string; rate: string; amount: number; category?: TaxCategory };

export const invoiceLines = sqliteTable(
	"invoice_lines",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		invoiceId: text("invoice_id")
			.notNull()
			.references(() => invoices.id, { onDelete: "cascade" }),
		position: integer("position").notNull(),
		description: text("description").notNull(),
		sku: text("sku"),
		// Exact decimal text; fractional quantities are allowed.
		quantity: text("quantity").notNull(),
		// UN/ECE Recommendation 20 unit of the quantity (BT-130); C62 is "one".
		unitCode: text("unit_code").notNull().default("C62"),
		unitPrice: integer("unit_price").notNull(),
		amount: integer("amount").notNull(),
		discounts: json<InvoiceLineDiscount[]>("discounts").notNull(),
		discountAmount: integer("discount_amount").notNull(),
		netAmount: integer("net_amount").notNull(),
		taxes: json<InvoiceLineTax[]>("taxes").notNull(),
		taxAmount: integer("tax_amount").notNull(),
		total: integer("total").notNull(),
		// The code the tax engine taxed the line by; null when its taxes were given explicitly.
		taxCode: text("tax_code"),
		// EN 16931 VAT category (BT-151) and exemption reason (BT-120/121): fixed when the line is priced,
		// so an issued invoice never changes with the rate table. Null category: the line states no tax.
		taxCategory: text("tax_category", { enum: TAX_CATEGORIES }),
		taxExemptionReason: text("tax_exemption_reason"),
		taxExemptionReasonCode: text("tax_exemption_reason_code"),
		// The line's unit price (and fixed discounts) as stated included its taxes; its amounts are net.
		pricesIncludeTax: integer("prices_include_tax", { mode: "boolean" }).notNull().default(false),
	},
	(t) => [
		uniqueIndex("invoice_lines_position").on(t.invoiceId, t.position),
		check(
			"invoice_lines_chain",
			sql`${t.netAmount} = ${t.amount} - ${t.discountAmount} and ${t.total} = ${t.netAmount} + ${t.taxAmount}`,
		),
		check(
			"invoice_lines_non_negative",
			sql`${t.unitPrice} >= 0 and ${t.amount} >= 0 and ${t.discountAmount} >= 0 and ${t.netAmount} >= 0 and ${t.taxAmount} >= 0`,
		),
	],
);

/**
 * When a queued send (an email delivery, an e-invoice submission) is next due, and when its attempt in flight
 * began (null between attempts). The maintenance sweep sends again what is overdue: a queue message that was
 * lost, or an attempt that died. Both are null once the send is finished.
 */
const attemptSchedule = {
	nextAttemptAt: text("next_attempt_at"),
	attemptStartedAt: text("attempt_started_at"),
};

// Each attempt to deliver a document (an invoice, its reminder, a credit note, a statement) on a channel.
export const documentDeliveries = sqliteTable(
	"document_deliveries",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		// The invoice, credit note or statement delivered (which one the kind says).
		documentId: text("document_id").notNull(),
		kind: text("kind", { enum: ["invoice", "reminder", "credit_note", "statement"] }).notNull(),
		channel: text("channel", { enum: ["email", "erp", "sftp"] }).notNull(),
		// queued: waiting for (another) attempt on the jobs queue; failed: out of attempts.
		status: text("status", { enum: ["queued", "sent", "undeliverable", "failed"] }).notNull(),
		recipient: text("recipient"),
		reason: text("reason"),
		providerMessageId: text("provider_message_id"),
		attempts: integer("attempts").notNull().default(0),
		...attemptSchedule,
		templateId: text("template_id"),
		// The send's Idempotency-Key: one delivery per (document, kind, channel, key).
		requestKey: text("request_key"),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at"),
	},
	(t) => [
		index("document_deliveries_document").on(t.tenantId, t.documentId, t.id),
		uniqueIndex("document_deliveries_request_key").on(t.tenantId, t.documentId, t.kind, t.channel, t.requestKey),
		index("document_deliveries_queued").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
	],
);

// Issued documents' files in R2 (immutable: one per source, never rewritten).
export const documents = sqliteTable(
	"documents",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		kind: text("kind", { enum: ["invoice", "credit_note", "statement"] }).notNull(),
		sourceId: text("source_id").notNull(),
		// The PDF, or one of the e-invoice files of the same source.
		format: text("format", { enum: ["pdf", ...EINVOICE_FORMATS] })
			.notNull()
			.default("pdf"),
		r2Key: text("r2_key").notNull(),
		contentType: text("content_type").notNull(),
		size: integer("size").notNull(),
		sha256: text("sha256").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [uniqueIndex("documents_source_format").on(t.tenantId, t.kind, t.sourceId, t.format)],
);

// Submissions of an issued invoice's or credit note's e-invoice to the tenant's Peppol access point: one per
// (source, format), attempted on the jobs queue until the access point takes it or refuses it for good.
export const einvoiceSubmissions = sqliteTable(
	"einvoice_submissions",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		sourceKind: text("source_kind", { enum: ["invoice", "credit_note"] }).notNull(),
		sourceId: text("source_id").notNull(),
		format: text("format", { enum: EINVOICE_FORMATS }).notNull(),
		status: text("status", { enum: ["queued", "sent", "failed"] }).notNull(),
		providerId: text("provider_id"),
		errors: json<string[]>("errors").notNull(),
		attempts: integer("attempts").notNull().default(0),
		...attemptSchedule,
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		uniqueIndex("einvoice_submissions_source_format").on(t.tenantId, t.sourceKind, t.sourceId, t.format),
		index("einvoice_submissions_queued").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
		check("einvoice_submissions_status", sql`${t.status} in ('queued','sent','failed')`),
	],
);

export type StatementEntryRow = {
	date: string;
	type: "invoice" | "payment" | "credit_note" | "refund" | "write_off" | "void";
	source_id: string;
	reference: string;
	debit: number;
	credit: number;
	balance: number;
};

// Statements of account: what a customer owed at the start of a period, every movement in it, and after.
export const statements = sqliteTable(
	"statements",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		currency: text("currency").notNull(),
		periodFrom: text("period_from").notNull(),
		periodTo: text("period_to").notNull(),
		openingBalance: integer("opening_balance").notNull(),
		closingBalance: integer("closing_balance").notNull(),
		entries: json<StatementEntryRow[]>("entries").notNull(),
		aging: json<Record<string, number>>("aging").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [index("statements_customer").on(t.tenantId, t.customerId, t.id)],
);

// Email subjects and bodies (and the PDF footer) per tenant, kind and locale, with {{placeholders}}.
export const documentTemplates = sqliteTable(
	"document_templates",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		kind: text("kind", { enum: ["invoice", "reminder", "credit_note", "statement"] }).notNull(),
		locale: text("locale").notNull(),
		subject: text("subject").notNull(),
		body: text("body").notNull(),
		pdfFooter: text("pdf_footer"),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [index("document_templates_kind").on(t.tenantId, t.kind, t.locale, t.id)],
);

// Asynchronous work (bulk imports, runs, exports): status and progress that clients poll.
export const jobs = sqliteTable(
	"jobs",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		type: text("type").notNull(),
		status: text("status", { enum: ["queued", "running", "succeeded", "failed", "canceled"] }).notNull(),
		input: json<unknown>("input").notNull(),
		total: integer("total"),
		processed: integer("processed").notNull().default(0),
		succeeded: integer("succeeded").notNull().default(0),
		failed: integer("failed").notNull().default(0),
		errors: json<unknown[]>("errors").notNull(),
		result: json<unknown>("result"),
		resultKey: text("result_key"),
		createdBy: text("created_by"),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
		finishedAt: text("finished_at"),
	},
	(t) => [
		index("jobs_tenant_id").on(t.tenantId, t.id),
		check("jobs_status", sql`${t.status} in ('queued','running','succeeded','failed','canceled')`),
	],
);

// The general ledger (ARCHITECTURE.md invariant 4). Lines are written first and the entry after them,
// carrying its totals summed from its own lines by the database: an unbalanced entry fails its CHECK
// and takes the whole batch with it.
export const journalEntries = sqliteTable(
	"journal_entries",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		entryDate: text("entry_date").notNull(),
		sourceType: text("source_type").notNull(),
		sourceId: text("source_id").notNull(),
		customerId: text("customer_id"),
		currency: text("currency").notNull(),
		description: text("description").notNull(),
		totalDebit: integer("total_debit").notNull(),
		totalCredit: integer("total_credit").notNull(),
		// The tenant's base currency, the rate used (base units per unit of `currency`), and the totals in base.
		baseCurrency: text("base_currency").notNull(),
		fxRate: text("fx_rate").notNull(),
		baseTotalDebit: integer("base_total_debit").notNull(),
		baseTotalCredit: integer("base_total_credit").notNull(),
		createdAt: text("created_at").notNull(),
		requestId: text("request_id"),
	},
	(t) => [
		index("journal_entries_tenant_id").on(t.tenantId, t.id),
		index("journal_entries_tenant_source").on(t.tenantId, t.sourceType, t.sourceId),
		index("journal_entries_tenant_date").on(t.tenantId, t.entryDate),
		check(
			"journal_entries_balanced",
			sql`${t.totalDebit} = ${t.totalCredit} and ${t.baseTotalDebit} = ${t.baseTotalCredit}`,
		),
		check("journal_entries_not_empty", sql`${t.totalDebit} > 0 or ${t.baseTotalDebit} > 0`),
	],
);

export const journalLines = sqliteTable(
	"journal_lines",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		entryId: text("entry_id").notNull(),
		lineNo: integer("line_no").notNull(),
		accountCode: text("account_code").notNull(),
		debit: integer("debit").notNull(),
		credit: integer("credit").notNull(),
		currency: text("currency").notNull(),
		customerId: text("customer_id"),
		description: text("description"),
		// The line in the tenant's base currency. A realised FX difference is a line in base only.
		baseDebit: integer("base_debit").notNull(),
		baseCredit: integer("base_credit").notNull(),
	},
	(t) => [
		uniqueIndex("journal_lines_entry_line").on(t.entryId, t.lineNo),
		index("journal_lines_tenant_account").on(t.tenantId, t.accountCode, t.entryId),
		check(
			"journal_lines_one_side",
			sql`${t.debit} >= 0 and ${t.credit} >= 0 and ${t.baseDebit} >= 0 and ${t.baseCredit} >= 0 and ((${t.debit} = 0) <> (${t.credit} = 0) or (${t.debit} = 0 and ${t.credit} = 0 and (${t.baseDebit} = 0) <> (${t.baseCredit} = 0)))`,
		),
	],
);

// Payments and what they settle. The DB refuses over-allocation: a payment never allocates, refunds
// and loses to chargebacks more than it brought in, and an invoice's balance never goes below zero.
export const payments = sqliteTable(
	"payments",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		amount: integer("amount").notNull(),
		currency: text("currency").notNull(),
		paidAt: text("paid_at").notNull(),
		paymentMethod: text("payment_method", { enum: ["card", "bank_transfer", "cash", "check"] }).notNull(),
		reference: text("reference"),
		metadata: json<Record<string, string>>("metadata").notNull(),
		amountAllocated: integer("amount_allocated").notNull().default(0),
		amountRefunded: integer("amount_refunded").notNull().default(0),
		amountReversed: integer("amount_reversed").notNull().default(0),
		// The client's Idempotency-Key, when it sent one: a retry after a lost response records nothing new.
		requestKey: text("request_key"),
		// The caller's own id for the payment (its bank's or PSP's): imports match on it.
		externalId: text("external_id"),
		journalEntryId: text("journal_entry_id"),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		index("payments_tenant_id").on(t.tenantId, t.id),
		index("payments_tenant_customer").on(t.tenantId, t.customerId, t.id),
		index("payments_tenant_reference").on(t.tenantId, t.reference),
		uniqueIndex("payments_tenant_request_key").on(t.tenantId, t.requestKey),
		uniqueIndex("payments_tenant_external_id").on(t.tenantId, t.externalId),
		check("payments_amount_positive", sql`${t.amount} > 0`),
		check(
			"payments_not_overdrawn",
			sql`${t.amountAllocated} >= 0 and ${t.amountRefunded} >= 0 and ${t.amountReversed} >= 0 and ${t.amountAllocated} + ${t.amountRefunded} + ${t.amountReversed} <= ${t.amount}`,
		),
	],
);

export const paymentAllocations = sqliteTable(
	"payment_allocations",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		paymentId: text("payment_id")
			.notNull()
			.references(() => payments.id),
		invoiceId: text("invoice_id")
			.notNull()
			.references(() => invoices.id),
		amount: integer("amount").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		uniqueIndex("payment_allocations_pair").on(t.paymentId, t.invoiceId),
		index("payment_allocations_invoice").on(t.tenantId, t.invoiceId),
		check("payment_allocations_non_negative", sql`${t.amount} >= 0`),
	],
);

export const refunds = sqliteTable(
	"refunds",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		paymentId: text("payment_id")
			.notNull()
			.references(() => payments.id),
		customerId: text("customer_id").notNull(),
		invoiceId: text("invoice_id"),
		amount: integer("amount").notNull(),
		currency: text("currency").notNull(),
		// How much came out of unapplied credit, and how much reopened invoice balances.
		fromCredit: integer("from_credit").notNull(),
		fromInvoices: integer("from_invoices").notNull(),
		reason: text("reason"),
		method: text("method"),
		status: text("status", { enum: ["succeeded"] }).notNull(),
		requestKey: text("request_key"),
		journalEntryId: text("journal_entry_id"),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		index("refunds_tenant_id").on(t.tenantId, t.id),
		index("refunds_tenant_payment").on(t.tenantId, t.paymentId),
		uniqueIndex("refunds_tenant_request_key").on(t.tenantId, t.requestKey),
		check(
			"refunds_split",
			sql`${t.amount} > 0 and ${t.fromCredit} >= 0 and ${t.fromInvoices} >= 0 and ${t.fromCredit} + ${t.fromInvoices} = ${t.amount}`,
		),
	],
);

/**
 * A credit note's tax per jurisdiction; since notes carry their invoice lines' categories, per
 * (jurisdiction, category, rate) with its base and exemption reason.
 */
export type CreditNoteTaxLine = {
	jurisdiction: string;
	amount: number;
	category?: TaxCategory;
	rate?: string;
	taxable_amount?: number;
	exemption_reason?: string | null;
	exemption_reason_code?: string | null;
};

export type CreditNoteLine = {
	line_id: string;
	amount: number;
	net_amount: number;
	tax_amount: number;
	tax_category: TaxCategory | null;
	tax_exemption_reason: string | null;
	tax_exemption_reason_code: string | null;
};

export const creditNotes = sqliteTable(
	"credit_notes",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		invoiceId: text("invoice_id")
			.notNull()
			.references(() => invoices.id),
		number: text("number").notNull(),
		status: text("status", { enum: ["issued", "voided"] }).notNull(),
		currency: text("currency").notNull(),
		// Gross amount credited, and its split into net and tax per jurisdiction.
		amount: integer("amount").notNull(),
		netAmount: integer("net_amount").notNull(),
		taxLines: json<CreditNoteTaxLine[]>("tax_lines").notNull(),
		// The invoice lines credited, each with the tax category of the line it credits.
		lines: json<CreditNoteLine[]>("lines").notNull().default(sql`'[]'`),
		reason: text("reason").notNull(),
		amountApplied: integer("amount_applied").notNull().default(0),
		requestKey: text("request_key"),
		journalEntryId: text("journal_entry_id"),
		createdAt: text("created_at").notNull(),
		voidedAt: text("voided_at"),
	},
	(t) => [
		index("credit_notes_tenant_id").on(t.tenantId, t.id),
		index("credit_notes_tenant_invoice").on(t.tenantId, t.invoiceId),
		// A customer's credit (its profile and balance) reads its notes without scanning the tenant's.
		index("credit_notes_tenant_customer").on(t.tenantId, t.customerId, t.status),
		uniqueIndex("credit_notes_tenant_number").on(t.tenantId, t.number),
		uniqueIndex("credit_notes_tenant_request_key").on(t.tenantId, t.requestKey),
		check("credit_notes_amounts", sql`${t.amount} > 0 and ${t.netAmount} >= 0 and ${t.netAmount} <= ${t.amount}`),
		check("credit_notes_not_overapplied", sql`${t.amountApplied} >= 0 and ${t.amountApplied} <= ${t.amount}`),
	],
);

export const creditNoteApplications = sqliteTable(
	"credit_note_applications",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		creditNoteId: text("credit_note_id")
			.notNull()
			.references(() => creditNotes.id),
		invoiceId: text("invoice_id")
			.notNull()
			.references(() => invoices.id),
		amount: integer("amount").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		index("credit_note_applications_invoice").on(t.tenantId, t.invoiceId),
		index("credit_note_applications_note").on(t.tenantId, t.creditNoteId),
		check("credit_note_applications_positive", sql`${t.amount} > 0`),
	],
);

export const disputes = sqliteTable(
	"disputes",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		paymentId: text("payment_id")
			.notNull()
			.references(() => payments.id),
		customerId: text("customer_id").notNull(),
		amount: integer("amount").notNull(),
		currency: text("currency").notNull(),
		reason: text("reason").notNull(),
		status: text("status", { enum: ["open", "won", "lost"] }).notNull(),
		evidence: json<{ kind: string; description: string; added_at: string }[]>("evidence").notNull(),
		notes: json<{ body: string; author_id: string; added_at: string }[]>("notes").notNull(),
		evidenceDueBy: text("evidence_due_by"),
		journalEntryId: text("journal_entry_id"),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		resolvedAt: text("resolved_at"),
	},
	(t) => [
		index("disputes_tenant_id").on(t.tenantId, t.id),
		index("disputes_tenant_payment").on(t.tenantId, t.paymentId),
		check("disputes_amount_positive", sql`${t.amount} > 0`),
		check("disputes_status", sql`${t.status} in ('open','won','lost')`),
	],
);

// A bank or settlement statement matched against invoices and payments by a job.
export const reconciliations = sqliteTable(
	"reconciliations",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		jobId: text("job_id").notNull(),
		status: text("status", { enum: ["pending", "completed"] }).notNull(),
		confirm: integer("confirm", { mode: "boolean" }).notNull(),
		lines: json<unknown[]>("lines").notNull(),
		results: json<unknown[] | null>("results"),
		createdAt: text("created_at").notNull(),
		completedAt: text("completed_at"),
	},
	(t) => [index("reconciliations_tenant_id").on(t.tenantId, t.id)],
);

export const webhookEndpoints = sqliteTable(
	"webhook_endpoints",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		url: text("url").notNull(),
		description: text("description"),
		events: json<string[]>("events").notNull(),
		// The signing secret (whsec_…): kept because every delivery is signed with it.
		secret: text("secret").notNull(),
		status: text("status", { enum: ["enabled", "disabled"] }).notNull(),
		disabledReason: text("disabled_reason"),
		consecutiveFailures: integer("consecutive_failures").notNull().default(0),
		failingSince: text("failing_since"),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [index("webhook_endpoints_tenant").on(t.tenantId, t.status)],
);

// One delivery per (endpoint, event): fan-out and retries can repeat, the delivery stays one.
export const webhookDeliveries = sqliteTable(
	"webhook_deliveries",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		endpointId: text("endpoint_id").notNull(),
		eventId: text("event_id").notNull(),
		eventType: text("event_type").notNull(),
		status: text("status", { enum: ["pending", "succeeded", "failed", "dead_lettered"] }).notNull(),
		attempts: integer("attempts").notNull().default(0),
		lastStatusCode: integer("last_status_code"),
		lastError: text("last_error"),
		nextRetryAt: text("next_retry_at"),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
		succeededAt: text("succeeded_at"),
	},
	(t) => [
		uniqueIndex("webhook_deliveries_endpoint_event").on(t.endpointId, t.eventId),
		index("webhook_deliveries_tenant_endpoint").on(t.tenantId, t.endpointId, t.id),
	],
);

export const webhookAttempts = sqliteTable(
	"webhook_attempts",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		deliveryId: text("delivery_id").notNull(),
		attempt: integer("attempt").notNull(),
		statusCode: integer("status_code"),
		latencyMs: integer("latency_ms").notNull(),
		error: text("error"),
		createdAt: text("created_at").notNull(),
	},
	(t) => [index("webhook_attempts_delivery").on(t.tenantId, t.deliveryId, t.attempt)],
);

// The tenant's own accounts, beside the default chart, and where each posting role goes.
export const ledgerAccounts = sqliteTable(
	"ledger_accounts",
	{
		tenantId: text("tenant_id").notNull(),
		code: text("code").notNull(),
		name: text("name").notNull(),
		type: text("type", { enum: ["asset", "liability", "equity", "revenue", "expense"] }).notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

export const ledgerMappings = sqliteTable(
	"ledger_mappings",
	{
		tenantId: text("tenant_id").notNull(),
		// A posting role (`revenue`), a role for one tax jurisdiction (`tax_payable:DE`) or a SKU (`sku:SUB-1`).
		key: text("key").notNull(),
		accountCode: text("account_code").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

// Exchange rates supplied through the API (no network lookups): base units per one unit of `currency`,
// in force from `effective_date` until the next rate.
export const fxRates = sqliteTable(
	"fx_rates",
	{
		tenantId: text("tenant_id").notNull(),
		currency: text("currency").notNull(),
		effectiveDate: text("effective_date").notNull(),
		rate: text("rate").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.tenantId, t.currency, t.effectiveDate] })],
);

export const plans = sqliteTable(
	"plans",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		code: text("code").notNull(),
		name: text("name").notNull(),
		interval: text("interval", { enum: ["day", "week", "month", "year"] }).notNull(),
		intervalCount: integer("interval_count").notNull(),
		amount: integer("amount").notNull(),
		currency: text("currency").notNull(),
		trialPeriodDays: integer("trial_period_days").notNull(),
		billingDay: integer("billing_day"),
		// Usage charges: a price model per billable metric, rated on each period's usage, billed in arrears.
		charges: json<PlanCharge[]>("charges").notNull().default(sql`'[]'`),
		// What the tax engine taxes the plan's invoice lines by; null: the tenant's default (`standard`).
		taxCode: text("tax_code"),
		// Whether its prices (the amount and the usage charges) include tax; null: the tenant's setting.
		pricesIncludeTax: integer("prices_include_tax", { mode: "boolean" }),
		metadata: json<Record<string, string>>("metadata").notNull(),
		status: text("status", { enum: ["active", "archived"] }).notNull(),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		uniqueIndex("plans_tenant_code").on(t.tenantId, t.code),
		check(
			"plans_amount",
			sql`${t.amount} >= 0 and ${t.intervalCount} between 1 and 365 and ${t.trialPeriodDays} between 0 and 365`,
		),
	],
);

// References to a gateway's stored payment method; never a card number.
export const paymentMethods = sqliteTable(
	"payment_methods",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		gatewayToken: text("gateway_token").notNull(),
		brand: text("brand"),
		last4: text("last4"),
		expMonth: integer("exp_month"),
		expYear: integer("exp_year"),
		isDefault: integer("is_default", { mode: "boolean" }).notNull(),
		createdAt: text("created_at").notNull(),
		deletedAt: text("deleted_at"),
	},
	(t) => [index("payment_methods_customer").on(t.tenantId, t.customerId)],
);

export const subscriptions = sqliteTable(
	"subscriptions",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		planId: text("plan_id")
			.notNull()
			.references(() => plans.id),
		status: text("status", { enum: ["trialing", "active", "past_due", "unpaid", "paused", "canceled"] }).notNull(),
		quantity: integer("quantity").notNull(),
		// Periods are counted from this day (month-end anchors bill on the last day of shorter months).
		billingCycleAnchor: text("billing_cycle_anchor").notNull(),
		startDate: text("start_date").notNull(),
		trialEnd: text("trial_end"),
		currentPeriodStart: text("current_period_start"),
		currentPeriodEnd: text("current_period_end"),
		// The day the next period is due to be invoiced; null when nothing more will be billed.
		nextBillingDate: text("next_billing_date"),
		cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull(),
		canceledAt: text("canceled_at"),
		endedAt: text("ended_at"),
		pausedAt: text("paused_at"),
		paymentMethodId: text("payment_method_id"),
		promoCode: text("promo_code"),
		couponId: text("coupon_id"),
		// Invoices the coupon still discounts; null while it applies forever.
		couponPeriodsLeft: integer("coupon_periods_left"),
		metadata: json<Record<string, string>>("metadata").notNull(),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		index("subscriptions_tenant_id").on(t.tenantId, t.id),
		index("subscriptions_tenant_customer").on(t.tenantId, t.customerId),
		index("subscriptions_due").on(t.tenantId, t.status, t.nextBillingDate),
		index("subscriptions_all_due").on(t.nextBillingDate, t.status),
		check("subscriptions_quantity", sql`${t.quantity} >= 1`),
	],
);

// One invoice per (subscription, period): the primary key makes billing a period twice impossible,
// however often runs repeat, overlap or crash half-way.
export const subscriptionInvoices = sqliteTable(
	"subscription_invoices",
	{
		subscriptionId: text("subscription_id").notNull(),
		periodStart: text("period_start").notNull(),
		periodEnd: text("period_end").notNull(),
		tenantId: text("tenant_id").notNull(),
		invoiceId: text("invoice_id").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.subscriptionId, t.periodStart] }),
		index("subscription_invoices_invoice").on(t.tenantId, t.invoiceId),
	],
);

// The units a fanned-out job has finished (one row per account billed): counting rows, not adding
// to a counter, keeps progress exact when a queue message is delivered twice.
export const jobItems = sqliteTable(
	"job_items",
	{
		jobId: text("job_id").notNull(),
		itemKey: text("item_key").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.jobId, t.itemKey] })],
);

// Charges waiting for a subscription's next invoice (a proration after an upgrade, say).
export const subscriptionPendingItems = sqliteTable(
	"subscription_pending_items",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		subscriptionId: text("subscription_id").notNull(),
		description: text("description").notNull(),
		amount: integer("amount").notNull(),
		invoiceId: text("invoice_id"),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		index("subscription_pending_items_sub").on(t.tenantId, t.subscriptionId),
		check("subscription_pending_items_amount", sql`${t.amount} > 0`),
	],
);

// Coupons, redeemed by promotion code. The CHECK refuses a redemption beyond the limit, however many
// subscribers race for the last one.
export const coupons = sqliteTable(
	"coupons",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		code: text("code").notNull(),
		name: text("name").notNull(),
		percentOff: text("percent_off"),
		amountOff: integer("amount_off"),
		currency: text("currency"),
		duration: text("duration", { enum: ["once", "repeating", "forever"] }).notNull(),
		durationInPeriods: integer("duration_in_periods"),
		maxRedemptions: integer("max_redemptions"),
		timesRedeemed: integer("times_redeemed").notNull().default(0),
		expiresAt: text("expires_at"),
		status: text("status", { enum: ["active", "archived"] }).notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		uniqueIndex("coupons_tenant_code").on(t.tenantId, t.code),
		check("coupons_redemptions", sql`${t.maxRedemptions} is null or ${t.timesRedeemed} <= ${t.maxRedemptions}`),
		check("coupons_one_kind", sql`(${t.percentOff} is null) <> (${t.amountOff} is null)`),
	],
);

// Test clocks: a simulated "now" for the customers attached to one, advanced through the API so a
// year of renewals runs in seconds. Customers on a clock are billed only when their clock advances.
export const testClocks = sqliteTable(
	"test_clocks",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		name: text("name").notNull(),
		frozenTime: text("frozen_time").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [index("test_clocks_tenant").on(t.tenantId, t.id)],
);

// What a metered event counts: the events' quantity (or one of their properties), aggregated one way.
// Aggregation, property and filters never change once created, so stored aggregates stay true.
export const billableMetrics = sqliteTable(
	"billable_metrics",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		code: text("code").notNull(),
		name: text("name").notNull(),
		description: text("description"),
		aggregation: text("aggregation", { enum: ["sum", "count", "max", "unique_count", "last"] }).notNull(),
		// The event property aggregated; null means the event's `quantity`.
		field: text("field"),
		// Dimension → accepted values; an event counts only when every named dimension matches.
		filters: json<Record<string, string[]>>("filters").notNull(),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [uniqueIndex("billable_metrics_tenant_code").on(t.tenantId, t.code)],
);

// Every usage event and adjustment ever accepted, append-only. The primary key is the de-duplication:
// an event id seen before is ignored, however often a queue redelivers it.
export const usageEvents = sqliteTable(
	"usage_events",
	{
		tenantId: text("tenant_id").notNull(),
		eventId: text("event_id").notNull(),
		kind: text("kind", { enum: ["event", "adjustment"] }).notNull(),
		customerId: text("customer_id").notNull(),
		subscriptionId: text("subscription_id"),
		metricCode: text("metric_code").notNull(),
		quantity: text("quantity").notNull(),
		// The metric's value of this event in millionths; null while the metric is not defined yet.
		valueE6: integer("value_e6"),
		// The property value a unique_count metric counts.
		uniqueValue: text("unique_value"),
		properties: json<Record<string, unknown>>("properties").notNull(),
		// Canonical JSON of the dimensions (sorted keys), the grouping key of the aggregates.
		dimensions: text("dimensions").notNull(),
		timestamp: text("timestamp").notNull(),
		// The event's day in the tenant's time zone: the bucket its aggregate lands in.
		usageDate: text("usage_date").notNull(),
		receivedAt: text("received_at").notNull(),
		reason: text("reason"),
		createdBy: text("created_by"),
	},
	(t) => [
		primaryKey({ columns: [t.tenantId, t.eventId] }),
		// Days arrive in order, so this index grows at its end: cheap to keep up under heavy ingestion,
		// and what rebuilding a window of aggregates reads.
		index("usage_events_day").on(t.tenantId, t.usageDate),
		index("usage_events_pending").on(t.tenantId, t.metricCode).where(sql`${t.valueE6} is null`),
		check("usage_events_quantity", sql`${t.kind} = 'adjustment' or ${t.valueE6} is null or ${t.valueE6} >= 0`),
	],
);

// Per-day aggregates of every (customer, subscription, metric, dimensions), kept current by the usage
// consumer in the same batch that stores the events; a period's usage is a range over its days.
export const usageAggregates = sqliteTable(
	"usage_aggregates",
	{
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id").notNull(),
		metricCode: text("metric_code").notNull(),
		usageDate: text("usage_date").notNull(),
		// The subscription the events named, or '' for events sent for the customer only.
		subscriptionKey: text("subscription_key").notNull(),
		dimensions: text("dimensions").notNull(),
		events: integer("events").notNull(),
		sumE6: integer("sum_e6").notNull(),
		maxE6: integer("max_e6"),
		lastE6: integer("last_e6"),
		lastAt: text("last_at"),
	},
	(t) => [
		primaryKey({ columns: [t.tenantId, t.customerId, t.metricCode, t.usageDate, t.subscriptionKey, t.dimensions] }),
	],
);

// The distinct values a unique_count metric has seen per day, so a period's count is exact.
export const usageUniqueValues = sqliteTable(
	"usage_unique_values",
	{
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id").notNull(),
		metricCode: text("metric_code").notNull(),
		usageDate: text("usage_date").notNull(),
		subscriptionKey: text("subscription_key").notNull(),
		dimensions: text("dimensions").notNull(),
		value: text("value").notNull(),
	},
	(t) => [
		primaryKey({
			columns: [t.tenantId, t.customerId, t.metricCode, t.usageDate, t.subscriptionKey, t.dimensions, t.value],
		}),
	],
);

// Where an ingest batch starts: rows after this rowid are the batch's new events (duplicates are not
// inserted, so they never reach the aggregates). Written and removed inside the same batch.
export const usageIngestMarks = sqliteTable("usage_ingest_marks", {
	id: text("id").primaryKey(),
	afterRowid: integer("after_rowid").notNull(),
});

// The usage each subscription invoice charged, per (period, metric): the first charge, then one row
// per late adjustment, so the billed total of a period is their sum.
export const subscriptionUsageCharges = sqliteTable(
	"subscription_usage_charges",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		subscriptionId: text("subscription_id").notNull(),
		customerId: text("customer_id").notNull(),
		metricCode: text("metric_code").notNull(),
		periodStart: text("period_start").notNull(),
		periodEnd: text("period_end").notNull(),
		kind: text("kind", { enum: ["charge", "late_adjustment"] }).notNull(),
		quantity: text("quantity").notNull(),
		amount: integer("amount").notNull(),
		invoiceId: text("invoice_id"),
		creditNoteId: text("credit_note_id"),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		uniqueIndex("subscription_usage_charges_first")
			.on(t.subscriptionId, t.metricCode, t.periodStart)
			.where(sql`${t.kind} = 'charge'`),
		index("subscription_usage_charges_customer").on(t.tenantId, t.customerId, t.metricCode, t.periodStart),
	],
);

// Invoiced periods whose usage changed afterwards (a late event or an adjustment): the next invoice
// of the subscription recomputes them and bills the difference.
export const usageLatePeriods = sqliteTable(
	"usage_late_periods",
	{
		tenantId: text("tenant_id").notNull(),
		subscriptionId: text("subscription_id").notNull(),
		metricCode: text("metric_code").notNull(),
		periodStart: text("period_start").notNull(),
		periodEnd: text("period_end").notNull(),
	},
	(t) => [primaryKey({ columns: [t.subscriptionId, t.metricCode, t.periodStart] })],
);

// Events a producer put straight on the queue that could not be accepted: kept for inspection, never dropped.
export const usageRejections = sqliteTable(
	"usage_rejections",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		event: json<unknown>("event").notNull(),
		errors: json<unknown>("errors").notNull(),
		receivedAt: text("received_at").notNull(),
	},
	(t) => [index("usage_rejections_tenant").on(t.tenantId, t.id)],
);

// A tenant's own tax rates: US sales taxes by state and postal prefix, codes of its own, rates before
// the built-in table starts, and overrides of built-in rates (same place, code and jurisdiction).
export const taxRates = sqliteTable(
	"tax_rates",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		country: text("country").notNull(),
		region: text("region"),
		postalPrefix: text("postal_prefix"),
		taxCode: text("tax_code").notNull(),
		jurisdiction: text("jurisdiction").notNull(),
		name: text("name").notNull(),
		// Percent as an exact decimal string ("8.875").
		rate: text("rate").notNull(),
		category: text("category", { enum: ["S", "Z", "E", "L", "M"] }).notNull(),
		stacking: text("stacking", { enum: ["add", "replace"] }).notNull(),
		validFrom: text("valid_from").notNull(),
		validTo: text("valid_to"),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		index("tax_rates_tenant_country").on(t.tenantId, t.country, t.taxCode),
		check("tax_rates_category", sql`${t.category} in ('S','Z','E','L','M')`),
		check("tax_rates_stacking", sql`${t.stacking} in ('add','replace')`),
		check("tax_rates_period", sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
	],
);

// External tax services (Avalara, TaxJar, a tenant's own) reached by HTTP: the secret is stored
// encrypted (AES-GCM, src/lib/crypto.ts) and never returned.
export const taxProviders = sqliteTable(
	"tax_providers",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		name: text("name").notNull(),
		endpointUrl: text("endpoint_url").notNull(),
		secretCiphertext: text("secret_ciphertext").notNull(),
		// The secret's last four characters, so a user can tell which one is configured.
		secretHint: text("secret_hint").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [index("tax_providers_tenant").on(t.tenantId, t.id)],
);

// People who sign in with email and password (seed 004's users). A CUSTOMER user is bound to one
// customer and sees only its data; the others act for the whole tenant by their role.
export const users = sqliteTable(
	"users",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id")
			.notNull()
			.references(() => tenants.id),
		email: text("email").notNull(),
		fullName: text("full_name").notNull(),
		role: text("role", { enum: ["SYSADMIN", "ACCOUNTANT", "SALES", "CUSTOMER"] }).notNull(),
		status: text("status", { enum: ["PENDING", "ACTIVE", "REJECTED"] }).notNull(),
		// `pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>`: the parameters travel with the hash.
		passwordHash: text("password_hash").notNull(),
		customerId: text("customer_id").references(() => customers.id),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
		decidedAt: text("decided_at"),
	},
	(t) => [
		uniqueIndex("users_tenant_email").on(t.tenantId, t.email),
		index("users_tenant_status").on(t.tenantId, t.status, t.id),
		index("users_role_created").on(t.role, t.createdAt),
		check("users_role", sql`${t.role} in ('SYSADMIN','ACCOUNTANT','SALES','CUSTOMER')`),
		check("users_status", sql`${t.status} in ('PENDING','ACTIVE','REJECTED')`),
		check("users_customer_bound", sql`(${t.role} = 'CUSTOMER') or (${t.customerId} is null)`),
	],
);

// Failed sign-ins counted per subject (`email:<tenant>:<email>` or `ip:<address>`) in a fixed window:
// in D1, so every isolate sees the same count.
export const loginFailures = sqliteTable("login_failures", {
	subject: text("subject").primaryKey(),
	failures: integer("failures").notNull(),
	windowStartedAt: text("window_started_at").notNull(),
});

// Seed 001's numeric ids: a per-tenant sequence mapped onto this service's ids.
export const numericIds = sqliteTable(
	"numeric_ids",
	{
		tenantId: text("tenant_id").notNull(),
		kind: text("kind", { enum: ["invoice", "customer"] }).notNull(),
		number: integer("number").notNull(),
		targetId: text("target_id").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.tenantId, t.kind, t.number] }),
		uniqueIndex("numeric_ids_target").on(t.tenantId, t.kind, t.targetId),
		check("numeric_ids_positive", sql`${t.number} >= 1`),
	],
);

// Corrections of tax owed outside any invoice (POST /v1/billing/tax/adjust), each booked by its own
// journal between the jurisdiction's tax payable and the tax adjustment account.
export const taxAdjustments = sqliteTable(
	"tax_adjustments",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		jurisdiction: text("jurisdiction").notNull(),
		direction: text("direction", { enum: ["increase", "decrease"] }).notNull(),
		amount: integer("amount").notNull(),
		currency: text("currency").notNull(),
		date: text("date").notNull(),
		reason: text("reason").notNull(),
		invoiceId: text("invoice_id"),
		journalEntryId: text("journal_entry_id").notNull(),
		createdAt: text("created_at").notNull(),
	},
	(t) => [
		index("tax_adjustments_tenant_date").on(t.tenantId, t.date),
		check("tax_adjustments_amount", sql`${t.amount} > 0`),
		check("tax_adjustments_direction", sql`${t.direction} in ('increase','decrease')`),
	],
);

// An issued invoice's registration with a tax service: the built-in `internal` one or a configured
// provider. One row per invoice and provider; a failed attempt keeps its error until a retry succeeds.
export const taxRegistrations = sqliteTable(
	"tax_registrations",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		invoiceId: text("invoice_id")
			.notNull()
			.references(() => invoices.id),
		provider: text("provider").notNull(),
		status: text("status", { enum: ["registered", "failed"] }).notNull(),
		providerReference: text("provider_reference"),
		error: text("error"),
		attempts: integer("attempts").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		uniqueIndex("tax_registrations_invoice_provider").on(t.tenantId, t.invoiceId, t.provider),
		check("tax_registrations_status", sql`${t.status} in ('registered','failed')`),
		check(
			"tax_registrations_outcome",
			sql`(${t.status} = 'registered') = (${t.providerReference} is not null and ${t.error} is null)`,
		),
	],
);

/** One step of a dunning rule, as stored (validated on the way in by src/domain/dunning.ts). */
export type StoredDunningStep = {
	days_after_due: number;
	action: "email" | "sms" | "hold_services";
	template_id: string | null;
};

// A tenant's dunning schedule: what happens how many days after an invoice's due date.
export const dunningRules = sqliteTable(
	"dunning_rules",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		name: text("name").notNull(),
		steps: json<StoredDunningStep[]>("steps").notNull(),
		escalation: text("escalation", { enum: ["case"] }),
		// Only invoices in this currency follow the rule; null: any currency.
		currency: text("currency"),
		isDefault: integer("is_default", { mode: "boolean" }).notNull(),
		active: integer("active", { mode: "boolean" }).notNull(),
		version: integer("version").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		index("dunning_rules_tenant_id").on(t.tenantId, t.id),
		// At most one default rule per tenant.
		uniqueIndex("dunning_rules_tenant_default").on(t.tenantId).where(sql`${t.isDefault} = 1`),
		check("dunning_rules_escalation", sql`${t.escalation} is null or ${t.escalation} = 'case'`),
	],
);

// Each (invoice, rule step) a dunning run took, once: claimed as `pending` before its action runs, so a
// rerun of the same day, a concurrent run or a retried queue message finds it and does nothing twice.
export const dunningAttempts = sqliteTable(
	"dunning_attempts",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		jobId: text("job_id").notNull(),
		invoiceId: text("invoice_id")
			.notNull()
			.references(() => invoices.id),
		customerId: text("customer_id").notNull(),
		ruleId: text("rule_id").notNull(),
		daysAfterDue: integer("days_after_due").notNull(),
		action: text("action", { enum: ["email", "sms", "hold_services"] }).notNull(),
		templateId: text("template_id"),
		status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
		error: text("error"),
		deliveryId: text("delivery_id"),
		providerMessageId: text("provider_message_id"),
		runDate: text("run_date").notNull(),
		createdAt: text("created_at").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		uniqueIndex("dunning_attempts_invoice_step").on(t.tenantId, t.invoiceId, t.ruleId, t.daysAfterDue),
		index("dunning_attempts_job").on(t.tenantId, t.jobId, t.id),
		check("dunning_attempts_status", sql`${t.status} in ('pending','succeeded','failed')`),
		check("dunning_attempts_failed_has_error", sql`(${t.status} = 'failed') = (${t.error} is not null)`),
	],
);

// A customer's overdue invoices handed to collections once dunning's last step was taken.
export const collectionCases = sqliteTable(
	"collection_cases",
	{
		id: text("id").primaryKey(),
		tenantId: text("tenant_id").notNull(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		ruleId: text("rule_id").notNull(),
		invoiceIds: json<string[]>("invoice_ids").notNull(),
		status: text("status", { enum: ["open", "resolved"] }).notNull(),
		openedAt: text("opened_at").notNull(),
		resolvedAt: text("resolved_at"),
		// How it ended (paid, settled, sent to an agency …), as the collector wrote it.
		resolution: text("resolution"),
		version: integer("version").notNull(),
		updatedAt: text("updated_at").notNull(),
	},
	(t) => [
		index("collection_cases_tenant_id").on(t.tenantId, t.id),
		// One open case per customer: later escalations add their invoices to it.
		uniqueIndex("collection_cases_open_customer").on(t.tenantId, t.customerId).where(sql`${t.status} = 'open'`),
		check("collection_cases_status", sql`${t.status} in ('open','resolved')`),
		check("collection_cases_resolved", sql`(${t.status} = 'resolved') = (${t.resolvedAt} is not null)`),
	],
);
