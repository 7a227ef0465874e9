// Shared zod schemas: the same objects validate requests and describe them in the OpenAPI document.
import { z } from "zod";
import { isCurrency } from "../domain/currency";
import { errorCatalog } from "../lib/errors";

export const currencyCode = z
	.string()
	.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code in upper case, such as EUR")
	.refine(isCurrency, "is not an ISO 4217 currency")
	.meta({ description: "ISO 4217 currency code", example: "EUR" });

export const e164 = z
	.string()
	.regex(/^\+[1-9][0-9]{6,14}$/, "must be a phone number in E.164 form: + then 7 to 15 digits, e.g. +4915112345678")
	.meta({ example: "+4915112345678" });

export const timestamp = z
	.string()
	.meta({ description: "RFC 3339 timestamp, UTC", example: "2026-01-31T12:00:00.000Z" });

export const metadata = z
	.record(z.string().min(1).max(40), z.string().max(500))
	.refine((value) => Object.keys(value).length <= 50, "may hold at most 50 keys")
	.meta({
		id: "Metadata",
		description: "Up to 50 string key-value pairs for your own use.",
		example: { crm_id: "A-42" },
	});

/**
 * The schema `make(key)` once per key. Route classes build their schema on every request (chanfana
 * makes one route object per request), and making a zod schema costs more than validating with it.
 */
function memoized<T>(make: (key: string) => T): (key: string) => T {
	const made = new Map<string, T>();
	return (key) => {
		let value = made.get(key);
		if (value === undefined) {
			value = make(key);
			made.set(key, value);
		}
		return value;
	};
}

export const prefixedId = memoized((prefix) =>
	z
		.string()
		.regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`)
		.meta({ example: `${prefix}_01JD3Q8W5Z9K2M4N6P8R0T2V4X` }),
);

export const idParam = memoized((prefix) => z.object({ id: prefixedId(prefix) }));

export const problemSchema = z
	.object({
		type: z.string().meta({ example: "/problems/validation_failed" }),
		title: z.string(),
		status: z.number().int(),
		detail: z.string(),
		instance: z.string(),
		code: z.enum(Object.keys(errorCatalog) as [keyof typeof errorCatalog, ...(keyof typeof errorCatalog)[]]),
		request_id: z.string(),
		errors: z
			.array(z.object({ location: z.string(), field: z.string(), message: z.string() }))
			.optional()
			.meta({ description: "One entry per invalid field." }),
	})
	.meta({ id: "Problem", description: "RFC 9457 problem details" });

export const problemResponse = (description: string) => ({
	description,
	content: { "application/problem+json": { schema: problemSchema } },
});

export const paginationQuery = z.object({
	limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: "Page size, 1 to 100." }),
	cursor: z.string().min(1).optional().meta({ description: "Opaque cursor from a previous page's next_cursor." }),
	page: z.coerce
		.number()
		.int()
		.min(1)
		.optional()
		.meta({ description: "1-based page number, for page/limit pagination instead of cursors." }),
	order: z.enum(["asc", "desc"]).default("desc").meta({ description: "By creation time; newest first by default." }),
});

export type PaginationQuery = z.infer<typeof paginationQuery>;

const makeListEnvelope = <T extends z.ZodType>(item: T, id: string) =>
	z
		.object({
			object: z.literal("list"),
			data: z.array(item),
			has_more: z.boolean(),
			next_cursor: z.string().nullable(),
			limit: z.number().int(),
			page: z.number().int().optional(),
		})
		.meta({ id });

const listEnvelopes = new Map<string, z.ZodType>();

/** The list envelope of `item`, named `id` in the OpenAPI document (one per id: the id names one schema). */
export function listEnvelope<T extends z.ZodType>(item: T, id: string) {
	let envelope = listEnvelopes.get(id);
	if (!envelope) {
		envelope = makeListEnvelope(item, id);
		listEnvelopes.set(id, envelope);
	}
	return envelope as ReturnType<typeof makeListEnvelope<T>>;
}

export const contentJson = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
