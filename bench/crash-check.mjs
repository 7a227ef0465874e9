#!/usr/bin/env node
// `npm run crash-check`: does an acknowledged write survive the server being killed mid-load?
// Each round starts `wrangler dev` on loopback with its own persisted state, runs a bounded mix of
// invoices, payments and usage (every write with an Idempotency-Key), kills the server's process group
// with SIGKILL while requests are in flight, starts it again on the same state, retries the in-flight
// requests with their keys, and verifies: every acknowledged write present exactly once, the trial
// balance zero, every invoice's payments equal to its allocations and every customer's balance equal
// to its invoices and unapplied payments. Writes bench/CRASH.md; exits 1 if any round fails.
//   node bench/crash-check.mjs [--rounds 2] [--load-ms 6000] [--workers 6]
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { parseArgs } from "node:util";

const { values } = parseArgs({
	options: {
		rounds: { type: "string", default: "2" },
		"load-ms": { type: "string", default: "6000" },
		workers: { type: "string", default: "6" },
	},
});
const ROUNDS = Number(values.rounds);
const LOAD_MS = Number(values["load-ms"]);
const WORKERS = Number(values.workers);
const CUSTOMERS = 12;
const ADMIN_TOKEN = "crash-check-operator-token-0123456789";
/** The usage queue's batch window (wrangler.toml max_batch_timeout) plus its processing: see CRASH.md. */
const USAGE_WINDOW_MS = 3_000;
const STATE = "bench/.out/crash-check";
const wrangler = "node_modules/.bin/wrangler";
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

const freePort = () =>
	new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `wrangler dev` in a process group of its own, so SIGKILL reaches it and its workerd, and nothing else. */
