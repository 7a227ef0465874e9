import { EmailMessage } from "cloudflare:email";
import { createMimeMessage } from "mimetext/browser";
import { base64Lines, MailError, type MailTransport, type OutgoingMail } from "./mail";

const utf8 = new TextEncoder();

/** The RFC 5322 message of a mail, built by a MIME library: text and HTML alternatives, and the attachments. */
export function mimeMessage(mail: OutgoingMail, messageId: string): string {
	const message = createMimeMessage();
	message.setSender(mail.from);
	message.setRecipient(mail.to);
	message.setSubject(mail.subject);
	message.setHeader("Message-ID", messageId);
	message.addMessage({ contentType: "text/plain", encoding: "base64", data: base64Lines(utf8.encode(mail.text)) });
	message.addMessage({ contentType: "text/html", encoding: "base64", data: base64Lines(utf8.encode(mail.html)) });
	for (const attachment of mail.attachments) {
		message.addAttachment({
			filename: attachment.filename,
			contentType: attachment.contentType,
			encoding: "base64",
			data: base64Lines(attachment.bytes),
		});
	}
	return message.asRaw();
}

/** Cloudflare Email Service through the Worker's `send_email` binding (Miniflare delivers it locally). */
export function sendEmailTransport(binding: SendEmail): MailTransport {
	return {
		name: "send_email",
		async send(mail) {
			const messageId = `<${mail.key}@${mail.from.split("@")[1] ?? "localhost"}>`;
			try {
				await binding.send(new EmailMessage(mail.from, mail.to, mimeMessage(mail, messageId)));
			} catch (error) {
				// The binding refuses unverified or disallowed recipients outright; nothing a retry changes.
				throw new MailError(`the email service refused the message: ${(error as Error).message}`, false);
			}
			return { providerMessageId: messageId };
		},
	};
}
