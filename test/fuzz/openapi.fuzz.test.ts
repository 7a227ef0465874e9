import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { expect, it } from "vitest";
import worker from "../../src/index";
import { adminToken, api, newKey, newTenant } from "../helpers/api";
import { objectFactories, objectWorld } from "../helpers/objectFactories";
import { type JsonSchema, type Mutation, SchemaArbitraries, serializeBody } from "./schemaArbitraries";

// Every operation of the OpenAPI document the app serves, sent generated valid and hostile requests:
// no 5xx, every 4xx in the operation's declared error shape naming the field at fault, and requests
// the schema accepts are not refused by validation. A route added to the app is fuzzed without any
// change here. FUZZ_BUDGET (requests), FUZZ_SEED and FUZZ_CONCURRENCY make a run bounded and repeatable
// (`npm run fuzz`; vitest.config.ts sets the suite's budget).
//
// Throughput: requests go to the Worker's fetch handler in this isolate, each with its own execution
// context whose background work is awaited, rather than through SELF.fetch: in
// @cloudflare/vitest-pool-workers 0.15 every SELF.fetch wraps the entrypoint's prototype in one more Proxy
// (workers-sdk#15092), so each request costs more than the one before. Measured on 2 shared cores under a
// load average of 8 to 10: through SELF.fetch a request took 10 ms at first and 700 ms after 1,400 (600 fuzz
// requests took 60 s, 2,000 did not finish in 14 minutes); called directly, 4 at once, 18,000 took 51 s
// inside the full suite (355 a second) and 20,000 took 168 to 191 s (105 to 119 a second) under that load.
// Generating the requests and making each tenant's objects cost under 5 %. The suite sends 20,000
// (vitest.config.ts): about a minute, three when the machine is busy with other work.

const BUDGET = Number(env.FUZZ_BUDGET ?? 20_000);
const SEED = Number(env.FUZZ_SEED ?? 26);
/** Below the rate limit of 600 a minute per key. */
const REQUESTS_PER_KEY = 500;
/**
 * The operator's credential is one key, limited like any other, and it also makes every fuzzing tenant:
 * each operator operation gets at most this many requests, whatever the budget.
 */
const OPERATOR_REQUESTS = 100;
/**
 * Requests one fuzzing tenant takes before a fresh one is made. Each tenant's objects are made through
 * SELF.fetch, and every SELF.fetch nests the Worker's entrypoint one proxy deeper (workers-sdk#15092):
 * past about twenty tenants' worth the stack overflows, so a large budget makes fewer, busier tenants.
 */
