// Text messages through Twilio's Messages API (or one speaking it): POST
// {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From and Body, HTTP basic auth
// with the account SID and auth token. The answer is the message resource (`sid`, `status`), or an
// error object (`code`, `message`, `more_info`).

export type SmsAccount = { endpoint: string; accountSid: string; token: string };
export type OutgoingSms = { from: string; to: string; body: string };

/** A message the provider did not accept, with its reason. */
export class SmsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "SmsError";
	}
}

type ProviderAnswer = { sid?: string; status?: string; code?: number; message?: string };

export async function sendSms(account: SmsAccount, sms: OutgoingSms): Promise<{ providerMessageId: string }> {
	const url = `${account.endpoint}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
	let response: Response;
	try {
		response = await fetch(url, {
			method: "POST",
			headers: {
				accept: "application/json",
				authorization: `Basic ${btoa(`${account.accountSid}:${account.token}`)}`,
			},
			body: new URLSearchParams({ To: sms.to, From: sms.from, Body: sms.body }),
		});
	} catch (error) {
		throw new SmsError(`the SMS API could not be reached: ${(error as Error).message}`);
	}
	const answer = (await response.json().catch(() => ({}))) as ProviderAnswer;
	if (response.ok && answer.sid && answer.status !== "failed") return { providerMessageId: answer.sid };
	throw new SmsError(
		`the SMS API answered ${response.status}${answer.code ? ` (error ${answer.code})` : ""}: ${answer.message ?? response.statusText}`,
	);
}
