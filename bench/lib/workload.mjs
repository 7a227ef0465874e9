// The data the benchmark works on: request bodies shaped like real traffic, a template state created
// through the API, and 100,000 invoices cloned from API-made ones with direct SQL (seconds, not 100k calls).
import { ADMIN_TOKEN } from "../config.mjs";
import { withD1 } from "./d1.mjs";
import { call, expectStatus, pool } from "./http.mjs";

export const ACCOUNTS = 1_000;
export const SEEDED_INVOICES = 100_000;
export const TEMPLATE_INVOICES = 20;
export const WEBHOOK_ENDPOINTS = 4;
export const WEBHOOK_EVENTS = 500;
const SEED_CHUNK = 10_000;
/** Seeded invoices are spread over the two years before the run: one every 630 s. */
const SEED_SPACING_SECONDS = 630;

export const seededInvoiceId = (n) => `inv_${String(n).padStart(26, "0")}`;

export function customerBody(i) {
	return {
		name: `Customer ${i} Inc.`,
		email: `billing+${i}@customer${i}.example`,
		billing_address: {
			line1: `${100 + (i % 900)} Market St`,
			city: "San Francisco",
			state: "CA",
			postal_code: "94105",
			country: "US",
		},
		tax_id: `US${String(100000000 + i)}`,
		payment_terms: "net30",
		segment: i % 3 === 0 ? "enterprise" : "smb",
		metadata: { crm_id: `CRM-${i}` },
	};
}

/**
 * The sales taxes a Californian seller charges in San Francisco, as the tenant's own rates: the tax engine
 * stacks both on every line a San Francisco customer is invoiced.
 */
const TAX_RATES = [
	{ country: "US", region: "CA", tax_code: "standard", rate: "6", name: "California", valid_from: "2020-01-01" },
	{
		country: "US",
		region: "CA",
		postal_prefix: "941",
		jurisdiction: "US-CA-SF",
		tax_code: "standard",
		rate: "2.625",
		name: "San Francisco",
		valid_from: "2020-01-01",
	},
];

/** A tenant selling from California, with the rates the engine applies in San Francisco. */
async function californianSeller(url, key) {
	await expectStatus(
		call(url, "/v1/billing/settings", {
			method: "PATCH",
			key,
			body: { tax_origin_country: "US", tax_origin_region: "CA" },
		}),
		200,
		"tax settings",
	);
	for (const body of TAX_RATES) await expectStatus(call(url, "/v1/billing/tax/rates", { key, body }), 201, "tax rate");
}

/**
 * Five lines, one with a discount, each taxed by the tax engine in two jurisdictions (state and city);
 * finalized (numbered, posted) at once.
 */
export function invoiceBody(customerId, i) {
	return {
		customer_id: customerId,
		finalize: true,
		memo: "Thank you for your business.",
		metadata: { order: `SO-${i}` },
		items: [
			{
				description: "Platform subscription",
				sku: "PLAT-M",
				quantity: 1,
				unit_price: 49_900 + (i % 7) * 1_000,
			},
			{
				description: "Support hours",
				sku: "SUP-H",
				quantity: 2.5 + (i % 4),
				unit_price: 12_000,
				discounts: [{ type: "percent", percent: 10 }],
			},
			{ description: "API calls over quota", sku: "API-1K", quantity: 120 + (i % 50), unit_price: 35 },
			{ description: "Onboarding", sku: "ONB", quantity: 1, unit_price: 25_000 },
			{ description: "Storage (GB-month)", sku: "STO-GB", quantity: 40 + (i % 30), unit_price: 23 },
		],
	};
}

export function paymentBody(customerId, i) {
	return {
		customer_id: customerId,
		amount: 500 + (i % 10) * 100,
		currency: "USD",
		payment_method: "bank_transfer",
		reference: `wire-${i}`,
	};
}

/**
 * Through the API, on a running server over a fresh migrated state: the point-read table, tenant A
 * (1,000 customers, 20 finalized invoices to clone), tenant B (a new tenant: 20 customers, 10 invoices) and tenant W (one
 * customer whose event is cloned, four webhook endpoints on the local receiver).
 */