const REQUESTS_PER_TENANT = Math.max(1_500, Math.ceil(BUDGET / 14));
/** Requests in flight at once, within one operation's requests. */
const CONCURRENCY = Number(env.FUZZ_CONCURRENCY ?? 4);
/** A request still unanswered after this long is a hang, reported as a violation. */
const ANSWER_WITHIN_MS = 10_000;
/** The answer, or undefined when none comes within `ms`; the timer is cleared either way (workerd caps active ones). */
async function within<T>(answer: Promise<T>, ms: number): Promise<T | undefined> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([
			answer,
			new Promise<undefined>((resolve) => {
				timer = setTimeout(() => resolve(undefined), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** What a zod schema check says (as opposed to a business rule naming a field). */
const SCHEMA_REFUSAL =
	/^(Invalid input|Too (big|small)|Invalid (option|string|format|email|url|ISO|date|datetime|literal)|is required$|is not a recognized (field|parameter)$|is empty: )/i;

type Operation = {
	method: string;
	template: string;
	parameters: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
	body?: JsonSchema;
	bodyTypes: string[];
	responses: Record<string, { content?: Record<string, unknown> }>;
	operator: boolean;
};

type Expectation = { valid: boolean; refused: boolean; location?: string; field?: string; kind: string };

type FuzzRequest = {
	method: string;
	path: string;
	query: string;
	headers: Record<string, string>;
	body?: string;
	expect: Expectation;
};

const RAW_QUERY_VALUES = [
	"",
	"%00",
	"%ED%A0%80",
	"%FF",
	"-1",
	"0",
	"1.5",
	"9007199254740993",
	"1e308",
	"a".repeat(6_000),
];
/** Bodies that are not what the operation takes: each is refused whole. */
const HOSTILE_ENVELOPES: [contentType: string, body: string][] = [
	["text/plain", "{}"],
	["application/json", "{"],
	["application/json", "[1,2]"],
	["application/json", '"text"'],
	["application/json", "null"],
	["application/json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
	["application/json", `{"a":"${"x".repeat(1_100_000)}"}`],
	["application/xml", "<a/>"],
];

const RAW_PATH_IDS = [
	"not-an-id",
	"%00",
	"%ED%A0%80",
	"null",
	"-1",
	"x".repeat(2_000),
	"cus_0000000000000000000000000!",
];

function operationsOf(doc: any): Operation[] {
	return Object.entries<any>(doc.paths).flatMap(([template, item]) =>
		METHODS.filter((method) => item[method]).map((method) => {
			const op = item[method];
			const content = op.requestBody?.content ?? {};
			return {
				method: method.toUpperCase(),
				template,
				parameters: op.parameters ?? [],
				body: content["application/json"]?.schema,
				bodyTypes: Object.keys(content),
				responses: op.responses ?? {},
				operator: template.startsWith("/v1/admin"),
			};
		}),
	);
}

function requestsFor(op: Operation, arbs: SchemaArbitraries): fc.Arbitrary<FuzzRequest> {
	const pathParams = op.parameters.filter((p) => p.in === "path");
	const queryParams = op.parameters.filter((p) => p.in === "query");
	const validPath = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, arbs.valid(p.schema, p.name)])));
	const validQuery = fc
		.tuple(
			...queryParams.map((p) =>
				p.required ? arbs.validQueryEntries(p.schema, p.name) : fc.option(arbs.validQueryEntries(p.schema, p.name)),
			),
		)
		.map((perParameter) => new URLSearchParams(perParameter.flatMap((entries) => entries ?? [])).toString());
	const validBody = op.body ? arbs.valid(op.body).map((value) => ({ value })) : fc.constant(undefined);
	const build = (
		path: Record<string, unknown>,
		query: string,
		body: { value: unknown } | undefined,
		expectation: Expectation,
		headers: Record<string, string> = {},
		rawBody?: string,
	): FuzzRequest => ({
		method: op.method,
		path: op.template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(path[name]))),
		query,
		headers: body || rawBody !== undefined ? { "content-type": "application/json", ...headers } : headers,
		body: rawBody ?? (body ? serializeBody(body.value) : undefined),
		expect: expectation,
	});
	const valid = fc
		.tuple(validPath, validQuery, validBody)
		.map(([path, query, body]) => build(path, query, body, { valid: true, refused: false, kind: "valid" }));

	const variants: fc.Arbitrary<FuzzRequest>[] = [valid];
	if (op.body) {
		variants.push(
			fc.tuple(validPath, validQuery, validBody).chain(([path, query, body]) => {
				const mutations = arbs.mutations(op.body, body?.value);
				return mutations.length === 0
					? fc.constant(build(path, query, body, { valid: true, refused: false, kind: "valid" }))
					: fc
							.constantFrom(...mutations)
							.map((m: Mutation) => build(path, query, { value: m.value }, { valid: false, location: "body", ...m }));
			}),
			fc
				.tuple(validPath, validQuery, fc.constantFrom(...HOSTILE_ENVELOPES))
				.map(([path, query, [contentType, raw]]) =>
					build(
						path,
						query,
						undefined,
						{ valid: false, refused: true, location: "body", kind: `envelope ${contentType}` },
						{ "content-type": contentType },
						raw,
					),
				),
		);
	}
	if (queryParams.length > 0) {
		variants.push(
			fc
				.tuple(validPath, validBody, fc.constantFrom(...queryParams), fc.constantFrom(...RAW_QUERY_VALUES))
				.map(([path, body, param, raw]) =>
					build(path, `${param.name}=${raw}`, body, {
						valid: false,
						// Whether a raw value breaks the schema depends on it; an empty one always does.
						refused: raw === "",
						location: "query",
						field: param.name,
						kind: "query value",
					}),
				),
		);
	}
	variants.push(
		fc.tuple(validPath, validQuery, validBody).map(([path, query, body]) =>
			build(path, query ? `${query}&unexpected_param=1` : "unexpected_param=1", body, {
				valid: false,
				refused: true,
				location: "query",
				field: "unexpected_param",
				kind: "unknown query parameter",
			}),
		),
	);
	if (pathParams.length > 0) {
		variants.push(
			fc
				.tuple(validPath, validQuery, validBody, fc.constantFrom(...pathParams), fc.constantFrom(...RAW_PATH_IDS))
				.map(([path, query, body, param, raw]) => {
					const request = build(path, query, body, {
						valid: false,
						refused: true,
						location: "path",
						field: param.name,
						kind: "path id",
					});
					request.path = op.template.replace(/\{(\w+)\}/g, (_, name) =>
						name === param.name ? raw : encodeURIComponent(String(path[name])),
					);
					return request;
				}),
		);
	}
	if (op.method !== "GET") {
		variants.push(
			fc.tuple(valid, fc.constantFrom("", "x".repeat(300), "key with spaces", "tab\there")).map(([request, key]) => {
				request.headers["idempotency-key"] = key;
				request.expect = { valid: false, refused: true, location: "header", field: "Idempotency-Key", kind: "key" };
				return request;
			}),
		);
	}
	// Reused keys meet each other's answers; fresh ones reach every route's commit, where a success must answer
	// its key (the afterEach of test/helpers/answersMissing.ts fails on one that did not).
	const retryKey = fc.option(fc.oneof(fc.constantFrom("fuzz-retry-1", "fuzz-retry-2"), fc.uuid()), { freq: 4 });
	return fc.tuple(fc.oneof(...variants), retryKey).map(([request, key]) => {
		if (key !== null && op.method !== "GET") request.headers["idempotency-key"] ??= key;
		return request;
	});
}

