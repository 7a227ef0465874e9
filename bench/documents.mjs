#!/usr/bin/env node
// `npm run bench:documents`: what an issued invoice's PDF costs to render and store, on Miniflare, on
// 127.0.0.1. Invoices of 10 and of 500 lines are made and finalized through the API (names and currency
// signs outside WinAnsi, a logo-less seller with IBAN, so a GiroCode is drawn); their stored PDFs are then
// forgotten by SQL while no server runs, and a fresh server is asked for each one's PDF once: the product's
// own path (load the invoice, render with the embedded fonts, store in R2 with its SHA-256, record it,
// answer). The runtime's CPU per document comes from /proc. Also reports the deployable bundle's size
// (wrangler.toml as is, minified) and the fonts it carries. Writes bench/DOCUMENTS.md.
//   node bench/documents.mjs [--small N] [--large N]
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ADMIN_TOKEN, OUT, ROOT } from "./config.mjs";
import { runtimeCpuSeconds } from "./lib/cpu.mjs";
import { withD1 } from "./lib/d1.mjs";
import { machineInfo } from "./lib/facts.mjs";
import { call, expectStatus, pool } from "./lib/http.mjs";
import { runToEnd, stopEverythingOnExit, wrangler } from "./lib/processes.mjs";
import { freshMiniflare } from "./lib/servers.mjs";

const { values: options } = parseArgs({
	options: {
		small: { type: "string", default: "40" },
		large: { type: "string", default: "6" },
		deadline: { type: "string", default: "300" },
	},
});
const SIZES = [
	{ lines: 10, count: Number(options.small) },
	{ lines: 500, count: Number(options.large) },
];

const started = performance.now();
const log = (message) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
stopEverythingOnExit(Number(options.deadline));

const itemsOf = (lines) =>
	Array.from({ length: lines }, (_, i) => ({
		description: `Beratung Łódź Ørsted Ελλάδα Москва, Position ${i + 1}`,
		quantity: String(1 + (i % 3)),
		unit_price: 1250 + i,
		taxes: [{ jurisdiction: "DE", rate: i % 2 ? "7" : "19" }],
	}));

/** Size of the bundle `npm run deploy` would upload, and its gzip size (what the 1 MiB limit counts). */
function productBundle() {
	const out = path.join(OUT, "product-bundle");
	rmSync(out, { recursive: true, force: true });
	wrangler(["deploy", "--dry-run", "--outdir", out, "--config", path.join(ROOT, "wrangler.toml")]);
	const files = readdirSync(out).filter((f) => f.endsWith(".js") || f.endsWith(".wasm"));
	const bytes = files.map((f) => readFileSync(path.join(out, f)));
	return {
		raw: bytes.reduce((n, b) => n + b.length, 0),
		gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
	};
}

const fontsBytes = () => {
	const dir = path.join(ROOT, "src", "documents", "fonts");
	return readdirSync(dir)
		.filter((f) => !f.endsWith(".ts"))
		.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
};

