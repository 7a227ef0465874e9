import type { z } from "zod";
import type { FieldError } from "../lib/errors";

const LOCATIONS: Record<string, string> = { params: "path", query: "query", headers: "header", body: "body" };

/**
 * zod issues as field errors a client can act on: where the field is, its dotted path, what is wrong.
 * Without `location`, the first path segment names the request part (params, query, headers, body).
 */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], location?: string): FieldError[] {
	return issues.flatMap(closestAlternative).flatMap((issue) => {
		const segments = issue.path.map(String);
		const where = location ?? LOCATIONS[segments.shift() ?? ""] ?? "body";
		const field = segments.join(".");
		if (issue.code === "unrecognized_keys") {
			return issue.keys.map((key) => ({
				location: where,
				field: field ? `${field}.${key}` : key,
				message: "is not a recognized field",
			}));
		}
		const missing = issue.code === "invalid_type" && issue.input === undefined;
		return [{ location: where, field, message: missing ? "is required" : issue.message }];
	});
}

/**
 * A value matching no alternative of a union (an anyOf body) is reported by the alternative it came
 * closest to, when that one names fields: `{}` against "date, or from and to" says `date: is required`
 * rather than blaming the whole body.
 */
function closestAlternative(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
	if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
	const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
	if (closest.length === 0 || closest.some((nested) => nested.path.length === 0)) return [issue];
	return closest.flatMap((nested) => closestAlternative({ ...nested, path: [...issue.path, ...nested.path] }));
}