export async function createTemplate(url, receiverPort, log) {
	await expectStatus(call(url, "/__bench/setup?rows=10000", { method: "POST" }), 200, "bench setup");
	const newTenant = async (name) => {
		const body = await expectStatus(
			call(url, "/v1/admin/tenants", { key: ADMIN_TOKEN, body: { name, default_currency: "USD" } }),
			201,
			"tenant",
		);
		return { id: body.tenant.id, key: body.api_key.secret };
	};
	const tenantA = await newTenant("Bench tenant A");
	const tenantW = await newTenant("Bench tenant W (webhooks)");
	const tenantB = await newTenant("Bench tenant B (no history)");
	for (const tenant of [tenantA, tenantB]) await californianSeller(url, tenant.key);
	const started = performance.now();
	const customers = await pool(ACCOUNTS, 8, async (i) => {
		const body = await expectStatus(
			call(url, "/v1/billing/customers", { key: tenantA.key, body: customerBody(i) }),
			201,
			"customer",
		);
		return body.id;
	});
	log(`  ${ACCOUNTS} customers through the API in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	const templateInvoices = await pool(TEMPLATE_INVOICES, 4, async (i) => {
		const body = await expectStatus(
			call(url, "/v1/billing/invoices", { key: tenantA.key, body: invoiceBody(customers[i], i) }),
			201,
			"template invoice",
		);
		return body.id;
	});
	// Tenant B stays small: 20 customers, the first with 10 open invoices for the hot-account payments.
	const customersB = await pool(20, 4, async (i) => {
		const body = await expectStatus(
			call(url, "/v1/billing/customers", { key: tenantB.key, body: customerBody(i) }),
			201,
			"customer (tenant B)",
		);
		return body.id;
	});
	await pool(10, 2, (i) =>
		expectStatus(
			call(url, "/v1/billing/invoices", { key: tenantB.key, body: invoiceBody(customersB[0], i) }),
			201,
			"invoice (tenant B)",
		),
	);
	const webhookCustomer = await expectStatus(
		call(url, "/v1/billing/customers", { key: tenantW.key, body: customerBody(0) }),
		201,
		"webhook customer",
	);
	const endpoints = [];
	for (let i = 0; i < WEBHOOK_ENDPOINTS; i++) {
		const body = await expectStatus(
			call(url, "/v1/billing/webhooks", {
				key: tenantW.key,
				body: { url: `http://127.0.0.1:${receiverPort}/hooks/${i}`, events: ["*"], description: `bench ${i}` },
			}),
			201,
			"webhook endpoint",
		);
		endpoints.push(body.id);
	}
	return {
		tenantA,
		tenantB,
		tenantW,
		customers,
		customersB,
		templateInvoices,
		webhookCustomer: webhookCustomer.id,
		endpoints,
	};
}

export const columnsOf = async (db, table) =>
	(await db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all()).results.map((r) => r.name);

/** Every column copied from the template row `alias`, except those given an expression here. */
export const selectList = (columns, alias, overrides) =>
	columns.map((c) => (Object.hasOwn(overrides, c) ? `${overrides[c]}` : `${alias}.${c}`)).join(", ");

/**
 * 100,000 invoices for tenant A, with their 500,000 lines and 200,000 events, cloned from the template invoices and spread
 * over the 1,000 customers and two years: 75 % paid, 15 % issued (most of them overdue), 5 % voided,
 * 5 % drafts. Inserted as drafts with their lines (the triggers allow lines only on drafts), then issued.
 */
