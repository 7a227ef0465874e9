import { z } from "zod";
import { apiKeyWithSecretSchema } from "./apiKey";
import { currencyCode, timestamp } from "./common";

export const tenantCreateBody = z
	.strictObject({ name: z.string().trim().min(1).max(200), default_currency: currencyCode })
	.meta({ id: "TenantCreate", example: { name: "Acme Billing", default_currency: "EUR" } });

export const tenantSchema = z
	.object({
		id: z.string(),
		object: z.literal("tenant"),
		name: z.string(),
		default_currency: z.string(),
		created_at: timestamp,
	})
	.meta({ id: "Tenant" });

export const tenantCreatedSchema = z
	.object({ tenant: tenantSchema, api_key: apiKeyWithSecretSchema })
	.meta({ id: "TenantCreated" });
