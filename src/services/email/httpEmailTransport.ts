import { base64Lines, MailError, type MailTransport } from "./mail";

/** Well within the time after which the maintenance sweep deems an attempt dead. */
const TIMEOUT_MS = 15_000;

type ProviderAnswer = { MessageID?: string; ErrorCode?: number; Message?: string };

/**
 * An HTTP email API in Postmark's shape: POST the message as JSON with the server token in
 * `X-Postmark-Server-Token`; the answer carries `MessageID`, or `ErrorCode` and `Message`. Every attempt at one
 * message carries the same `Idempotency-Key`, which APIs that deduplicate (e.g. Resend) honour.
 */
export function httpEmailTransport(endpoint: string, token: string): MailTransport {
	return {
		name: "http",
		async send(mail) {
			let response: Response;
			try {
				response = await fetch(endpoint, {
					method: "POST",
					headers: {
						accept: "application/json",
						"content-type": "application/json",
						"x-postmark-server-token": token,
						"idempotency-key": mail.key,
					},
					body: JSON.stringify({
						From: mail.from,
						To: mail.to,
						Subject: mail.subject,
						TextBody: mail.text,
						HtmlBody: mail.html,
						MessageStream: "outbound",
						Attachments: mail.attachments.map((a) => ({
							Name: a.filename,
							ContentType: a.contentType,
							Content: base64Lines(a.bytes).replace(/\r\n/g, ""),
						})),
					}),
					signal: AbortSignal.timeout(TIMEOUT_MS),
				});
			} catch (error) {
				throw new MailError(`the email API could not be reached: ${(error as Error).message}`, false);
			}
			const answer = (await response.json().catch(() => ({}))) as ProviderAnswer;
			if (response.ok && answer.MessageID && !answer.ErrorCode) return { providerMessageId: answer.MessageID };
			const reason = `the email API answered ${response.status}${answer.ErrorCode ? ` (error ${answer.ErrorCode})` : ""}: ${answer.Message ?? response.statusText}`;
			// 4xx other than rate limiting means this message (or token) is refused as it is.
			throw new MailError(reason, response.status >= 400 && response.status < 500 && response.status !== 429);
		},
	};
}
