import fc from "fast-check";
import { expect, it } from "vitest";
import { type JsonSchema, SchemaArbitraries, serializeBody } from "../fuzz/schemaArbitraries";
import { api, newTenant } from "../helpers/api";
import { idKindOfField, idKindOfPattern, objectWorld } from "../helpers/objectFactories";
import { newUser, newUserTenant } from "../helpers/users";

// Isolation, swept from the OpenAPI document: every route taking an object's id in its path, called with
// another tenant's key, answers 404 (reads and writes alike) and changes nothing; every list filter taking
// an id shows nothing of the other tenant. The same sweep with a CUSTOMER user bound to another customer of
// the tenant: 404 for what is not its customer's, 403 where its role may not go, nothing shown. A new route is swept without any change
// here; one whose id kind has no factory (test/helpers/objectFactories.ts) fails until one is added.

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
/** Tries at a body that passes validation, so the route reaches its lookup. */
const BODY_ATTEMPTS = 12;

type Operation = { method: string; template: string; parameters: any[]; body?: JsonSchema };

function operationsOf(doc: any): Operation[] {
	return Object.entries<any>(doc.paths).flatMap(([template, item]) =>
		METHODS.filter((method) => item[method]).map((method) => ({
			method: method.toUpperCase(),
			template,
			parameters: item[method].parameters ?? [],
			body: item[method].requestBody?.content?.["application/json"]?.schema,
		})),
	);
}

const kindOf = (parameter: { name: string; schema?: JsonSchema }) =>
	idKindOfPattern(parameter.schema?.pattern) ?? idKindOfField[parameter.name];

type Answer = { status: number; body: any };

/** The operator's routes take a tenant's id in their path: to any tenant's credential they are closed. */
const operatorOnly = (op: Operation, res: Answer) =>
	op.template.startsWith("/v1/admin/") && res.status === 403 && res.body?.code === "forbidden";

/** Validation refused the request (422 on the canonical API, 400 on the seeds' surfaces that answer so). */
const refusedAsInvalid = (res: Answer) =>
	res.status === 422 || (res.status === 400 && res.body?.code === "validation_failed");

/** Another tenant's key: every id of the owner's is unknown to it. */
const unknownToIt = (res: Answer) => res.status === 404 && res.body?.code === "not_found";

/** A CUSTOMER user of the same tenant: another customer's objects are unknown, the rest closed to it. */
const unknownOrClosed = (res: Answer) =>
	(res.status === 404 && res.body?.code === "not_found") || (res.status === 403 && res.body?.code === "forbidden");

it("answers another tenant's ids with 404 on every route, lists none of its objects, and changes none", {
	timeout: 240_000,
}, async () => {
	const owner = await newTenant();
	await sweep(owner.key, (await newTenant()).key, unknownToIt);
});

it("answers a CUSTOMER user with 404 or 403 for another customer's objects on every route, and shows it none", {
	timeout: 240_000,
}, async () => {
	const owner = await newUserTenant();
	const ownCustomer = (await api("/v1/billing/customers", { key: owner.key, body: { name: "Own customer" } })).body;
	const customerUser = await newUser(owner.tenantId, "CUSTOMER", { customerId: ownCustomer.id });
	await sweep(owner.key, customerUser.token, unknownOrClosed);
});

/**
 * Makes an object of every id kind the document takes with `ownerKey`, then calls every route with one of
 * those ids, and every list, with `intruderKey`: each call must be `refused`, no answer may show an owner's
 * id, and the owner's objects must read the same afterwards.
 */
