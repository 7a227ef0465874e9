// The benchmark's Wrangler configuration, derived from wrangler.toml at run time (so it follows every
// binding the project adds) and written to bench/.out/wrangler.bench.json. The differences, all local:
//   - main is bench/worker.ts: src/index.ts behind the baselines' /__bench routes, plus their BenchDO class;
//   - the static assets' directory (the docs page's files, copied first) as an absolute path;
//   - a BENCH_DO Durable Object binding (and its migration) for the Durable-Object-writes-D1 baseline;
//   - vars: ENVIRONMENT=development, WEBHOOK_ALLOW_LOCALHOST=true, a bench ADMIN_TOKEN;
//   - every Rate Limiting binding raised to 1,000,000 per minute, so the limiter is called on every request
//     (its cost is measured) but never refuses one (its 600/min per key would otherwise be the result).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { experimental_readRawConfig } from "wrangler";
import { copyDocsAssets } from "../scripts/docs-assets.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUT = path.join(ROOT, "bench", ".out");
export const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
export const BENCH_RATE_LIMIT = 1_000_000;

/** Writes the configuration for `entry` (bench/worker.ts, or bench/instrumented-worker.ts for diagnostics). */
export function writeBenchConfig({ entry = "worker.ts", file = "wrangler.bench.json", logLevel = "info" } = {}) {
	const { rawConfig } = experimental_readRawConfig({ config: path.join(ROOT, "wrangler.toml") });
	const config = structuredClone(rawConfig);
	config.main = path.join(ROOT, "bench", entry);
	if (config.assets) {
		copyDocsAssets();
		config.assets = { ...config.assets, directory: path.resolve(ROOT, config.assets.directory) };
	}
	config.d1_databases = (config.d1_databases ?? []).map((db) => ({
		...db,
		migrations_dir: path.resolve(ROOT, db.migrations_dir ?? "migrations"),
	}));
	config.vars = {
		...config.vars,
		ENVIRONMENT: "development",
		LOG_LEVEL: logLevel,
		WEBHOOK_ALLOW_LOCALHOST: "true",
		ADMIN_TOKEN,
	};
	config.ratelimits = (config.ratelimits ?? []).map((limit) => ({
		...limit,
		simple: { ...limit.simple, limit: BENCH_RATE_LIMIT },
	}));
	config.durable_objects = {
		...config.durable_objects,
		bindings: [...(config.durable_objects?.bindings ?? []), { name: "BENCH_DO", class_name: "BenchDO" }],
	};
	config.migrations = [...(config.migrations ?? []), { tag: "bench-baselines", new_sqlite_classes: ["BenchDO"] }];
	config.send_metrics = false;
	mkdirSync(OUT, { recursive: true });
	const target = path.join(OUT, file);
	writeFileSync(target, `${JSON.stringify(config, null, "\t")}\n`);
	return target;
}