async function startServer(state) {
	const [port, inspectorPort] = [await freePort(), await freePort()];
	const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort)];
	args.push("--persist-to", state, "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "ENVIRONMENT:development");
	const child = spawn(wrangler, args, { env: quietEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
	let output = "";
	child.stdout.on("data", (chunk) => (output += chunk));
	child.stderr.on("data", (chunk) => (output += chunk));
	const base = `http://127.0.0.1:${port}`;
	const started = Date.now();
	while (Date.now() - started < 120_000) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited ${child.exitCode}:\n${output}`);
		const ok = await fetch(`${base}/v1/billing/health`).then(
			(res) => res.ok,
			() => false,
		);
		if (ok) return { child, base, readyMs: Date.now() - started };
		await sleep(250);
	}
	killGroup(child);
	throw new Error(`wrangler dev did not answer within 120 s:\n${output}`);
}

function killGroup(child) {
	try {
		process.kill(-child.pid, "SIGKILL");
	} catch {
		// already gone
	}
}

async function call(base, key, method, path, body, idempotencyKey) {
	const headers = { authorization: `Bearer ${key}` };
	if (body !== undefined) headers["content-type"] = "application/json";
	if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
	const res = await fetch(`${base}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: res.status, body: json, retryAfter: Number(res.headers.get("retry-after") ?? 1) };
}

async function listAll(base, key, path) {
	const rows = [];
	let cursor;
	do {
		const sep = path.includes("?") ? "&" : "?";
		const res = await call(base, key, "GET", `${path}${sep}limit=100${cursor ? `&cursor=${cursor}` : ""}`);
		if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
		rows.push(...res.body.data);
		cursor = res.body.has_more ? res.body.next_cursor : undefined;
	} while (cursor);
	return rows;
}

async function round(number) {
	const state = `${STATE}/round-${number}`;
	rmSync(state, { recursive: true, force: true });
	mkdirSync(state, { recursive: true });
	const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
		env: quietEnv,
		encoding: "utf8",
	});
	if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}${migrate.stderr}`);

	let server = await startServer(state);
	const firstReadyMs = server.readyMs;
	const tenant = await call(server.base, ADMIN_TOKEN, "POST", "/v1/admin/tenants", {
		name: `Crash check ${number}`,
		default_currency: "EUR",
	});
	if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
	const key = tenant.body.api_key.secret;
	const metric = await call(server.base, key, "POST", "/v1/billing/billable-metrics", {
		code: "api_calls",
		name: "API calls",
		aggregation: "count",
	});
	if (metric.status !== 201) throw new Error(`metric: ${metric.status} ${JSON.stringify(metric.body)}`);
	const customers = [];
	for (let i = 0; i < CUSTOMERS; i++) {
		const res = await call(server.base, key, "POST", "/v1/billing/customers", { name: `Customer ${i}` });
		if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
		customers.push(res.body.id);
	}

	// The load: each write is remembered with its key and body; acknowledged when a 2xx came back.
	const writes = [];
	const openInvoices = [];
	const pick = (list) => list[Math.floor(Math.random() * list.length)];
	const loadStarted = Date.now();
	let killedAt = 0;
	async function worker() {
		while (!killedAt) {
			const customer = pick(customers);
			const tag = randomUUID();
			const roll = Math.random();
			const invoice = roll >= 0.7 && openInvoices.length > 0 ? pick(openInvoices) : undefined;
			const write =
				roll < 0.4
					? {
							kind: "invoice",
							path: "/v1/billing/invoices",
							body: {
								customer_id: customer,
								finalize: true,
								items: [{ description: "Service", quantity: 1, unit_price: 1000 + Math.floor(Math.random() * 9000) }],
								metadata: { crash_tag: tag },
							},
						}
					: roll < 0.7
						? {
								kind: "usage",
								path: "/v1/billing/usage",
								body: {
									event_id: tag,
									customer_id: customer,
									metric: "api_calls",
									timestamp: new Date().toISOString(),
								},
							}
						: {
								kind: "payment",
								path: "/v1/billing/payments",
								body: {
									customer_id: invoice?.customer ?? customer,
									...(invoice ? { invoice_id: invoice.id } : {}),
									amount: 100 + Math.floor(Math.random() * 900),
									currency: "EUR",
									payment_method: "bank_transfer",
									metadata: { crash_tag: tag },
								},
							};
			Object.assign(write, { tag, key: `crash-${tag}`, sentAt: Date.now(), state: "in_flight" });
			writes.push(write);
			try {
				const res = await call(server.base, key, "POST", write.path, write.body, write.key);
				if (killedAt) return; // an answer racing the kill is treated as in flight
				write.status = res.status;
				write.state = res.status < 300 ? "acknowledged" : "refused";
				write.ackedAt = Date.now();
				if (write.kind === "invoice" && write.state === "acknowledged") {
					openInvoices.push({ id: res.body.id, customer: write.body.customer_id });
				}
			} catch {
				return; // the server is gone
			}
		}
	}
	const workers = Array.from({ length: WORKERS }, () => worker());
	await sleep(LOAD_MS);
	killedAt = Date.now();
	killGroup(server.child);
	await Promise.all(workers);
	const inFlight = writes.filter((w) => w.state === "in_flight");
	const refusedBeforeKill = writes.filter((w) => w.state === "refused");

	server = await startServer(state);
	const problems = refusedBeforeKill.map((w) => `${w.kind} ${w.tag} refused before the kill: ${w.status}`);
	for (const write of inFlight) {
		// A key the crash left held answers 409 with Retry-After until its lock lapses (60 s); then the retry runs.
		let res = await call(server.base, key, "POST", write.path, write.body, write.key);
		const firstStatus = res.status;
		const retryStarted = Date.now();
		while (res.body?.code === "idempotency_in_progress" && Date.now() - retryStarted < 90_000) {
			await sleep(Math.min(res.retryAfter, 5) * 1000);
			res = await call(server.base, key, "POST", write.path, write.body, write.key);
		}
		write.retryStatus = firstStatus === res.status ? `${res.status}` : `${firstStatus} then ${res.status}`;
		if (res.status >= 300)
			problems.push(`${write.kind} ${write.tag}: retry answered ${res.status} ${JSON.stringify(res.body)}`);
		else write.state = "acknowledged";
		if (write.kind === "invoice" && res.status < 300)
			openInvoices.push({ id: res.body.id, customer: write.body.customer_id });
	}
	const acknowledged = writes.filter((w) => w.state === "acknowledged");

	// Every acknowledged invoice and payment exactly once.
	const invoices = await listAll(server.base, key, "/v1/billing/invoices");
	const payments = await listAll(server.base, key, "/v1/billing/payments");
	for (const [kind, rows] of [
		["invoice", invoices],
		["payment", payments],
	]) {
		const byTag = new Map();
		for (const row of rows) byTag.set(row.metadata?.crash_tag, (byTag.get(row.metadata?.crash_tag) ?? 0) + 1);
		for (const write of acknowledged.filter((w) => w.kind === kind)) {
			const count = byTag.get(write.tag) ?? 0;
			if (count !== 1) problems.push(`${kind} ${write.tag} acknowledged, present ${count} times`);
		}
	}

	// Trial balance zero.
	const ledger = await call(server.base, key, "GET", "/v1/billing/ledger/balances");
	for (const total of ledger.body.totals ?? []) {
		if (total.debit !== total.credit)
			problems.push(`trial balance ${total.currency}: ${total.debit} ≠ ${total.credit}`);
	}
	if (ledger.status !== 200) problems.push(`ledger balances: ${ledger.status}`);

	// Each invoice's payments equal the allocations to it; each customer's balance equals its documents.
	const allocated = new Map();
	for (const payment of payments) {
		for (const a of payment.allocations ?? [])
			allocated.set(a.invoice_id, (allocated.get(a.invoice_id) ?? 0) + a.amount);
	}
	for (const invoice of invoices) {
		if (invoice.amount_paid !== (allocated.get(invoice.id) ?? 0)) {
			problems.push(
				`invoice ${invoice.id}: amount_paid ${invoice.amount_paid} ≠ allocations ${allocated.get(invoice.id) ?? 0}`,
			);
		}
	}
	for (const customer of customers) {
		const res = await call(server.base, key, "GET", `/v1/billing/customers/${customer}/balance`);
		const eur = res.body.balances?.find((b) => b.currency === "EUR") ?? { outstanding: 0, credit: 0 };
		const outstanding = invoices.filter((i) => i.customer_id === customer).reduce((s, i) => s + i.balance, 0);
		const unapplied = payments.filter((p) => p.customer_id === customer).reduce((s, p) => s + p.unapplied, 0);
		if (eur.outstanding !== outstanding)
			problems.push(`customer ${customer}: outstanding ${eur.outstanding} ≠ ${outstanding}`);
		if (eur.credit !== unapplied) problems.push(`customer ${customer}: credit ${eur.credit} ≠ unapplied ${unapplied}`);
	}

	// Usage: counted once each; only events acknowledged within the queue's last batch window may be lost.
	const usageAcked = acknowledged.filter((w) => w.kind === "usage");
	const safeUsage = usageAcked.filter((w) => (w.ackedAt ?? killedAt) < killedAt - USAGE_WINDOW_MS).length;
	const day = new Date().toISOString().slice(0, 10);
	let counted = 0;
	for (let attempt = 0; attempt < 40; attempt++) {
		const rows = await listAll(server.base, key, `/v1/billing/usage?metric=api_calls&from=${day}&to=${day}`).catch(
			() => [],
		);
		counted = rows.reduce((s, r) => s + Number(r.quantity), 0);
		if (counted >= usageAcked.length) break;
		await sleep(500);
	}
	if (counted > usageAcked.length) problems.push(`usage counted ${counted} > acknowledged ${usageAcked.length}`);
	if (counted < safeUsage) problems.push(`usage counted ${counted} < acknowledged before the last window ${safeUsage}`);

	killGroup(server.child);
	const count = (kind, list) => list.filter((w) => w.kind === kind).length;
	return {
		number,
		firstReadyMs,
		restartReadyMs: server.readyMs,
		loadMs: killedAt - loadStarted,
		sent: writes.length,
		acknowledgedBeforeKill: writes.length - inFlight.length - refusedBeforeKill.length,
		inFlight: inFlight.length,
		inFlightByKind: ["invoice", "payment", "usage"].map((k) => `${count(k, inFlight)} ${k}s`).join(", "),
		retryStatuses: [...new Set(inFlight.map((w) => w.retryStatus))].join(", ") || "none",
		invoices: count("invoice", acknowledged),
		payments: count("payment", acknowledged),
		usageAcked: usageAcked.length,
		usageCounted: counted,
		usageLost: Math.max(0, usageAcked.length - counted),
		trialBalance: (ledger.body.totals ?? []).map((t) => `${t.currency} ${t.debit}/${t.credit}`).join(", "),
		problems,
	};
}

const results = [];
for (let n = 1; n <= ROUNDS; n++) {
	console.log(`round ${n}: starting wrangler dev, loading for ${LOAD_MS} ms, then SIGKILL`);
	const result = await round(n);
	results.push(result);
	console.log(
		`round ${n}: ${result.sent} writes sent, ${result.inFlight} in flight at the kill (${result.inFlightByKind}); ` +
			`${result.problems.length === 0 ? "PASS" : `FAIL\n  ${result.problems.join("\n  ")}`}`,
	);
}
rmSync(STATE, { recursive: true, force: true });

const row = (r) =>
	`| ${r.number} | ${r.sent} | ${r.acknowledgedBeforeKill} | ${r.inFlight} (${r.inFlightByKind}) | ${r.retryStatuses} | ${r.invoices} / ${r.payments} | ${r.usageAcked} / ${r.usageCounted} (${r.usageLost} lost) | ${r.trialBalance} | ${r.problems.length === 0 ? "pass" : "FAIL"} |`;
const report = `# Crash check

