import { AppError } from "../lib/errors";

export const etagFor = (version: number) => `"${version}"`;

/** The version an `If-Match` header names (`"3"`, `W/"3"`); `*` or no header names none. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
	if (header === undefined || header.trim() === "*") return undefined;
	const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
	if (!match) {
		throw new AppError("precondition_failed", 'If-Match must be an ETag this API returned, such as "3".', {
			errors: [{ location: "header", field: "If-Match", message: "is not an ETag this API returned" }],
		});
	}
	return Number(match[1]);
}
