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

/** The deployment variable behind each parsed setting, so a configuration error names what to fix. */
const variableOf: Record<keyof Config, string> = {
	environment: "ENVIRONMENT",
	adminToken: "ADMIN_TOKEN",
	rateLimitPerMinute: "RATE_LIMIT_PER_MINUTE",
	maxBodyBytes: "MAX_BODY_BYTES",
	logLevel: "LOG_LEVEL",
	webhookAllowLocalhost: "WEBHOOK_ALLOW_LOCALHOST",
};

/** A deployment variable that does not parse: its name and what is wrong, never its value. */
export type ConfigError = { setting: string; problem: string };

const cache = new WeakMap<Env, { config: Config } | { error: ConfigError }>();

function parseConfig(env: Env): { config: Config } | { error: ConfigError } {
	let parsed = cache.get(env);
	if (!parsed) {
		const result = configSchema.safeParse(
			{
				environment: env.ENVIRONMENT,
				adminToken: env.ADMIN_TOKEN || undefined,
				rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? "600",
				maxBodyBytes: env.MAX_BODY_BYTES ?? "1048576",
				logLevel: env.LOG_LEVEL ?? "info",
				webhookAllowLocalhost: env.WEBHOOK_ALLOW_LOCALHOST === "true" && env.ENVIRONMENT !== "production",
			},
			{ reportInput: false },
		);
		if (result.success) parsed = { config: result.data };
		else {
			const issue = result.error.issues[0];
			const key = issue?.path[0] as keyof Config | undefined;
			parsed = {
				error: { setting: key ? variableOf[key] : "configuration", problem: issue?.message ?? "does not parse" },
			};
		}
		cache.set(env, parsed);
	}
	return parsed;
}

/** Why the deployment's variables do not parse, or undefined when they do. */
export function configError(env: Env): ConfigError | undefined {
	const parsed = parseConfig(env);
	return "error" in parsed ? parsed.error : undefined;
}

/** The parsed plain-string vars, once per env object; requests never get here with a misconfigured env. */
/** The level logs are written at: LOG_LEVEL, or info while the configuration does not parse. */
export function logLevelOf(env: Env): Config["logLevel"] {
	const parsed = parseConfig(env);
	return "config" in parsed ? parsed.config.logLevel : "info";
}

export function config(env: Env): Config {
	const parsed = parseConfig(env);
	if ("error" in parsed) throw new Error(`${parsed.error.setting}: ${parsed.error.problem}`);
	return parsed.config;
}
