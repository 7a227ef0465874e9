import { z } from "zod";

const jurisdiction = z
	.string()
	.trim()
	.regex(/^[A-Z]{2}(-[A-Z0-9]{1,8})?$/, "must be a country code, optionally with a region (DE, US-NY)")
	.meta({ example: "DE" });

export const taxReportQuery = z
	.object({
		from: z.iso.date().meta({ description: "First day of the period (journal entry dates)." }),
		to: z.iso.date().meta({ description: "Last day of the period." }),
		jurisdiction: jurisdiction.optional(),
	})
	.refine((q) => q.from <= q.to, { message: "must not be before from", path: ["to"] });
