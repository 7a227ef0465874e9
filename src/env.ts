import { z } from "zod";
import type { AccountContract } from "../durable-objects/account/contract";

export interface Env {
	DB: D1Database;
	FILES: R2Bucket;
	ACCOUNT: DurableObjectNamespace<AccountContract>;
	RATE_LIMITER: RateLimit;
	USAGE_EVENTS: Queue;
	WEBHOOKS: Queue;
	JOBS: Queue;
	/** The `send_email` binding, and the sender address used when a tenant's legal profile names none. */
	EMAIL?: SendEmail;
	EMAIL_FROM?: string;
	ENVIRONMENT: string;
	ADMIN_TOKEN?: string;
	RATE_LIMIT_PER_MINUTE?: string;
	MAX_BODY_BYTES?: string;
	LOG_LEVEL?: string;
	/** Secret: "kid:secret[,kid:secret…]" — the first signs users' tokens, every one verifies (rotation). */
	JWT_SIGNING_KEYS?: string;
	/** "true" lets webhooks target http://localhost (local development only). */
	WEBHOOK_ALLOW_LOCALHOST?: string;
	/** Base64 of 32 random bytes: the AES-256-GCM key that seals stored third-party secrets (tax providers, email API tokens). */
	SECRETS_KEY?: string;
}

const configSchema = z.object({
	environment: z.enum(["production", "development", "test"]),
	adminToken: z.string().min(16).optional(),
	rateLimitPerMinute: z.coerce.number().int().positive(),
	maxBodyBytes: z.coerce.number().int().positive(),
	logLevel: z.enum(["debug", "info", "warn", "error"]),
	webhookAllowLocalhost: z.boolean(),
});

export type Config = z.infer<typeof configSchema>;

const cache = new WeakMap<Env, Config>();

/** Parses the plain-string vars once per env object; a misconfigured deployment fails loudly. */
export function config(env: Env): Config {
	let parsed = cache.get(env);
	if (!parsed) {
		parsed = configSchema.parse({
			environment: env.ENVIRONMENT,
			adminToken: env.ADMIN_TOKEN || undefined,
			rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? "600",
			maxBodyBytes: env.MAX_BODY_BYTES ?? "1048576",
			logLevel: env.LOG_LEVEL ?? "info",
			webhookAllowLocalhost: env.WEBHOOK_ALLOW_LOCALHOST === "true" && env.ENVIRONMENT !== "production",
		});
		cache.set(env, parsed);
	}
	return parsed;
}