async function sweep(ownerKey: string, intruderKey: string, refused: (res: Answer) => boolean) {
	const doc = (await api("/openapi.json")).body;
	const operations = operationsOf(doc);
	const owner = { key: ownerKey };
	const intruder = { key: intruderKey };
	const owned = objectWorld(owner.key);
	const problems: string[] = [];

	// Every id kind the document takes in a path or a list filter, made in the owner's tenant.
	const ids = new Map<string, string>();
	for (const op of operations) {
		for (const parameter of op.parameters) {
			const takesId = parameter.in === "path" || (parameter.in === "query" && parameter.name.endsWith("_id"));
			if (!takesId) continue;
			const kind = kindOf(parameter);
			if (!kind) {
				problems.push(`${op.method} ${op.template}: no id kind for ${parameter.in} parameter '${parameter.name}'`);
				continue;
			}
			if (!ids.has(kind)) ids.set(kind, await owned.get(kind));
		}
	}
	expect(problems).toEqual([]);
	// Seed 001's numeric ids are small numbers any answer may hold: the owner's objects show by their own ids.
	const ownedIds = [...ids].filter(([kind]) => kind !== "n").map(([, id]) => id);
	/** The owner's ids in an answer, other than those the request named itself (a 404 may echo its id). */
	const leaked = (text: string, sent: string) => ownedIds.filter((id) => !sent.includes(id) && text.includes(id));

	// The owner's view of each object with a GET route, before and after the intruder's attempts.
	const readers = operations.filter(
		(op) =>
			op.method === "GET" && op.parameters.filter((p) => p.in === "path").length === 1 && /\{id\}$/.test(op.template),
	);
	const ownerView = async () =>
		Object.fromEntries(
			await Promise.all(
				readers.flatMap((op) => {
					const kind = kindOf(op.parameters.find((p) => p.in === "path"));
					const id = kind ? ids.get(kind) : undefined;
					if (!id) return [];
					const path = op.template.replace("{id}", id);
					return [api(path, { key: owner.key }).then((res) => [path, res.status === 200 ? res.text : undefined])];
				}),
			),
		);
	await new Promise((resolve) => setTimeout(resolve, 1_500)); // background jobs and deliveries settle
	const before = await ownerView();

	const arbs = new SchemaArbitraries(doc.components?.schemas ?? {}, (kind) => ids.get(kind));
	for (const [index, op] of operations.entries()) {
		const pathParams = op.parameters.filter((p) => p.in === "path");
		if (pathParams.length === 0) continue;
		const path = op.template.replace(/\{(\w+)\}/g, (_, name) => {
			const parameter = pathParams.find((p) => p.name === name);
			return ids.get(kindOf(parameter) ?? "") ?? "";
		});
		const requiredQuery = op.parameters.filter((p) => p.in === "query" && p.required);
		const bodies: (string | undefined)[] = [undefined];
		if (op.body) {
			const schema = arbs.resolve(op.body);
			bodies.splice(0, 1, ...(schema.example ? [JSON.stringify(schema.example)] : []));
			bodies.push(...fc.sample(arbs.valid(op.body), { seed: index, numRuns: BODY_ATTEMPTS }).map(serializeBody));
		}
		const query = requiredQuery
			.map(
				(p) =>
					`${p.name}=${encodeURIComponent(String(fc.sample(arbs.valid(p.schema, p.name), { seed: index, numRuns: 1 })[0]))}`,
			)
			.join("&");
		let last = "";
		for (const body of bodies) {
			const res = await api(`${path}${query ? `?${query}` : ""}`, {
				key: intruder.key,
				method: op.method,
				rawBody: body,
				headers: body === undefined ? {} : { "content-type": "application/json" },
			});
			last = `${res.status} ${res.text.slice(0, 300)}`;
			if (leaked(res.text, path).length > 0)
				problems.push(`${op.method} ${path}: the answer shows the owner's ids: ${last}`);
			if (refused(res) || operatorOnly(op, res)) break;
			// A body the route's validation refuses never reaches the lookup: try the next one.
			if (refusedAsInvalid(res) && body !== bodies.at(-1)) continue;
			problems.push(`${op.method} ${path} with the intruder's credential: expected a refusal, got ${last}`);
			break;
		}
	}

	// Lists: unfiltered, and with each id filter set to the owner's object, show the intruder nothing of the owner's.
	for (const op of operations.filter((o) => o.method === "GET" && !o.parameters.some((p) => p.in === "path"))) {
		const filters = op.parameters.filter((p) => p.in === "query" && p.name.endsWith("_id"));
		const queries = ["", ...filters.map((p) => `${p.name}=${ids.get(kindOf(p) ?? "")}`)];
		for (const query of queries) {
			const res = await api(`${op.template}${query ? `?${query}` : ""}`, { key: intruder.key });
			if (res.status >= 500) problems.push(`GET ${op.template}?${query}: ${res.status} ${res.text.slice(0, 200)}`);
			const shown = leaked(res.status < 400 ? JSON.stringify(res.body?.data ?? res.body) : res.text, query);
			if (shown.length > 0) problems.push(`GET ${op.template}?${query} shows the owner's ${shown.join(", ")}`);
		}
	}

	const after = await ownerView();
	for (const [path, view] of Object.entries(before)) {
		if (view !== undefined && after[path] !== view)
			problems.push(`the owner's ${path} changed:\n    before ${view}\n    after  ${after[path]}`);
	}
	expect(problems).toEqual([]);
}