export async function seedInvoices(state, databaseId, template, log) {
	return withD1(state, databaseId, async (db) => {
		const invoiceColumns = await columnsOf(db, "invoices");
		const lineColumns = await columnsOf(db, "invoice_lines");
		const start = new Date(Date.now() - 731 * 86_400_000).toISOString();
		const tenant = template.tenantA.id;
		const templates = JSON.stringify(template.templateInvoices);
		const seq = "WITH RECURSIVE seq(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?2)";
		const tmpl = `tmpl AS (SELECT *, ROW_NUMBER() OVER (ORDER BY id) - 1 AS j FROM invoices
			WHERE tenant_id = ?3 AND id IN (SELECT value FROM json_each(?4)))`;
		const invoiceExprs = selectList(invoiceColumns, "tmpl", {
			id: "printf('inv_%026d', seq.n)",
			customer_id: "cust.id",
			number: "NULL",
			status: "'draft'",
			issue_date: "NULL",
			due_date: "NULL",
			amount_paid: "0",
			amount_credited: "0",
			amount_written_off: "0",
			balance: "tmpl.total",
			source_ref: "NULL",
			posted_to_gl: "0",
			journal_entry_id: "NULL",
			write_off_reason: "NULL",
			void_reason: "NULL",
			version: "1",
			created_at: `strftime('%Y-%m-%dT%H:%M:%fZ', ?5, '+' || (seq.n * ${SEED_SPACING_SECONDS}) || ' seconds')`,
			updated_at: `strftime('%Y-%m-%dT%H:%M:%fZ', ?5, '+' || (seq.n * ${SEED_SPACING_SECONDS}) || ' seconds')`,
			finalized_at: "NULL",
			paid_at: "NULL",
			voided_at: "NULL",
			written_off_at: "NULL",
			fx_rate: "NULL",
		});
		const insertInvoices = db.prepare(
			`${seq}, ${tmpl},
			cust AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS i FROM customers WHERE tenant_id = ?3)
			INSERT INTO invoices (${invoiceColumns.join(", ")})
			SELECT ${invoiceExprs} FROM seq
			JOIN cust ON cust.i = seq.n % ${ACCOUNTS}
			JOIN tmpl ON tmpl.j = seq.n % ${TEMPLATE_INVOICES}`,
		);
		const lineExprs = selectList(lineColumns, "l", {
			id: "printf('line_%026d', seq.n * 100 + l.position)",
			invoice_id: "printf('inv_%026d', seq.n)",
		});
		const insertLines = db.prepare(
			`${seq}, ${tmpl}
			INSERT INTO invoice_lines (${lineColumns.join(", ")})
			SELECT ${lineExprs} FROM seq
			JOIN tmpl ON tmpl.j = seq.n % ${TEMPLATE_INVOICES}
			JOIN invoice_lines l ON l.invoice_id = tmpl.id`,
		);
		const k = "(CAST(substr(id, 5) AS INTEGER) % 20)";
		const issue = db.prepare(
			`UPDATE invoices SET
				status = CASE WHEN ${k} = 18 THEN 'voided' WHEN ${k} >= 15 THEN 'issued' ELSE 'paid' END,
				number = printf('INV-S%07d', CAST(substr(id, 5) AS INTEGER)),
				issue_date = substr(created_at, 1, 10),
				due_date = date(substr(created_at, 1, 10), '+30 days'),
				finalized_at = created_at,
				amount_paid = CASE WHEN ${k} < 15 THEN total ELSE 0 END,
				balance = CASE WHEN ${k} < 15 OR ${k} = 18 THEN 0 ELSE total END,
				paid_at = CASE WHEN ${k} < 15 THEN strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+20 days') END,
				voided_at = CASE WHEN ${k} = 18 THEN strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 day') END,
				void_reason = CASE WHEN ${k} = 18 THEN 'Issued in error' END,
				version = version + 1
			WHERE tenant_id = ?1 AND id BETWEEN printf('inv_%026d', ?2) AND printf('inv_%026d', ?3) AND ${k} <> 19`,
		);
		// Their history in the outbox: invoice.created and invoice.finalized for each, long dispatched. Each
		// reads its payload from the audit row of the customer event it is cloned from (a customer's, 0.5 KB;
		// an invoice's is 3-6 KB), so this errs on the light side.
		const eventColumns = await columnsOf(db, "outbox_events");
		const eventSource = await db
			.prepare("SELECT id FROM outbox_events WHERE tenant_id = ?1 AND type = 'customer.created' ORDER BY id LIMIT 1")
			.bind(tenant)
			.first();
		const invoiceOf = "((seq.n + 1) / 2)";
		const eventExprs = selectList(eventColumns, "e", {
			id: "printf('evt_%026d', seq.n)",
			type: "CASE seq.n % 2 WHEN 1 THEN 'invoice.created' ELSE 'invoice.finalized' END",
			resource_type: "'invoice'",
			resource_id: `printf('inv_%026d', ${invoiceOf})`,
			request_id: `printf('req_%026d', ${invoiceOf})`,
			created_at: `strftime('%Y-%m-%dT%H:%M:%fZ', ?3, '+' || (${invoiceOf} * ${SEED_SPACING_SECONDS}) || ' seconds')`,
			dispatched_at: `strftime('%Y-%m-%dT%H:%M:%fZ', ?3, '+' || (${invoiceOf} * ${SEED_SPACING_SECONDS} + 1) || ' seconds')`,
		});
		const insertEvents = db.prepare(
			`${seq} INSERT INTO outbox_events (${eventColumns.join(", ")})
			SELECT ${eventExprs} FROM seq JOIN outbox_events e ON e.id = ?4`,
		);
		const started = performance.now();
		for (let lo = 1; lo <= SEEDED_INVOICES; lo += SEED_CHUNK) {
			const hi = Math.min(lo + SEED_CHUNK - 1, SEEDED_INVOICES);
			await insertInvoices.bind(lo, hi, tenant, templates, start).run();
			await insertLines.bind(lo, hi, tenant, templates).run();
			await issue.bind(tenant, lo, hi).run();
			await insertEvents.bind(lo * 2 - 1, hi * 2, start, eventSource.id).run();
		}
		const counts = await db
			.prepare(
				`SELECT (SELECT count(*) FROM invoices WHERE tenant_id = ?1) AS invoices,
				(SELECT count(*) FROM invoice_lines WHERE tenant_id = ?1) AS lines,
				(SELECT count(*) FROM outbox_events WHERE tenant_id = ?1) AS events`,
			)
			.bind(tenant)
			.first();
		log(
			`  seeded ${counts.invoices} invoices, ${counts.lines} lines, ${counts.events} events by SQL in ${((performance.now() - started) / 1000).toFixed(1)} s`,
		);
		return counts;
	});
}

