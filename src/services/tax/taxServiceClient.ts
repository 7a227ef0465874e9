// The HTTP adapter of an external tax service: one JSON POST per invoice registration, authenticated
// with the provider's secret as a bearer token and keyed so the service can recognise a retry.

const TIMEOUT_MS = 10_000;

export type RegistrationRequest = {
	invoice: {
		id: string;
		number: string;
		issue_date: string | null;
		currency: string;
		customer_id: string;
		subtotal: number;
		discount_total: number;
		tax_total: number;
		total: number;
	};
	tax_lines: { jurisdiction: string; rate: string; taxable_amount: number; amount: number }[];
};

export type RegistrationOutcome = { ok: true; reference: string } | { ok: false; error: string };

/** Sends one registration; a 2xx answer must carry the service's `id` for it. */
export async function sendRegistration(
	provider: { endpointUrl: string; secret: string },
	idempotencyKey: string,
	request: RegistrationRequest,
): Promise<RegistrationOutcome> {
	let response: Response;
	try {
		response = await fetch(provider.endpointUrl, {
			method: "POST",
			headers: {
				"content-type": "application/json",
				accept: "application/json",
				authorization: `Bearer ${provider.secret}`,
				"idempotency-key": idempotencyKey,
			},
			body: JSON.stringify(request),
			signal: AbortSignal.timeout(TIMEOUT_MS),
			redirect: "manual",
		});
	} catch (error) {
		return { ok: false, error: `unreachable: ${(error as Error).message}` };
	}
	const text = await response.text();
	if (response.status < 200 || response.status >= 300) {
		return { ok: false, error: `answered ${response.status}: ${text.slice(0, 300)}` };
	}
	let answer: unknown;
	try {
		answer = JSON.parse(text);
	} catch {
		return { ok: false, error: `answered ${response.status} without JSON` };
	}
	const id = (answer as { id?: unknown } | null)?.id;
	if (typeof id !== "string" || id.length === 0 || id.length > 255) {
		return { ok: false, error: `answered ${response.status} without an id` };
	}
	return { ok: true, reference: id };
}
