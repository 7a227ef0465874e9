// Constraint failures D1 reports as plain errors: recognized by the message the schema's triggers
// and constraints raise, so the batch that hit them can be answered as a conflict, not a crash.

export const messageOf = (error: unknown): string => {
	let current: unknown = error;
	const parts: string[] = [];
	while (current instanceof Error) {
		parts.push(current.message);
		current = (current as { cause?: unknown }).cause;
	}
	return parts.join(" | ");
};

/** Raised by the `*_version_step` triggers when an update does not move `version` up by exactly one. */
export const isVersionConflict = (error: unknown) => messageOf(error).includes("version_conflict");

export const isUniqueViolation = (error: unknown) => messageOf(error).includes("UNIQUE constraint failed");

export const isNotNullViolation = (error: unknown) => messageOf(error).includes("NOT NULL constraint failed");

/** Whether an UPDATE or DELETE of a batch matched no row (its `meta.changes` is 0). */
export const matchedNoRow = (result: unknown) => (result as { meta?: { changes?: number } }).meta?.changes === 0;
