#!/usr/bin/env node
// `npm start`: prepares the local environment and runs the API on loopback with embedded D1, R2,
// Durable Objects and Queues (no Cloudflare account, no network):
//   1. creates .dev.vars from .dev.vars.example on first run,
//   2. applies the D1 migrations to the local database,
//   3. makes sure the demo tenant, its API key and its SYSADMIN user exist, and prints their credentials,
//   4. starts `wrangler dev` and stops it when this process is stopped.
import { spawn, spawnSync } from "node:child_process";
import { createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { copyDocsAssets } from "./docs-assets.mjs";

const PORT = process.env.PORT ?? "8787";
const wrangler = ["node_modules/.bin/wrangler"];
const quiet = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

if (!existsSync(".dev.vars")) {
	copyFileSync(".dev.vars.example", ".dev.vars");
	console.log("Created .dev.vars from .dev.vars.example");
}
const vars = Object.fromEntries(
	readFileSync(".dev.vars", "utf8")
		.split("\n")
		.map((line) => /^\s*([A-Z_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line))
		.filter(Boolean)
		.map((m) => [m[1], m[2]]),
);

function run(args) {
	const result = spawnSync(wrangler[0], args, { stdio: ["ignore", "pipe", "inherit"], env: quiet, encoding: "utf8" });
	if (result.status !== 0) {
		process.stdout.write(result.stdout ?? "");
		process.exit(result.status ?? 1);
	}
}

run(["d1", "migrations", "apply", "DB", "--local"]);
copyDocsAssets();

const demoKey = vars.DEMO_API_KEY;
if (demoKey) {
	const now = new Date().toISOString();
	const hash = createHash("sha256").update(demoKey).digest("hex");
	const tenantId = "ten_0000000000000000000000DEM0";
	const keyId = "key_0000000000000000000000DEM0";
	run([
		"d1",
		"execute",
		"DB",
		"--local",
		"--command",
		`INSERT OR IGNORE INTO tenants (id, name, default_currency, created_at) VALUES ('${tenantId}', 'Demo tenant', 'EUR', '${now}');
		 INSERT OR IGNORE INTO api_keys (id, tenant_id, name, secret_hash, prefix, role, created_by, created_at)
		 VALUES ('${keyId}', '${tenantId}', 'Demo key', '${hash}', '${demoKey.slice(0, 11)}', 'billing_admin', 'dev-setup', '${now}');`,
	]);
}

const demoEmail = vars.DEMO_ADMIN_EMAIL;
const demoPassword = vars.DEMO_ADMIN_PASSWORD;
if (demoKey && demoEmail && demoPassword) {
	// The same form as src/lib/password.ts writes: pbkdf2-sha256$<iterations>$<salt>$<hash>.
	const salt = randomBytes(16);
	const hash = pbkdf2Sync(demoPassword, salt, 100_000, 32, "sha256");
	const passwordHash = `pbkdf2-sha256$100000$${salt.toString("base64")}$${hash.toString("base64")}`;
	const now = new Date().toISOString();
	run([
		"d1",
		"execute",
		"DB",
		"--local",
		"--command",
		`INSERT OR IGNORE INTO users (id, tenant_id, email, full_name, role, status, password_hash, created_at, updated_at, decided_at)
		 VALUES ('usr_0000000000000000000000DEM0', 'ten_0000000000000000000000DEM0', '${demoEmail.toLowerCase()}', 'Demo admin',
		 'SYSADMIN', 'ACTIVE', '${passwordHash}', '${now}', '${now}', '${now}');`,
	]);
}

console.log(`
  Billing API  http://127.0.0.1:${PORT}
  API docs     http://127.0.0.1:${PORT}/docs   (OpenAPI: /openapi.json)
  Demo API key ${demoKey ?? "(set DEMO_API_KEY in .dev.vars)"}
  SYSADMIN     ${demoEmail && demoPassword ? `${demoEmail} / ${demoPassword}  (POST /api/v1/auth/login)` : "(set DEMO_ADMIN_EMAIL and DEMO_ADMIN_PASSWORD in .dev.vars)"}
  Operator     ${vars.ADMIN_TOKEN ? "ADMIN_TOKEN from .dev.vars, for POST /v1/admin/tenants" : "(set ADMIN_TOKEN in .dev.vars)"}

  curl -H "Authorization: Bearer ${demoKey}" http://127.0.0.1:${PORT}/v1/billing/customers
`);

const dev = spawn(wrangler[0], ["dev", "--ip", "127.0.0.1", "--port", PORT, ...process.argv.slice(2)], {
	stdio: "inherit",
	env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
