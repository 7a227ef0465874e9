import { eq } from "drizzle-orm";
import { ledgerAccounts, ledgerMappings, tenants } from "../../db/schema";
import { type AccountMap, type AccountType, accountName, accountTypeOf } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";

export type Chart = AccountMap & {
	accounts: ReadonlyMap<string, { name: string; type: AccountType }>;
	/** Nothing may post on or before this day; null while no period is closed. */
	closedThrough: string | null;
};

/** The tenant's accounts, mappings and closed-through date, in one round trip. */
export async function loadChart(ctx: Pick<ServiceContext, "db" | "tenantId">): Promise<Chart> {
	const [accounts, mappings, tenant] = await ctx.db.batch([
		ctx.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.tenantId, ctx.tenantId)),
		ctx.db.select().from(ledgerMappings).where(eq(ledgerMappings.tenantId, ctx.tenantId)),
		ctx.db.select({ closedThrough: tenants.booksClosedThrough }).from(tenants).where(eq(tenants.id, ctx.tenantId)),
	]);
	return {
		mappings: Object.fromEntries(mappings.map((m) => [m.key, m.accountCode])),
		customCodes: new Set(accounts.map((a) => a.code)),
		accounts: new Map(accounts.map((a) => [a.code, { name: a.name, type: a.type }])),
		closedThrough: tenant[0]?.closedThrough ?? null,
	};
}

export const describeAccount = (chart: Pick<Chart, "accounts">, code: string) =>
	chart.accounts.get(code) ?? { name: accountName(code), type: accountTypeOf(code) };

const DAY_MS = 86_400_000;

/** The day an automatic posting lands on: its own, or the first open day after the books' close. */
export function openPostingDate(requested: string, closedThrough: string | null): string {
	if (closedThrough === null || requested > closedThrough) return requested;
	return new Date(Date.parse(`${closedThrough}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
