// One error class with a closed set of codes, each mapped to its HTTP status, rendered as an
// RFC 9457 problem document. Business failures throw AppError; anything else is a bug and is
// answered as an opaque 500 (no stack traces, ever).

export const errorCatalog = {
	invalid_request: { status: 400, title: "Invalid request" },
	malformed_json: { status: 400, title: "Malformed JSON body" },
	unauthenticated: { status: 401, title: "Authentication required" },
	payment_method_invalid: { status: 402, title: "The payment method cannot be used" },
	forbidden: { status: 403, title: "Permission denied" },
	not_found: { status: 404, title: "Resource not found" },
	route_not_found: { status: 404, title: "No such route" },
	method_not_allowed: { status: 405, title: "Method not allowed" },
	conflict: { status: 409, title: "Conflict" },
	invalid_state: { status: 409, title: "Operation not allowed in the current state" },
	version_conflict: { status: 409, title: "Stale version" },
	idempotency_in_progress: { status: 409, title: "A request with this idempotency key is in progress" },
	precondition_failed: { status: 412, title: "Precondition failed" },
	payload_too_large: { status: 413, title: "Request body too large" },
	unsupported_media_type: { status: 415, title: "Unsupported media type" },
	validation_failed: { status: 422, title: "Validation failed" },
	idempotency_key_reused: { status: 422, title: "Idempotency key reused with a different request" },
	rate_limited: { status: 429, title: "Too many requests" },
	internal_error: { status: 500, title: "Internal server error" },
	upstream_failed: { status: 502, title: "An external service failed" },
	service_unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export type FieldError = {
	/** Where the field lives: body, query, path or header. */
	location: string;
	/** Dotted path of the field inside that location, e.g. `billing_address.country`. */
	field: string;
	message: string;
};

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly status: number;
	readonly errors?: FieldError[];
	readonly headers?: Record<string, string>;
	readonly extensions?: Record<string, unknown>;

	constructor(
		code: ErrorCode,
		detail: string,
		options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
	) {
		super(detail);
		this.name = "AppError";
		this.code = code;
		this.status = errorCatalog[code].status;
		this.errors = options.errors;
		this.headers = options.headers;
		this.extensions = options.extensions;
	}
}

export const notFound = (resource: string, id: string) =>
	new AppError("not_found", `No ${resource} with id '${id}' exists.`, { extensions: { resource, id } });

export const fieldInvalid = (location: string, field: string, message: string) =>
	new AppError("validation_failed", `${field}: ${message}`, { errors: [{ location, field, message }] });

export type Problem = {
	type: string;
	title: string;
	status: number;
	detail: string;
	instance: string;
	code: ErrorCode;
	request_id: string;
	errors?: FieldError[];
	[extension: string]: unknown;
};

export const problemType = (code: ErrorCode) => `/problems/${code}`;

export function toProblem(error: AppError, instance: string, requestId: string): Problem {
	return {
		...error.extensions,
		type: problemType(error.code),
		title: errorCatalog[error.code].title,
		status: error.status,
		detail: error.message,
		instance,
		code: error.code,
		request_id: requestId,
		...(error.errors ? { errors: error.errors } : {}),
	};
}

/**
 * A surface with its own error conventions (another seed's dialect): the paths it serves, and the
 * status and body it gives an error there instead of the canonical problem document.
 */
export type ErrorSurface = {
	matches: (path: string) => boolean;
	render: (error: AppError, instance: string, requestId: string) => { status: number } & Record<string, unknown>;
};

export function problemResponse(problem: { status: number }, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(problem), {
		status: problem.status,
		headers: { "content-type": "application/problem+json", ...headers },
	});
}
