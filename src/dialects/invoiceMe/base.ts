// Seed 004 (InvoiceMe): what every endpoint of its surface shares — the roles the seed lists per
// endpoint, RFC 7807 errors with a timestamp, Spring Data pages, decimal money.
import { z } from "zod";
import { currencyExponent, formatMinorUnits, parseMinorUnits } from "../../domain/currency";
import type { UserRole } from "../../domain/permissions";
import type { AppContext } from "../../lib/context";
import { AppError, type ErrorSurface, errorCatalog, fieldInvalid } from "../../lib/errors";
import { ApiRoute } from "../../routes/base";

/** The paths of this surface, under /api/v1 (seed 003 owns /api/v1/billing). */
export const INVOICE_ME_PREFIXES = ["auth", "customers", "invoices", "payments", "refunds", "dashboard", "users"].map(
	(resource) => `/api/v1/${resource}`,
);

/** Every 4xx the seed does not list is a 400; state conflicts are "business rule violations" (400) too. */
const STATUS_OVERRIDES: Partial<Record<string, number>> = {
	validation_failed: 400,
	invalid_state: 400,
	malformed_json: 400,
	unsupported_media_type: 400,
	payload_too_large: 400,
	idempotency_key_reused: 400,
	method_not_allowed: 400,
};

export const invoiceMeErrors: ErrorSurface = {
	matches: (path) => INVOICE_ME_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
	render: (error, instance, requestId) => ({
		type: `/problems/${error.code}`,
		title: errorCatalog[error.code].title,
		status: STATUS_OVERRIDES[error.code] ?? error.status,
		detail: error.message,
		instance,
		timestamp: new Date().toISOString(),
		code: error.code,
		requestId,
		...(error.errors ? { errors: error.errors } : {}),
		...error.extensions,
	}),
};

/**
 * An endpoint of this surface: a signed-in user needs one of the roles the seed lists for it (403
 * otherwise), an API key the permission `access` names, as on the canonical API.
 */
export abstract class InvoiceMeRoute extends ApiRoute {
	/** InvoiceMe answers in its own shape, read after its commits. */
	protected override readonly claimsKeyFirst = true;
	abstract readonly roles: readonly UserRole[];

	override async execute(c: AppContext) {
		const auth = c.get("auth");
		if (auth?.kind === "user" && !this.roles.includes(auth.role)) {
			throw new AppError("forbidden", `This endpoint is for ${this.roles.join(", ")}; the user is ${auth.role}.`);
		}
		return super.execute(c);
	}
}

export const problem = (description: string) => ({
	description,
	content: {
		"application/problem+json": {
			schema: z
				.object({
					type: z.string(),
					title: z.string(),
					status: z.number().int(),
					detail: z.string(),
					instance: z.string(),
					timestamp: z.string(),
				})
				.meta({ id: "InvoiceMeProblem" }),
		},
	},
});

/** A money amount as the seed sends it: a decimal string (or JSON number), checked against the currency later. */
export const decimalInput = z
	.union([z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal such as 12.50"), z.number()])
	.meta({ description: 'Decimal amount in major units, e.g. "120.50".', example: "120.50" });

export type DecimalInput = z.infer<typeof decimalInput>;

/** The amount in minor units of `currency`, or a 400 naming `field` when it has too many decimal places. */
export function minorUnits(value: DecimalInput, currency: string, field: string): number {
	const units = parseMinorUnits(value, currency);
	if (units === null) {
		const places = currencyExponent(currency);
		throw fieldInvalid("body", field, `must be a decimal with at most ${places} decimal places (${currency})`);
	}
	if (units < 0) throw fieldInvalid("body", field, "must not be negative");
	return units;
}

export const decimalOut = (amount: number, currency: string) => formatMinorUnits(amount, currency);

export const pageQuery = {
	page: z.coerce.number().int().min(0).max(1_000_000).default(0),
	size: z.coerce.number().int().min(1).max(100).default(20),
	sort: z
		.string()
		.regex(/^\w+(,(asc|desc))?$/i, "must be 'field' or 'field,asc|desc'")
		.optional(),
};

export type Sort = { field: string; direction: "asc" | "desc" };

/** `"companyName,asc"` as a field among `allowed` and a direction; the fallback when none is sent. */
export function parseSort(sort: string | undefined, allowed: readonly string[], fallback: Sort): Sort {
	if (!sort) return fallback;
	const [field = "", direction = "asc"] = sort.split(",");
	if (!allowed.includes(field)) throw fieldInvalid("query", "sort", `can sort by ${allowed.join(", ")}`);
	return { field, direction: direction.toLowerCase() === "desc" ? "desc" : "asc" };
}

/** Spring Data's `Page<T>`. */
export function springPage<T>(content: T[], total: number, page: number, size: number, sort: Sort) {
	const totalPages = Math.ceil(total / size);
	return {
		content,
		pageable: {
			pageNumber: page,
			pageSize: size,
			sort: {
				sorted: true,
				unsorted: false,
				empty: false,
				property: sort.field,
				direction: sort.direction.toUpperCase(),
			},
		},
		totalElements: total,
		totalPages,
		last: page >= totalPages - 1,
		first: page === 0,
		numberOfElements: content.length,
		size,
		number: page,
		empty: content.length === 0,
	};
}
