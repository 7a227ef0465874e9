#!/usr/bin/env node
// Copies Swagger UI's files from the swagger-ui-dist package into dist/assets/docs-assets/, which
// wrangler.toml serves as Workers Static Assets: /docs then works without network and the Worker's
// bundle does not carry them. `npm start`, the tests (vitest.config.ts) and `npm run deploy` run it.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FILES = ["swagger-ui.css", "swagger-ui-bundle.js"];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function copyDocsAssets() {
	const source = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
	const target = path.join(root, "dist/assets/docs-assets");
	mkdirSync(target, { recursive: true });
	for (const file of FILES) copyFileSync(path.join(source, file), path.join(target, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyDocsAssets();
