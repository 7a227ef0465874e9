#!/usr/bin/env node
// Fails when the project's modules import each other in a cycle (type-only imports count too): the
// layers stay a tree — routes → services → the account object's client and contract, and the object's
// operations → services' helpers — so no module needs another that needs it back.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOTS = ["src", "durable-objects", "queues"];
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

function* sources(dir) {
	for (const name of readdirSync(dir)) {
		const file = path.join(dir, name);
		if (statSync(file).isDirectory()) yield* sources(file);
		else if (file.endsWith(".ts")) yield file;
	}
}

function resolve(from, specifier) {
	if (!specifier.startsWith(".")) return undefined;
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {}
	}
	return undefined;
}

const graph = new Map();
for (const dir of ROOTS) {
	for (const file of sources(path.join(root, dir))) {
		const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
		graph.set(file, [...new Set(importedFiles.map((i) => resolve(file, i.fileName)).filter(Boolean))]);
	}
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
function visit(file) {
	const node = { index, low: index, onStack: true };
	index += 1;
	state.set(file, node);
	stack.push(file);
	for (const next of graph.get(file) ?? []) {
		const seen = state.get(next);
		if (!seen) {
			visit(next);
			node.low = Math.min(node.low, state.get(next).low);
		} else if (seen.onStack) node.low = Math.min(node.low, seen.index);
	}
	if (node.low === node.index) {
		const component = [];
		let member;
		do {
			member = stack.pop();
			state.get(member).onStack = false;
			component.push(path.relative(root, member));
		} while (member !== file);
		if (component.length > 1) cycles.push(component.sort());
	}
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (cycles.length > 0) {
	for (const cycle of cycles) console.error(`import cycle of ${cycle.length} modules:\n  ${cycle.join("\n  ")}`);
	process.exit(1);
}
console.log(`no import cycles among ${graph.size} modules`);
