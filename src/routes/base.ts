import { coerceInputs, OpenAPIRoute, type OpenAPIRouteSchema } from "chanfana";
import { z } from "zod";
import type { Permission } from "../domain/permissions";
import { type AppContext, isTenantAuth, tenantContext } from "../lib/context";
import { AppError, notFound } from "../lib/errors";
import { answerTakenKey, holdKey, isKeyTaken } from "../lib/idempotency";
import { problemResponse } from "../schemas/common";
import { fieldErrorsOf } from "../schemas/validation";
import { type OwnedResource, ownerOf } from "../services/users/ownership";
import { type DeclaredQuery, declaredQuery, type ReadQuery, readQuery } from "./queryParameters";

/**
 * Who may call a route: anyone, the operator (ADMIN_TOKEN), or a tenant's API key or user token whose
 * role holds a permission. Every route declares it; the check runs before validation so a caller
 * without access learns nothing about the request shape.
 */
export type Access = "public" | "operator" | Permission;

/**
 * Where a route finds the customer a request touches, so that a caller bound to one customer (a
 * CUSTOMER user) reaches only its own: anything else answers 404, as another tenant's would. A list
 * filtered by a customer query field gets the caller's customer when the field is not sent. Routes
 * that declare none refuse such callers.
 */
export type CustomerOwnership = { in: "params" | "query" | "body"; field: string; of: OwnedResource };

const sharedErrorResponses = {
	"401": problemResponse("Missing, unknown, revoked or expired credential"),
	"403": problemResponse("The credential lacks the permission this route needs"),
	"422": problemResponse("Validation failed; `errors` names each invalid field"),
	"429": problemResponse("Rate limited; see Retry-After"),
	"500": problemResponse("Internal error"),
};

/**
 * A route's schema is the same for every request (chanfana makes a route object per request): its
 * OpenAPI form and its request validator are built once per route class.
 */
const schemasByRoute = new WeakMap<object, OpenAPIRouteSchema>();
const validatorsByRoute = new WeakMap<object, z.ZodObject>();
const queriesByRoute = new WeakMap<object, DeclaredQuery>();

export abstract class ApiRoute extends OpenAPIRoute<[AppContext]> {
	abstract readonly access: Access;
	/**
	 * The route claims the request's Idempotency-Key before its handler runs, and the middleware stores the
	 * answer after it: for a request that is more than one commit (several batches, an external service, a
	 * job). Any other route's change answers the key in its own commit (`Change.answers`, changeLog.ts).
	 */
	protected readonly claimsKeyFirst: boolean = false;
	protected readonly ownership?: CustomerOwnership;

	override getSchema(): OpenAPIRouteSchema {
		let schema = schemasByRoute.get(this.constructor);
		if (!schema) {
			schema = this.documentedSchema();
			schemasByRoute.set(this.constructor, schema);
		}
		return schema;
	}

	private documentedSchema(): OpenAPIRouteSchema {
		const schema = super.getSchema();
		const { "401": unauthorized, "403": forbidden, ...alwaysPossible } = sharedErrorResponses;
		const accessErrors: NonNullable<OpenAPIRouteSchema["responses"]> =
			this.access === "public" ? {} : { "401": unauthorized, "403": forbidden };
		const accessNote =
			this.access === "public"
				? "No credential needed."
				: this.access === "operator"
					? "Needs the operator token (ADMIN_TOKEN)."
					: `Needs permission \`${this.access}\`.`;
		return {
			...schema,
			description: [schema.description, accessNote].filter(Boolean).join("\n\n"),
			security: this.access === "public" ? [] : [{ bearerAuth: [] }],
			responses: { ...accessErrors, ...alwaysPossible, ...schema.responses },
		};
	}

	override async execute(c: AppContext) {
		authorize(c, this.access);
		this.#query = this.readDeclaredQuery(c);
		const auth = c.get("auth");
		if (auth?.kind === "user" && auth.customerId !== null) await this.keepToOwnCustomer(c, auth.customerId);
		const requestKey = c.get("idempotencyKey");
		if (requestKey && this.claimsKeyFirst) await holdKey(c.get("db"), requestKey);
		try {
			return await super.execute(c);
		} catch (error) {
			if (requestKey && !requestKey.held) {
				// The batch that stored the answer failed with the request: nothing answers the key yet.
				requestKey.answered = false;
				if (isKeyTaken(error)) return answerTakenKey(c.get("db"), requestKey);
			}
			throw error;
		}
	}

	/** The customer a list is kept to when its caller did not name one (see `ownership`). */
	#ownCustomerFilter: string | undefined;

	/** The request's query string as the route declares it (`readDeclaredQuery`). */
	#query: ReadQuery | undefined;