/** Why a response breaks the API's promises, or undefined when it keeps them. */
function violation(op: Operation, request: FuzzRequest, status: number, contentType: string, body: any) {
	if (status >= 500) return `answered ${status}`;
	const ex = request.expect;
	if (ex.refused && status < 300) return `accepted a request its schema refuses (${ex.kind} at ${ex.field})`;
	if (status < 400) return undefined;
	const declared = op.responses[String(status)]?.content;
	const expectedType = declared ? Object.keys(declared)[0] : "application/problem+json";
	if (!contentType.startsWith(expectedType ?? "")) return `a ${status} as ${contentType}, declared ${expectedType}`;
	if (!expectedType?.endsWith("problem+json")) return undefined;
	if (body?.status !== status || typeof body.type !== "string" || typeof body.title !== "string" || !body.code) {
		return `a ${status} that is not a problem document`;
	}
	const validation = status === 422 || (status === 400 && Array.isArray(body.errors));
	if (!validation || body.code === "malformed_json" || body.code === "idempotency_key_reused") return undefined;
	const errors: { location?: string; field?: string; message?: string }[] = body.errors ?? [];
	if (errors.length === 0) return `a ${status} ${body.code} naming no field`;
	if (errors.some((e) => typeof e.location !== "string" || typeof e.field !== "string")) {
		return "an error entry without location and field";
	}
	if (ex.valid) {
		const refusal = errors.find((e) => SCHEMA_REFUSAL.test(e.message ?? ""));
		if (refusal) return `refused a valid request: ${refusal.location}:${refusal.field} ${refusal.message}`;
	} else if (ex.refused && ex.location && ex.field !== undefined) {
		const wanted = ex.field;
		const named = errors.some(
			(e) =>
				e.location === ex.location &&
				(wanted === "" ||
					e.field === wanted ||
					e.field?.startsWith(`${wanted}.`) ||
					(e.field !== "" && wanted.startsWith(`${e.field}.`))),
		);
		if (!named) return `did not name ${ex.location}:${wanted} (${ex.kind}); named ${JSON.stringify(errors)}`;
	}
	return undefined;
}

type Answer = { status: number; contentType: string; text: string };

