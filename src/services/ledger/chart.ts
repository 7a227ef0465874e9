import { and, desc, eq, lte, sql } from "drizzle-orm";
import { preparedQuery } from "../../db/client";
import { fxRates, ledgerAccounts, ledgerMappings, tenants } from "../../db/schema";
import { type AccountMap, type AccountType, accountName, accountTypeOf } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";

export type Chart = AccountMap & {
	accounts: ReadonlyMap<string, { name: string; type: AccountType }>;
	/** Nothing may post on or before this day; null while no period is closed. */
	closedThrough: string | null;
	/** The tenant's base currency, in which every line also carries its amount. */
	baseCurrency: string;
};

/** The reads a chart is made of, to run in one batch (alone, or with a caller's own reads). */
const tenant = sql.placeholder("tenantId");
const accountsOfTenant = preparedQuery((db) =>
	db.select().from(ledgerAccounts).where(eq(ledgerAccounts.tenantId, tenant)),
);
const mappingsOfTenant = preparedQuery((db) =>
	db.select().from(ledgerMappings).where(eq(ledgerMappings.tenantId, tenant)),
);
const booksOfTenant = preparedQuery((db) =>
	db
		.select({ closedThrough: tenants.booksClosedThrough, baseCurrency: tenants.defaultCurrency })
		.from(tenants)
		.where(eq(tenants.id, tenant)),
);

export const chartQueries = (ctx: Pick<ServiceContext, "db" | "tenantId">) => {
	const values = { tenantId: ctx.tenantId };
	return [accountsOfTenant(ctx.db, values), mappingsOfTenant(ctx.db, values), booksOfTenant(ctx.db, values)] as const;
};

type ChartRows = readonly [
	(typeof ledgerAccounts.$inferSelect)[],
	(typeof ledgerMappings.$inferSelect)[],
	{ closedThrough: string | null; baseCurrency: string }[],
];

export const chartOf = ([accounts, mappings, tenant]: ChartRows): Chart => ({
	mappings: Object.fromEntries(mappings.map((m) => [m.key, m.accountCode])),
	customCodes: new Set(accounts.map((a) => a.code)),
	accounts: new Map(accounts.map((a) => [a.code, { name: a.name, type: a.type }])),
	closedThrough: tenant[0]?.closedThrough ?? null,
	baseCurrency: tenant[0]?.baseCurrency ?? "USD",
});

/** The tenant's accounts, mappings and closed-through date, in one round trip. */
export async function loadChart(ctx: Pick<ServiceContext, "db" | "tenantId">): Promise<Chart> {
	return chartOf(await ctx.db.batch(chartQueries(ctx)));
}

export const describeAccount = (chart: Pick<Chart, "accounts">, code: string) =>
	chart.accounts.get(code) ?? { name: accountName(code), type: accountTypeOf(code) };

const DAY_MS = 86_400_000;

/** The day an automatic posting lands on: its own, or the first open day after the books' close. */
export function openPostingDate(requested: string, closedThrough: string | null): string {
	if (closedThrough === null || requested > closedThrough) return requested;
	return new Date(Date.parse(`${closedThrough}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The rate in force for `currency` on `date`, as text; 1 for the base currency itself. */
export async function rateOn(
	ctx: Pick<ServiceContext, "db" | "tenantId">,
	chart: Chart,
	currency: string,
	date: string,
): Promise<string> {
	if (currency === chart.baseCurrency) return "1";
	const row = await ctx.db
		.select({ rate: fxRates.rate })
		.from(fxRates)
		.where(and(eq(fxRates.tenantId, ctx.tenantId), eq(fxRates.currency, currency), lte(fxRates.effectiveDate, date)))
		.orderBy(desc(fxRates.effectiveDate))
		.get();
	if (!row) {
		throw new AppError(
			"invalid_state",
			`No FX rate for ${currency} into ${chart.baseCurrency} on or before ${date}; add one at POST /v1/billing/fx-rates.`,
			{
				extensions: { currency, base_currency: chart.baseCurrency, date },
			},
		);
	}
	return row.rate;
}