	/**
	 * Every route, whether or not its handler validates, refuses query parameters it does not declare
	 * and empty values, before it touches anything; the values themselves are checked with the schema.
	 */
	private readDeclaredQuery(c: AppContext): ReadQuery {
		let declared = queriesByRoute.get(this.constructor);
		if (!declared) {
			declared = declaredQuery(this.getSchemaZod().request?.query);
			queriesByRoute.set(this.constructor, declared);
		}
		const query = readQuery(new URL(c.req.url).searchParams, declared);
		if (query.errors.length > 0) {
			const detail = query.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
			throw new AppError("validation_failed", detail, { errors: query.errors });
		}
		return query;
	}

	private async keepToOwnCustomer(c: AppContext, ownCustomerId: string) {
		if (!this.ownership) throw new AppError("forbidden", "This route is not open to customer users.");
		const { in: location, field, of } = this.ownership;
		const sent =
			location === "params"
				? c.req.param(field)
				: location === "query"
					? c.req.query(field)
					: (c.get("jsonBody") as Record<string, unknown> | undefined)?.[field];
		if (location === "query" && of === "customer" && !sent) {
			this.#ownCustomerFilter = ownCustomerId;
			return;
		}
		const id = typeof sent === "string" ? sent : "";
		if ((await ownerOf(tenantContext(c), of, id)) !== ownCustomerId) throw notFound(of, id);
	}

	/**
	 * The request's parts as sent, before validation (chanfana's form, with the same coercions). The body is
	 * the one bodyGuard read and parsed: chanfana's own version would read the request stream a second time.
	 * So every route's path is one where bodyGuard runs (app.ts).
	 */
	override async getUnvalidatedData() {
		if (this.unvalidatedData !== undefined) return this.unvalidatedData;
		const [c] = this.args;
		const { request } = this.getSchemaZod();
		const data: { params?: unknown; query?: unknown; headers?: Record<string, unknown>; body?: unknown } = {};
		if (request?.params) data.params = coerceInputs(c.req.param(), request.params);
		if (request?.query) {
			const { values, maps } = this.#query ?? this.readDeclaredQuery(c);
			data.query = { ...coerceInputs(values as unknown as Record<string, string>, request.query), ...maps };
			if (this.#ownCustomerFilter && this.ownership) {
				data.query = { ...(data.query as object), [this.ownership.field]: this.#ownCustomerFilter };
			}
		}
		if (request?.headers instanceof z.ZodObject) {
			const sent = Object.keys(request.headers.shape).flatMap((name) => {
				const value = c.req.header(name);
				return value === undefined ? [] : [[name, value]];
			});
			const coerced = coerceInputs(Object.fromEntries(sent), request.headers) ?? {};
			// An empty header is coerced to null: to the schema it is simply not there.
			data.headers = Object.fromEntries(Object.entries(coerced).filter(([, value]) => value !== null));
		}
		if (request?.body?.content?.["application/json"]?.schema) data.body = c.get("jsonBody");
		this.unvalidatedData = data;
		return data;
	}

	/** Validates with the route's zod schemas and reports every invalid field by location and path. */
	override async validateRequest() {
		const data = await this.getUnvalidatedData();
		const validator = this.requestValidator();
		if ("body" in validator.shape && data.body === undefined) data.body = {};
		const result = await validator.safeParseAsync(data, { reportInput: true });
		if (result.success) return result.data;
		const errors = fieldErrorsOf(result.error.issues);
		throw new AppError("validation_failed", errors.map((e) => `${e.field || e.location}: ${e.message}`).join("; "), {
			errors,
		});
	}

	/** One zod object over the request's parts (params, query, headers, JSON body), built once per route class. */
	private requestValidator(): z.ZodObject {
		let validator = validatorsByRoute.get(this.constructor);
		if (!validator) {
			const { request } = this.getSchemaZod();
			const parts: Record<string, z.ZodType> = {};
			if (request?.params) parts.params = request.params;
			if (request?.query) parts.query = request.query;
			if (request?.headers instanceof z.ZodType) parts.headers = request.headers;
			const body = request?.body?.content?.["application/json"]?.schema;
			if (body instanceof z.ZodType) parts.body = body;
			validator = z.object(parts);
			validatorsByRoute.set(this.constructor, validator);
		}
		return validator;
	}
}

/** Refuses the request unless its credential grants `access` (a route checks its own before it runs). */
export function authorize(c: AppContext, access: Access): void {
	if (access === "public") return;
	const auth = c.get("auth");
	if (!auth) {
		throw new AppError("unauthenticated", "Send an API key as 'Authorization: Bearer <key>'.", {
			headers: { "WWW-Authenticate": 'Bearer realm="billing"' },
		});
	}
	if (access === "operator") {
		if (auth.kind !== "operator") throw new AppError("forbidden", "This route needs the operator token.");
		return;
	}
	if (!isTenantAuth(auth)) throw new AppError("forbidden", "This route needs a tenant API key or a user's token.");
	if (!auth.permissions.has(access)) {
		const holder = auth.kind === "user" ? "user's" : "API key's";
		throw new AppError("forbidden", `The ${holder} role '${auth.role}' lacks the permission '${access}'.`, {
			extensions: { required_permission: access },
		});
	}
}
