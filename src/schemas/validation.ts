import type { z } from "zod";
import type { FieldError } from "../lib/errors";

const LOCATIONS: Record<string, string> = { params: "path", query: "query", headers: "header", body: "body" };

/**
 * zod issues as field errors a client can act on: where the field is, its dotted path, what is wrong.
 * Without `location`, the first path segment names the request part (params, query, headers, body).
 */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], location?: string): FieldError[] {
	return issues.flatMap((issue) => {
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
