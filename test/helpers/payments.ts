import { api } from "./api";

export async function pay(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
	const res = await api("/v1/billing/payments", {
		key,
		body: { currency: "EUR", payment_method: "bank_transfer", ...body },
		headers,
	});
	if (res.status !== 201) throw new Error(`payment failed: ${res.status} ${res.text}`);
	return res.body;
}

export const balanceOf = async (key: string, customerId: string, currency = "EUR") => {
	const res = await api(`/v1/billing/customers/${customerId}/balance`, { key });
	return (
		res.body.balances.find((b: { currency: string }) => b.currency === currency) ?? {
			outstanding: 0,
			credit: 0,
			net: 0,
		}
	);
};