async function main() {
	const machine = machineInfo();
	const { state, databaseId, serve } = freshMiniflare("documents");

	log(`setup: ${SIZES.map((s) => `${s.count} invoices of ${s.lines} lines`).join(" and ")}, finalized`);
	let server = await serve("documents-setup");
	let tenant;
	const invoiceIds = new Map();
	try {
		const created = await expectStatus(
			call(server.url, "/v1/admin/tenants", {
				key: ADMIN_TOKEN,
				body: { name: "Documents bench", default_currency: "EUR" },
			}),
			201,
			"tenant",
		);
		tenant = { id: created.tenant.id, key: created.api_key.secret };
		await expectStatus(
			call(server.url, "/v1/billing/settings", {
				method: "PATCH",
				key: tenant.key,
				body: {
					legal_profile: {
						legal_name: "Müller & Søn GmbH",
						address_lines: ["Königstraße 1", "10115 Berlin"],
						tax_id: "DE123456789",
						iban: "DE89370400440532013000",
						bic: "COBADEFFXXX",
						locale: "de-DE",
					},
				},
			}),
			200,
			"settings",
		);
		const customer = await expectStatus(
			call(server.url, "/v1/billing/customers", {
				key: tenant.key,
				body: { name: "Zofia Łódź-Ørsted", email: "zofia@example.com", currency: "EUR" },
			}),
			201,
			"customer",
		);
		// One more small invoice, asked for first and not counted: it starts the isolate and loads the fonts.
		for (const { lines, count } of [{ lines: 10, count: 1 }, ...SIZES]) {
			const ids = await pool(count, 4, async () => {
				const invoice = await expectStatus(
					call(server.url, "/v1/billing/invoices", {
						key: tenant.key,
						body: { customer_id: customer.id, items: itemsOf(lines), finalize: true },
					}),
					201,
					"invoice",
				);
				return invoice.id;
			});
			invoiceIds.set(invoiceIds.has("warm-up") ? lines : "warm-up", ids);
		}
	} finally {
		await server.stop();
	}
	// The issue-time rendering may have stored some PDFs already: forget them all, so each is made once below.
	await withD1(state, databaseId, (db) =>
		db.prepare("DELETE FROM documents WHERE tenant_id = ?1").bind(tenant.id).run(),
	);

	log("measure: each invoice's PDF asked for once, one at a time, on a fresh server");
	server = await serve("documents-measure");
	const rows = [];
	const pdfOf = (id) =>
		fetch(`${server.url}/v1/billing/invoices/${id}/pdf`, { headers: { authorization: `Bearer ${tenant.key}` } });
	try {
		await (await pdfOf(invoiceIds.get("warm-up")[0])).arrayBuffer();
		for (const { lines } of SIZES) {
			const ids = invoiceIds.get(lines);
			let bytes = 0;
			const cpuAtStart = runtimeCpuSeconds(server.pid);
			const wallStart = performance.now();
			for (const id of ids) {
				const response = await pdfOf(id);
				const body = new Uint8Array(await response.arrayBuffer());
				if (response.status !== 200 || !Buffer.from(body.subarray(0, 5)).toString().startsWith("%PDF-")) {
					throw new Error(`invoice ${id}: ${response.status} ${Buffer.from(body.subarray(0, 200)).toString()}`);
				}
				bytes += body.length;
			}
			const wallMs = performance.now() - wallStart;
			const cpuAtEnd = runtimeCpuSeconds(server.pid);
			const cpuMs = cpuAtStart === null || cpuAtEnd === null ? null : (cpuAtEnd - cpuAtStart) * 1000;
			rows.push({
				lines,
				count: ids.length,
				cpuMs: cpuMs === null ? null : cpuMs / ids.length,
				wallMs: wallMs / ids.length,
				kb: bytes / ids.length / 1024,
			});
			log(`${lines} lines: ${rows.at(-1).cpuMs?.toFixed(1)} ms CPU, ${rows.at(-1).wallMs.toFixed(1)} ms per document`);
		}
		const stored = await withD1(state, databaseId, (db) =>
			db.prepare("SELECT count(*) AS n FROM documents WHERE tenant_id = ?1").bind(tenant.id).first(),
		);
		if (stored.n !== 1 + SIZES.reduce((n, s) => n + s.count, 0)) throw new Error(`${stored.n} documents stored`);
	} finally {
		await server.stop();
	}
	rmSync(state, { recursive: true, force: true });

	log("bundle: wrangler deploy --dry-run of wrangler.toml");
	const size = productBundle();
	const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
	writeFileSync(
		path.join(ROOT, "bench", "DOCUMENTS.md"),
		`# Document rendering benchmark

Generated by \`npm run bench:documents\` on ${new Date().toISOString().slice(0, 10)}; Miniflare (local workerd, D1,
R2), ${machine.cores} cores (${machine.cpuModel}), Node ${process.version}, load average at start
${machine.loadAverageAtStart.join(" / ")} (1/5/15 min). Each invoice was finalized through the
API, its stored PDF forgotten, and its PDF then asked for once on a fresh server (after one uncounted
request that starts the isolate and loads the fonts), one request at a time: the
whole path of a first request (load the invoice, render it with the embedded Unicode fonts, store it in R2
with its SHA-256, record it, answer). CPU is the \`workerd\` process's (all threads) over those requests.

| invoice | documents | runtime CPU per document | wall time per document | PDF size |
| --- | ---: | ---: | ---: | ---: |
${rows.map((r) => `| ${r.lines} lines | ${r.count} | ${r.cpuMs === null ? "–" : `${r.cpuMs.toFixed(1)} ms`} | ${r.wallMs.toFixed(1)} ms | ${r.kb.toFixed(0)} KiB |`).join("\n")}

The deployable bundle (\`wrangler deploy --dry-run\` of wrangler.toml, minified) is ${kib(size.raw)}, ${kib(size.gzip)}
gzipped (the Workers limit is 1 MiB gzipped on the free plan); it carries the subset DejaVu fonts
(src/documents/fonts, ${kib(fontsBytes())} as files).
`,
	);
	log("wrote bench/DOCUMENTS.md");
}

runToEnd(main);