\`npm run crash-check\` (bench/crash-check.mjs), ${new Date().toISOString().slice(0, 16)}Z, ${ROUNDS} rounds in a row.

Each round: \`wrangler dev\` on 127.0.0.1 with its own persisted state (migrations applied), one tenant,
${CUSTOMERS} customers; ${WORKERS} clients send finalized invoices, payments (most allocated to an acknowledged
invoice) and usage events for ${LOAD_MS / 1000} s, every write with an Idempotency-Key; then SIGKILL to the server's
process group (wrangler and its workerd) with requests in flight. The server is started again on the same
state, every in-flight request is retried with its key and body (a key the killed request had claimed
answers \`409 idempotency_in_progress\` with \`Retry-After\` until its 60-second lock lapses; the retry
then runs the request, so "409 then 201" in the table is the designed path), and the round checks:

- every acknowledged invoice and payment is present exactly once (by a tag in its metadata);
- the trial balance is zero in every currency;
- each invoice's \`amount_paid\` equals the payment allocations to it, and each customer's outstanding balance
  and credit equal its invoices' balances and its payments' unapplied amounts;
- usage is never counted twice, and every event acknowledged more than ${USAGE_WINDOW_MS / 1000} s before the kill is counted.

| Round | Writes sent | Acknowledged before the kill | In flight at the kill | Retry answers | Invoices / payments acknowledged | Usage acknowledged / counted | Trial balance (debit/credit) | Result |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${results.map(row).join("\n")}

${results.some((r) => r.problems.length > 0) ? `## Problems\n\n${results.flatMap((r) => r.problems.map((p) => `- round ${r.number}: ${p}`)).join("\n")}\n` : "No problems: every acknowledged write survived the kill once, and the books balance."}

## Usage and local queues

Invoices and payments are committed to D1 and the customer's Durable Object before the API acknowledges
them, so a crash cannot lose one. Usage is different: \`POST /v1/billing/usage\` acknowledges an event once it
is on the usage queue, and under \`npm start\` (wrangler dev) that queue lives in the server's memory. Events
acknowledged within the last batch window before a local crash (\`max_batch_timeout\` = 1 s, plus the batch's
processing) can therefore be lost locally; the "lost" count above is exactly those. On Cloudflare, Queues
persist messages once \`send\` returns, so a crashed consumer's batch is delivered again and nothing
acknowledged is lost. Retrying an in-flight usage request with its Idempotency-Key is always safe: events
carry an \`event_id\` and are counted once.
`;
writeFileSync("bench/CRASH.md", report);
console.log("wrote bench/CRASH.md");
process.exit(results.every((r) => r.problems.length === 0) ? 0 : 1);
