// The HTTP adapter of a Peppol access point's REST API, in the style most access points document: the
// business document is POSTed as XML to {endpoint}/documents with the tenant's API token as a bearer
// token, keyed by our submission id (Idempotency-Key) so that a retry is recognised, and the access
// point answers 2xx with JSON carrying its own `id` for the document. The access point reads sender,
// receiver (the EndpointIDs) and document type from the document itself, and delivers it over Peppol AS4.

const TIMEOUT_MS = 15_000;

export type AccessPoint = { endpoint: string; token: string };

export type SubmissionOutcome =
	| { ok: true; providerId: string }
	/** `permanent`: the access point refused the document (4xx); anything else may succeed on a retry. */
	| { ok: false; permanent: boolean; error: string };

const documentsUrl = (endpoint: string) => `${endpoint.replace(/\/+$/, "")}/documents`;

export async function submitDocument(
	accessPoint: AccessPoint,
	idempotencyKey: string,
	document: { xml: Uint8Array; format: string },
): Promise<SubmissionOutcome> {
	let response: Response;
	try {
		response = await fetch(documentsUrl(accessPoint.endpoint), {
			method: "POST",
			headers: {
				"content-type": "application/xml",
				accept: "application/json",
				authorization: `Bearer ${accessPoint.token}`,
				"idempotency-key": idempotencyKey,
				"x-document-format": document.format,
			},
			body: document.xml,
			signal: AbortSignal.timeout(TIMEOUT_MS),
			redirect: "manual",
		});
	} catch (error) {
		return { ok: false, permanent: false, error: `unreachable: ${(error as Error).message}` };
	}
	const text = await response.text();
	if (response.status < 200 || response.status >= 300) {
		// A refusal of the document or of the credentials stays a refusal; 408, 429 and 5xx are worth another try.
		const permanent = response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
		return { ok: false, permanent, error: `answered ${response.status}: ${text.slice(0, 500)}` };
	}
	let answer: unknown;
	try {
		answer = JSON.parse(text);
	} catch {
		return { ok: false, permanent: false, error: `answered ${response.status} without JSON` };
	}
	const id = (answer as { id?: unknown } | null)?.id;
	if (typeof id !== "string" || id.length === 0 || id.length > 255) {
		return { ok: false, permanent: false, error: `answered ${response.status} without an id` };
	}
	return { ok: true, providerId: id };
}
