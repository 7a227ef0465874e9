import { z } from "zod";
import type { roles } from "../db/schema";
import { permissionSchema } from "./apiKey";

export const roleCreateBody = z
	.strictObject({
		name: z
			.string()
			.regex(
				/^[a-z][a-z0-9_]{1,63}$/,
				"must be 2 to 64 lower-case letters, digits or underscores, starting with a letter",
			),
		description: z.string().trim().max(500).optional(),
		permissions: z.array(permissionSchema).min(1).max(100),
	})
	.meta({
		id: "RoleCreate",
		example: { name: "invoice_clerk", permissions: ["customers:read", "invoices:read", "invoices:write"] },
	});

export const roleSchema = z
	.object({
		id: z.string().nullable().meta({ description: "Null for built-in roles." }),
		object: z.literal("role"),
		name: z.string(),
		description: z.string().nullable(),
		built_in: z.boolean(),
		permissions: z.array(z.string()),
		created_at: z.string().nullable(),
	})
	.meta({ id: "Role" });

export const presentRole = (row: typeof roles.$inferSelect) => ({
	id: row.id,
	object: "role" as const,
	name: row.name,
	description: row.description,
	built_in: false,
	permissions: row.permissions,
	created_at: row.createdAt,
});