/** The Worker's answer to `request`, once the background work it started (waitUntil) has finished too. */
async function answerOf(request: FuzzRequest, authorization: string): Promise<Answer> {
	const ctx = createExecutionContext();
	const response = await worker.fetch(
		new Request(`https://billing.test${request.path}${request.query ? `?${request.query}` : ""}`, {
			method: request.method,
			headers: { authorization, ...request.headers },
			body: request.body,
		}),
		env,
		ctx,
	);
	const text = await response.text();
	await waitOnExecutionContext(ctx);
	return { status: response.status, contentType: response.headers.get("content-type") ?? "", text };
}

it(`answers ${BUDGET} generated requests over every operation without a 5xx, naming the field at fault`, {
	timeout: 60_000 + BUDGET * 50,
}, async () => {
	const doc = (await api("/openapi.json")).body;
	const operations = operationsOf(doc);
	expect(operations.length).toBeGreaterThan(100);

	const components = doc.components?.schemas ?? {};
	/**
	 * A fresh tenant with one object of every kind, so valid requests reach past "not found". Tenants are
	 * changed as requests accumulate: what a tenant gathers (webhook endpoints fanning out every event,
	 * jobs) would otherwise slow each later request.
	 */
	const fuzzTenant = async () => {
		const { key } = await newTenant();
		const world = objectWorld(key);
		const existing = new Map<string, string>();
		for (const kind of Object.keys(objectFactories)) existing.set(kind, await world.get(kind));
		return { adminKey: key, arbs: new SchemaArbitraries(components, (kind) => existing.get(kind)) };
	};
	let { adminKey, arbs } = await fuzzTenant();
	let sentInTenant = 0;

	let keySecret = adminKey;
	let sentWithKey = 0;
	const counts = new Map<number, number>();
	const failures: string[] = [];
	const perOperation = Math.max(1, Math.round(BUDGET / operations.length));

	const check = (op: Operation, request: FuzzRequest, answer: Answer | undefined) => {
		const sent = `${request.method} ${request.path.slice(0, 200)}?${request.query.slice(0, 200)} ${(request.body ?? "").slice(0, 300)}`;
		if (!answer) {
			failures.push(`${op.method} ${op.template}: no answer within ${ANSWER_WITHIN_MS} ms\n    sent ${sent}`);
			return;
		}
		const { status, contentType, text } = answer;
		counts.set(status, (counts.get(status) ?? 0) + 1);
		let parsed: unknown;
		try {
			parsed = contentType.includes("json") && text ? JSON.parse(text) : text;
		} catch {
			parsed = text;
		}
		const problem = violation(op, request, status, contentType, parsed);
		if (problem)
			failures.push(
				`${op.method} ${op.template}: ${problem}\n    sent ${sent}\n    got ${status} ${text.slice(0, 300)}`,
			);
	};

	const started = Date.now();
	for (const [index, op] of operations.entries()) {
		if (sentInTenant >= REQUESTS_PER_TENANT) {
			({ adminKey, arbs } = await fuzzTenant());
			keySecret = adminKey;
			sentWithKey = 0;
			sentInTenant = 0;
		}
		if (sentWithKey + perOperation > REQUESTS_PER_KEY) {
			keySecret = (await newKey(adminKey, "billing_admin")).secret;
			sentWithKey = 0;
		}
		const runs = op.operator ? Math.min(perOperation, OPERATOR_REQUESTS) : perOperation;
		sentInTenant += runs;
		sentWithKey += runs;
		const authorization = `Bearer ${op.operator ? adminToken() : keySecret}`;
		const requests = fc.sample(requestsFor(op, arbs), { seed: SEED + index, numRuns: runs });
		// A few requests of one operation at a time, so their waits on storage overlap.
		let next = 0;
		const lane = async () => {
			for (let request = requests[next++]; request; request = requests[next++]) {
				check(op, request, await within(answerOf(request, authorization), ANSWER_WITHIN_MS));
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, lane));
	}
	const seconds = (Date.now() - started) / 1000;
	const total = [...counts.values()].reduce((a, b) => a + b, 0);
	const byStatus = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
	console.log(
		`fuzz: ${total} requests over ${operations.length} operations, seed ${SEED}, ${CONCURRENCY} at once, in ${Math.round(seconds)} s (${Math.round(total / seconds)}/s); ${byStatus.join(", ")}`,
	);
	expect(failures.slice(0, 25), `${failures.length} violations; the first 25:`).toEqual([]);
});