/** Marks every pending event dispatched, so a measurement sees only the events it causes. */
export async function markAllDispatched(state, databaseId) {
	return withD1(state, databaseId, (db) =>
		db
			.prepare("UPDATE outbox_events SET dispatched_at = ?1 WHERE dispatched_at IS NULL")
			.bind(new Date().toISOString())
			.run(),
	);
}

/**
 * A backlog for the outbox sweep: `count` copies of tenant W's first event, undispatched and five minutes
 * old (the sweep takes events older than a minute). Returns their id range.
 */
export async function seedPendingEvents(state, databaseId, template, count) {
	return withD1(state, databaseId, async (db) => {
		const source = await db
			.prepare("SELECT id FROM outbox_events WHERE tenant_id = ?1 ORDER BY id LIMIT 1")
			.bind(template.tenantW.id)
			.first();
		const columns = await columnsOf(db, "outbox_events");
		const exprs = selectList(columns, "e", {
			id: "printf('evt_%026d', ?2 + seq.n)",
			request_id: "NULL",
			created_at: "?3",
			dispatched_at: "NULL",
		});
		const base = (Date.now() % 1_000_000_000) * 1000;
		await db
			.prepare(
				`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?1)
				INSERT INTO outbox_events (${columns.join(", ")})
				SELECT ${exprs} FROM seq JOIN outbox_events e ON e.id = ?4`,
			)
			.bind(count, base, new Date(Date.now() - 5 * 60_000).toISOString(), source.id)
			.run();
		const id = (n) => `evt_${String(base + n).padStart(26, "0")}`;
		return { first: id(1), last: id(count) };
	});
}

/** How many events in [first, last] the sweep marked dispatched. */
export async function dispatchedBetween(state, databaseId, range) {
	return withD1(state, databaseId, async (db) => {
		const row = await db
			.prepare(
				"SELECT count(*) AS total, sum(dispatched_at IS NOT NULL) AS dispatched FROM outbox_events WHERE id BETWEEN ?1 AND ?2",
			)
			.bind(range.first, range.last)
			.first();
		return { total: row.total, dispatched: row.dispatched ?? 0 };
	});
}

/** Webhook deliveries of tenant W: how many, and when the first and last were created (fanned out). */
export async function webhookStats(state, databaseId, template, since) {
	return withD1(state, databaseId, (db) =>
		db
			.prepare(
				`SELECT count(*) AS deliveries, min(created_at) AS first_created, max(created_at) AS last_created,
				sum(status = 'succeeded') AS succeeded, count(DISTINCT event_id) AS events,
				(SELECT count(*) FROM outbox_events WHERE tenant_id = ?1 AND created_at >= ?2 AND dispatched_at IS NULL) AS undispatched
				FROM webhook_deliveries WHERE tenant_id = ?1 AND created_at >= ?2`,
			)
			.bind(template.tenantW.id, since)
			.first(),
	);
}
