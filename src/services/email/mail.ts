// What every mail transport takes and how it fails: shared by the transports and the code that picks one.

export type MailAttachment = { filename: string; contentType: string; bytes: Uint8Array };

export type OutgoingMail = {
	/** The same on every attempt at one message: the transports give it to the provider to recognise a resend. */
	key: string;
	from: string;
	to: string;
	subject: string;
	text: string;
	html: string;
	attachments: MailAttachment[];
};

/** How one message leaves: resolves with the provider's message id, or throws a MailError. */
export interface MailTransport {
	readonly name: string;
	send(mail: OutgoingMail): Promise<{ providerMessageId: string }>;
}

/** A refused message; `permanent` when sending it again cannot help (a bad address, a rejected token). */
export class MailError extends Error {
	constructor(
		message: string,
		readonly permanent: boolean,
	) {
		super(message);
		this.name = "MailError";
	}
}

/** The transport the tenant chose: its HTTP email API when configured, else the deployment's send_email binding. */
/** Base64 in lines of 76 characters, as MIME bodies carry it (RFC 2045). */
export function base64Lines(bytes: Uint8Array): string {
	let binary = "";
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return (btoa(binary).match(/.{1,76}/g) ?? []).join("\r\n");
}
