import { isVersionConflict } from "./dbErrors";
import { AppError } from "./errors";

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

/**
 * Runs an update under the version the client names, by `If-Match` or by a `version` field. A stale
 * If-Match is 412 (RFC 9110); a stale `version` stays the service's 409.
 */
export async function withExpectedVersion<T>(
	ifMatch: string | undefined,
	bodyVersion: number | undefined,
	update: (expected: number | undefined) => Promise<T>,
): Promise<T> {
	const headerVersion = versionFromIfMatch(ifMatch);
	if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion) {
		throw new AppError("precondition_failed", "If-Match and version name different versions.");
	}
	try {
		return await update(headerVersion ?? bodyVersion);
	} catch (error) {
		if (error instanceof AppError && error.code === "version_conflict" && headerVersion !== undefined) {
			throw new AppError("precondition_failed", error.message, { extensions: error.extensions });
		}
		throw error;
	}
}

/** The 409 of an update made on a version that is no longer the current one. */
export const staleVersion = (resource: string, currentVersion?: number) =>
	new AppError("version_conflict", `The ${resource} was changed since you read it; fetch it again and retry.`, {
		extensions: currentVersion === undefined ? {} : { current_version: currentVersion },
	});

/** Refuses an update whose expected version (when the client named one) is not the current one. */
export function requireVersion(resource: string, expected: number | undefined, current: number) {
	if (expected !== undefined && expected !== current) throw staleVersion(resource, current);
}

/**
 * Runs a batch whose statements name the version they were prepared on: a concurrent write that moved it
 * first (a version trigger failing the batch, or an update that matched no row) is the 409 of `resource`.
 */
export async function committedOnVersion<T>(
	resource: string,
	run: () => Promise<T>,
	matchedNone?: (result: T) => boolean,
) {
	let result: T;
	try {
		result = await run();
	} catch (error) {
		if (isVersionConflict(error)) throw staleVersion(resource);
		throw error;
	}
	if (matchedNone?.(result)) throw staleVersion(resource);
	return result;
}
