import { z } from "zod";
import type { apiKeys } from "../db/schema";
import { allPermissions } from "../domain/permissions";
import { paginationQuery, timestamp } from "./common";

export const permissionSchema = z.enum(allPermissions as [string, ...string[]]).meta({ id: "Permission" });

export const apiKeyCreateBody = z
	.strictObject({
		name: z.string().trim().min(1).max(100),
		role: z.string().min(1).max(64).meta({ description: "A built-in role or one of the tenant's custom roles." }),
		scopes: z
			.array(permissionSchema)
			.min(1)
			.max(100)
			.optional()
			.meta({ description: "Narrows the role to these permissions." }),
		expires_at: z.iso.datetime({ offset: true }).optional(),
	})
	.meta({ id: "ApiKeyCreate", example: { name: "ERP connector", role: "billing_reader" } });

export type ApiKeyCreateInput = z.infer<typeof apiKeyCreateBody>;

export const apiKeySchema = z
	.object({
		id: z.string(),
		object: z.literal("api_key"),
		name: z.string(),
		prefix: z.string().meta({ description: "The secret's first characters, to tell keys apart." }),
		role: z.string(),
		scopes: z.array(z.string()).nullable(),
		created_by: z.string().nullable(),
		created_at: timestamp,
		expires_at: timestamp.nullable(),
		revoked_at: timestamp.nullable(),
	})
	.meta({ id: "ApiKey" });

export const apiKeyWithSecretSchema = apiKeySchema
	.extend({ secret: z.string().meta({ description: "Shown once, at creation; only its hash is stored." }) })
	.meta({ id: "ApiKeyWithSecret" });

export const presentApiKey = (row: typeof apiKeys.$inferSelect) => ({
	id: row.id,
	object: "api_key" as const,
	name: row.name,
	prefix: row.prefix,
	role: row.role,
	scopes: row.scopes,
	created_by: row.createdBy,
	created_at: row.createdAt,
	expires_at: row.expiresAt,
	revoked_at: row.revokedAt,
});

export const apiKeyListQuery = paginationQuery;
