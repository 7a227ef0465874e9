// Accounts-receivable aging: what is owed, by how long past due it is on a given day.

export type AgingBuckets = {
	current: number;
	days_1_30: number;
	days_31_60: number;
	days_61_90: number;
	days_over_90: number;
};

const DAY_MS = 86_400_000;

export const daysPastDue = (dueDate: string, today: string) =>
	Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS);

export function bucketFor(dueDate: string | null, today: string): keyof AgingBuckets {
	const days = dueDate === null ? 0 : daysPastDue(dueDate, today);
	if (days <= 0) return "current";
	if (days <= 30) return "days_1_30";
	if (days <= 60) return "days_31_60";
	if (days <= 90) return "days_61_90";
	return "days_over_90";
}

export function ageReceivables(
	items: readonly { dueDate: string | null; balance: number }[],
	today: string,
): AgingBuckets {
	const buckets: AgingBuckets = { current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0 };
	for (const item of items) buckets[bucketFor(item.dueDate, today)] += item.balance;
	return buckets;
}
