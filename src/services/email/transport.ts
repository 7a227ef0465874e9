import { eq } from "drizzle-orm";
import { tenants } from "../../db/schema";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { openSecret } from "../../lib/crypto";
import { emailTokenContext } from "../settings/settings";
import { httpEmailTransport } from "./httpEmailTransport";
import { MailError, type MailTransport } from "./mail";
import { sendEmailTransport } from "./sendEmailTransport";

export async function tenantTransport(ctx: ServiceContext): Promise<MailTransport> {
	const row = await ctx.db
		.select({ emailTransport: tenants.emailTransport })
		.from(tenants)
		.where(eq(tenants.id, ctx.tenantId))
		.get();
	const setting = row?.emailTransport;
	if (setting?.provider === "http") {
		const token = await openSecret(
			requireSecretsKey(ctx.env),
			setting.token_ciphertext,
			emailTokenContext(ctx.tenantId),
		);
		return httpEmailTransport(setting.endpoint, token);
	}
	if (!ctx.env.EMAIL) throw new MailError("this deployment has no send_email binding", true);
	return sendEmailTransport(ctx.env.EMAIL);
}

function requireSecretsKey(env: Env): string {
	if (!env.SECRETS_KEY) throw new MailError("this deployment has no SECRETS_KEY to decrypt email API tokens", true);
	return env.SECRETS_KEY;
}
