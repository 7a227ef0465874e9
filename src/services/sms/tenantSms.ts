import { eq } from "drizzle-orm";
import { tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { openSecret } from "../../lib/crypto";
import { smsTokenContext } from "../settings/settings";
import { type SmsAccount, SmsError } from "./twilioSms";

/** The tenant's SMS account and sender, as its settings configure them. */
export async function tenantSmsAccount(ctx: ServiceContext): Promise<SmsAccount & { from: string }> {
	const row = await ctx.db
		.select({ smsTransport: tenants.smsTransport })
		.from(tenants)
		.where(eq(tenants.id, ctx.tenantId))
		.get();
	const setting = row?.smsTransport;
	if (!setting) throw new SmsError("no SMS transport is configured: set sms_transport in the settings");
	if (!ctx.env.SECRETS_KEY) throw new SmsError("this deployment has no SECRETS_KEY to decrypt the SMS auth token");
	return {
		endpoint: setting.endpoint,
		accountSid: setting.account_sid,
		from: setting.from,
		token: await openSecret(ctx.env.SECRETS_KEY, setting.token_ciphertext, smsTokenContext(ctx.tenantId)),
	};
}
