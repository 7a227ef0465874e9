import { taxesByJurisdiction } from "./invoiceTotals";
// Double-entry posting rules (ARCHITECTURE.md invariant 4): every money movement becomes one
// balanced journal — debits equal credits — expressed in account roles. The tenant's chart maps
// roles to account codes. Pure: no I/O, so every rule is tested exhaustively.

export const accountTypes = ["asset", "liability", "equity", "revenue", "expense"] as const;
export type AccountType = (typeof accountTypes)[number];

export type AccountRole =
	| "accounts_receivable"
	| "cash"
	| "revenue"
	| "discounts"
	| "sales_returns"
	| "tax_payable"
	| "customer_credit"
	| "deferred_revenue"
	| "bad_debt"
	| "fx_gain_loss"
	| "tax_adjustment";

export type DefaultAccount = { code: string; name: string; type: AccountType; role: AccountRole };

/** The chart every tenant starts with; tax payable gets one account per jurisdiction (2200-DE, …). */
export const defaultChart: readonly DefaultAccount[] = [
	{ code: "1000", name: "Cash and clearing", type: "asset", role: "cash" },
	{ code: "1100", name: "Accounts receivable", type: "asset", role: "accounts_receivable" },
	{ code: "2100", name: "Customer credit", type: "liability", role: "customer_credit" },
	{ code: "2200", name: "Tax payable", type: "liability", role: "tax_payable" },
	{ code: "2300", name: "Deferred revenue", type: "liability", role: "deferred_revenue" },
	{ code: "4000", name: "Sales revenue", type: "revenue", role: "revenue" },
	{ code: "4100", name: "Discounts given", type: "revenue", role: "discounts" },
	{ code: "4200", name: "Sales returns and allowances", type: "revenue", role: "sales_returns" },
	{ code: "6100", name: "Bad debt expense", type: "expense", role: "bad_debt" },
	{ code: "6200", name: "Tax adjustments", type: "expense", role: "tax_adjustment" },
	{ code: "7100", name: "FX gain or loss", type: "expense", role: "fx_gain_loss" },
];

export const defaultAccountFor = (role: AccountRole): DefaultAccount =>
	defaultChart.find((account) => account.role === role) as DefaultAccount;

/** The default code of a role's account; tax payable is split by jurisdiction. */
export function defaultAccountCode(role: AccountRole, jurisdiction?: string): string {
	const base = defaultAccountFor(role).code;
	return role === "tax_payable" && jurisdiction ? `${base}-${jurisdiction}` : base;
}

export type PostingLine = {
	role: AccountRole;
	jurisdiction?: string;
	sku?: string;
	debit: number;
	credit: number;
	/** The FX rate this line is carried at, when not the entry's: a receivable at its invoice's rate. */
	rate?: string;
};
export type Posting = { lines: PostingLine[] };

const debit = (role: AccountRole, amount: number, jurisdiction?: string): PostingLine => ({
	role,
	debit: amount,
	credit: 0,
	...(jurisdiction ? { jurisdiction } : {}),
});
const credit = (role: AccountRole, amount: number, jurisdiction?: string): PostingLine => ({
	role,
	debit: 0,
	credit: amount,
	...(jurisdiction ? { jurisdiction } : {}),
});

/** Drops zero lines; an entry never carries a line that moves nothing. */
const posting = (...lines: PostingLine[]): Posting => ({ lines: lines.filter((l) => l.debit !== 0 || l.credit !== 0) });

export type IssuedInvoice = {
	subtotal: number;
	discountTotal: number;
	total: number;
	taxLines: readonly { jurisdiction: string; amount: number }[];
	/** Gross revenue per SKU (lines without one under null), so SKUs can map to their own accounts. */
	revenueLines?: readonly { sku: string | null; amount: number }[];
};

/** Issuing: the customer owes the total; revenue is earned gross, discounts and taxes split out. */
export function invoiceIssued(invoice: IssuedInvoice): Posting {
	const bySku = new Map<string | null, number>();
	for (const line of invoice.revenueLines ?? [{ sku: null, amount: invoice.subtotal }]) {
		bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.amount);
	}
	return posting(
		debit("accounts_receivable", invoice.total),
		debit("discounts", invoice.discountTotal),
		...[...bySku].map(([sku, amount]) => ({ ...credit("revenue", amount), ...(sku ? { sku } : {}) })),
		...taxesByJurisdiction(invoice.taxLines).map((t) => credit("tax_payable", t.amount, t.jurisdiction)),
	);
}

/** Voiding an issued invoice reverses its issue entry exactly. */
export const invoiceVoided = (invoice: IssuedInvoice): Posting => reverse(invoiceIssued(invoice));

/** Writing off: what can no longer be collected becomes bad-debt expense. */
export const invoiceWrittenOff = (amount: number): Posting =>
	posting(debit("bad_debt", amount), credit("accounts_receivable", amount));

/**
 * A payment received: cash comes in; what is applied settles receivables (each at the rate its invoice
 * was issued at, when given), the rest is owed back as credit.
 */
export const paymentReceived = ({
	amount,
	applied,
	receivables,
}: {
	amount: number;
	applied: number;
	receivables?: readonly { amount: number; rate: string | null }[];
}): Posting =>
	posting(
		debit("cash", amount),
		...(receivables ?? [{ amount: applied, rate: null }]).map((r) => ({
			...credit("accounts_receivable", r.amount),
			...(r.rate ? { rate: r.rate } : {}),
		})),
		credit("customer_credit", amount - applied),
	);

/** Customer credit (unapplied cash or a credit note's balance) applied to an invoice. */
export const creditApplied = (amount: number): Posting =>
	posting(debit("customer_credit", amount), credit("accounts_receivable", amount));

/** An allocation taken back off an invoice returns the money to the customer's credit. */
export const creditUnapplied = (amount: number): Posting => reverse(creditApplied(amount));

/**
 * Money paid back to the customer, out of credit and, for the rest, out of settled receivables (whose
 * invoices are open again).
 */
export const refundIssued = ({ fromCredit, fromReceivable }: { fromCredit: number; fromReceivable: number }): Posting =>
	posting(
		debit("customer_credit", fromCredit),
		debit("accounts_receivable", fromReceivable),
		credit("cash", fromCredit + fromReceivable),
	);

export type CreditNoteAmounts = {
	net: number;
	taxLines: readonly { jurisdiction: string; amount: number }[];
	/** How much reduces the invoice's receivable; the rest becomes customer credit. */
	toInvoice: number;
	toCredit: number;
};

/** A credit note gives back revenue and tax, reducing the receivable or adding customer credit. */
export function creditNoteIssued(note: CreditNoteAmounts): Posting {
	return posting(
		debit("sales_returns", note.net),
		...taxesByJurisdiction(note.taxLines).map((t) => debit("tax_payable", t.amount, t.jurisdiction)),
		credit("accounts_receivable", note.toInvoice),
		credit("customer_credit", note.toCredit),
	);
}

/**
 * A correction of tax owed outside any invoice: more owed is a cost on the tax adjustment account
 * credited to the jurisdiction's tax payable, less owed the reverse.
 */
export function taxAdjusted(adjustment: { jurisdiction: string; amount: number; direction: "increase" | "decrease" }) {
	const owedMore = posting(
		debit("tax_adjustment", adjustment.amount),
		credit("tax_payable", adjustment.amount, adjustment.jurisdiction),
	);
	return adjustment.direction === "increase" ? owedMore : reverse(owedMore);
}

/** A lost dispute takes the money back out of cash, like a refund the customer did not ask for. */
export const chargebackLost = refundIssued;

export function reverse(entry: Posting): Posting {
	return { lines: entry.lines.map((line) => ({ ...line, debit: line.credit, credit: line.debit })) };
}

export function totals(entry: Posting): { debit: number; credit: number } {
	return entry.lines.reduce((sum, line) => ({ debit: sum.debit + line.debit, credit: sum.credit + line.credit }), {
		debit: 0,
		credit: 0,
	});
}

export function isBalanced(entry: Posting): boolean {
	const { debit: d, credit: c } = totals(entry);
	return (
		d === c &&
		entry.lines.every(
			(l) => Number.isSafeInteger(l.debit) && Number.isSafeInteger(l.credit) && l.debit >= 0 && l.credit >= 0,
		)
	);
}

/** The default account a code belongs to: its own code, or the base of a per-jurisdiction code. */
function defaultAccountOf(code: string): DefaultAccount | undefined {
	return defaultChart.find((account) => account.code === code || code.startsWith(`${account.code}-`));
}

export function accountName(code: string): string {
	const account = defaultAccountOf(code);
	if (!account) return code;
	return account.code === code ? account.name : `${account.name} (${code.slice(account.code.length + 1)})`;
}

export const accountTypeOf = (code: string): AccountType => defaultAccountOf(code)?.type ?? "asset";

/**
 * The tenant's chart beyond the defaults, and where posting roles go. Keys, most specific first:
 * `event:SOURCE:role` (a role in one kind of posting, e.g. `event:refund:cash`), `sku:SKU` (a SKU's
 * revenue), `role:JURISDICTION`, `role`.
 */
export type AccountMap = { mappings: Readonly<Record<string, string>>; customCodes: ReadonlySet<string> };

/** The account a posting line goes to: the most specific mapping, else the default chart. */
export function accountCodeFor(
	line: Pick<PostingLine, "role" | "jurisdiction" | "sku">,
	map: AccountMap,
	source?: string,
): string {
	const candidates = [
		source ? `event:${source}:${line.role}` : null,
		line.role === "revenue" && line.sku ? `sku:${line.sku}` : null,
		line.jurisdiction ? `${line.role}:${line.jurisdiction}` : null,
		line.role,
	];
	for (const key of candidates) {
		const code = key ? map.mappings[key] : undefined;
		if (code) return code;
	}
	return defaultAccountCode(line.role, line.jurisdiction);
}

/** A code the ledger knows: a default account, a per-jurisdiction tax account, or one the tenant added. */
export function isKnownAccount(code: string, customCodes: ReadonlySet<string>): boolean {
	if (customCodes.has(code)) return true;
	const account = defaultAccountOf(code);
	return account !== undefined && (account.code === code || account.role === "tax_payable");
}

export const postingRoles: readonly AccountRole[] = defaultChart.map((account) => account.role);
