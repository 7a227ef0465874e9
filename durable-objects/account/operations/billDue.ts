// The recurring engine's unit of work, run inside the customer's account object: bill every period of
// the customer's subscriptions that is due by a date, oldest first, the account's periods in one batch.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { bound, type Database, insertRows, mergedUnits, preparedQuery, runBatch } from "../../../src/db/client";
import {
	coupons,
	invoices,
	plans,
	subscriptionInvoices,
	subscriptionPendingItems,
	subscriptions,
} from "../../../src/db/schema";
import { dueBilling } from "../../../src/domain/billing/subscriptionBilling";
import { dayBefore, daysBetween } from "../../../src/domain/billingPeriods";
import type { ServiceContext } from "../../../src/lib/context";
import { refusalOf } from "../../../src/lib/dbErrors";
import { AppError, notFound } from "../../../src/lib/errors";
import { groupBy } from "../../../src/lib/groupBy";
import type { CouponRow } from "../../../src/schemas/coupon";
import type { InvoiceDetail, InvoiceRow } from "../../../src/schemas/invoice";
import type { PlanRow } from "../../../src/schemas/plan";
import { presentSubscription, type SubscriptionRow } from "../../../src/schemas/subscription";
import { type Change, changeStatements } from "../../../src/services/changeLog";
import { billingCoupon } from "../../../src/services/coupons/coupons";
import { customerRowQuery } from "../../../src/services/customers/loadCustomer";
import { buildDraft, planTaxing } from "../../../src/services/invoices/buildInvoice";
import type { InvoicedAccount } from "../../../src/services/invoices/invoicedAccount";
import { type Issuing, issuingFrom, issuingQueries } from "../../../src/services/invoices/invoiceStatements";
import {
	BILLABLE_STATUSES,
	DELINQUENCY_STATUSES,
	subscriptionWhere,
} from "../../../src/services/subscriptions/loadSubscription";
import { periodInvoice, previousPeriod, usageFor } from "../../../src/services/subscriptions/periodInvoice";
import { invoiceTaxSetupFrom, taxSetupQueries } from "../../../src/services/tax/tenantTaxSetup";
import { creditedLateStatements, type UsageBilling, usageBilling } from "../../../src/services/usage/usageCharges";
import { commit } from "../commit";
import type { AccountInputs, BillingOutcome } from "../contract";
import { commitCreateCreditNote } from "./creditNotes";
import { newInvoiceStatements } from "./newInvoice";

/** Periods one call bills for a subscription at most: a long backfill continues on the next run. */
const MAX_PERIODS_PER_CALL = 36;
/** Periods committed in one D1 batch at most (each adds four statements of its own besides its rows). */
const PERIODS_PER_BATCH = 20;
/** An unpaid invoice this many days past due turns a past-due subscription unpaid. */
export const UNPAID_AFTER_DAYS = 14;

/**
 * Late usage that made a period's charge smaller than billed is credited on that period's invoice.
 * The credit note's request key is derived from what was billed, so a retry finds the same note.
 */
async function creditOverbilledUsage(ctx: ServiceContext, sub: SubscriptionRow, usage: UsageBilling | null) {
	for (const late of usage?.overbilled ?? []) {
		if (!late.billed.invoiceId) continue;
		const note = await commitCreateCreditNote(ctx, {
			invoice_id: late.billed.invoiceId,
			amount: late.billed.amount - late.rated.rating.amount,
			reason: `Usage of ${late.rated.metric.code} corrected after invoicing (${late.rated.period.start} – ${dayBefore(late.rated.period.end)})`,
			apply_to_invoice: true,
			requestKey: `usage-late:${sub.id}:${late.rated.metric.code}:${late.rated.period.start}:${late.billed.amount}:${late.billed.quantityE6}`,
		});
		await runBatch(ctx.db, creditedLateStatements(ctx, sub, late, note.id));
	}
}

/**
 * The last invoice of an ending subscription: the usage of its final period (or the part of it
 * used), and what late usage still owes. `settle` credits over-billed late periods once it commits.
 */
export async function finalUsage(
	ctx: ServiceContext,
	{ customer, taxSetup }: InvoicedAccount,
	sub: SubscriptionRow,
	plan: PlanRow,
	period: { start: string; end: string } | null,
	issueDate: string,
) {
	if (plan.charges.length === 0) return { statements: [], settle: async () => {} };
	const usage = await usageBilling(ctx, sub, plan.charges, period);
	const invoice = usage.items.some((item) => item.unit_price > 0)
		? buildDraft(
				ctx,
				customer,
				{
					currency: plan.currency,
					issue_date: issueDate,
					items: usage.items,
					metadata: { subscription_id: sub.id, period_start: period?.start ?? issueDate, period_end: issueDate },
				},
				{ setup: taxSetup, ...planTaxing(plan), supplyDate: dayBefore(issueDate) },
				{ sourceRef: `subscription:${sub.id}:${issueDate}:final`, subscriptionId: sub.id },
			)
		: null;
	return {
		statements: [
			...(invoice ? await finalInvoiceStatements(ctx, invoice) : []),
			...usage.statements(invoice?.invoice.id ?? null),
		],
		settle: () => creditOverbilledUsage(ctx, sub, usage),
	};
}

/** The final usage invoice, issued, with its changes recorded in the same statements. */
async function finalInvoiceStatements(ctx: ServiceContext, invoice: InvoiceDetail) {
	const written = await newInvoiceStatements(ctx, invoice, true);
	return [...written.statements, ...changeStatements(ctx, ...written.changes)];
}

/** One period's invoice and subscription change, ready to commit. */
type PeriodCommit = {
	subscriptionId: string;
	billed: BillingOutcome["billed"][number];
	/** The subscription and its new invoice as the statements write them. */
	after: { subscription: SubscriptionRow; invoice: InvoiceRow | null };
	statements: BatchItem<"sqlite">[];
	/** The changes the period records, after every period's statements in the batch. */
	changes: Change[];
	/** What is done instead when the period turns out to be billed already. */
	skip: () => Promise<unknown>;
	/** What follows once the period committed. */
	settle?: () => Promise<void>;
};

/**
 * An account's periods commit together, in one D1 batch, rather than one round trip each. The
 * (subscription, period) key is written with every invoice, so a period billed by an earlier,
 * overlapping or crashed run fails the whole batch: then each period commits alone, as it would have,
 * and only the one billed already is skipped.
 */
class PeriodCommits {
	#waiting: PeriodCommit[] = [];

	constructor(
		private readonly ctx: ServiceContext,
		private readonly outcome: BillingOutcome,
		private readonly state: BilledState,
		private readonly fail: (subscriptionId: string, error: unknown) => void,
	) {}

	add(period: PeriodCommit) {
		this.#waiting.push(period);
		return this.#waiting.length >= PERIODS_PER_BATCH ? this.flush() : Promise.resolve();
	}

	async flush() {
		const waiting = this.#waiting;
		this.#waiting = [];
		if (waiting.length > 1) {
			const together = await this.#commit(waiting).then(
				() => true,
				() => false,
			);
			if (together) {
				for (const period of waiting) await this.#committed(period);
				return;
			}
			this.state.exact = false;
		}
		// A subscription whose period failed bills none of its later periods.
		const failed = new Set<string>();
		for (const period of waiting) {
			if (failed.has(period.subscriptionId)) continue;
			await this.#commitAlone(period).catch((error) => {
				failed.add(period.subscriptionId);
				this.fail(period.subscriptionId, error);
			});
		}
	}

	async #commitAlone(period: PeriodCommit) {
		try {
			await this.#commit([period]);
		} catch (error) {
			if (refusalOf(error) !== "duplicate") throw error;
			this.state.exact = false;
			await period.skip();
			return;
		}
		await this.#committed(period);
	}

	/**
	 * The periods as one commit: each table's inserts merged across them (`mergedUnits`: periods do not
	 * depend on one another's statements), then all their changes, recorded together.
	 */
	#commit(periods: PeriodCommit[]) {
		return commit(this.ctx, {
			writes: mergedUnits(
				this.ctx.db,
				periods.map((period) => period.statements),
			),
			changes: periods.flatMap((period) => period.changes),
		});
	}

	async #committed(period: PeriodCommit) {
		this.outcome.billed.push(period.billed);
		this.state.renewed(period.after.subscription, period.after.invoice);
		await period.settle?.();
	}
}

/** Bills one subscription's due periods as billing decides them (`dueBilling`), handing each to `commits`. */
async function billOne(
	ctx: ServiceContext,
	sub: SubscriptionRow,
	account: AccountReads,
	date: string,
	commits: PeriodCommits,
) {
	const { issuing } = account;
	const plan = account.plans.get(sub.planId) as PlanRow;
	const coupon = sub.couponId ? (account.coupons.get(sub.couponId) ?? null) : null;
	const steps = dueBilling({
		subscription: sub,
		plan,
		coupon: coupon && billingCoupon(coupon),
		pending: account.pendingItems.get(sub.id) ?? [],
		date,
		maxPeriods: MAX_PERIODS_PER_CALL,
	});
	let current = sub;
	for (const step of steps) {
		const now = ctx.clock.now().toISOString();
		if (step.kind === "end") {
			await endSubscription(ctx, account, current, plan, step.at, commits);
			return;
		}
		const { start, period } = step;
		const renewing = current;
		if (plan.charges.length > 0) {
			// Late usage may be credited on earlier invoices once the period commits.
			account.state.exact = false;
			await commits.flush();
		}
		const usage = await usageFor(ctx, current, plan, start);
		const detail = periodInvoice(ctx, account, current, plan, start, period, step.lines, usage?.items);
		const invoice = await newInvoiceStatements(ctx, detail, true, issuing);
		const next: SubscriptionRow = { ...current, ...step.after, version: current.version + 1, updatedAt: now };
		await commits.add({
			subscriptionId: sub.id,
			billed: { subscription_id: sub.id, period_start: start, invoice_id: detail.invoice.id },
			after: { subscription: next, invoice: invoice.issued?.after ?? null },
			statements: [
				...insertRows(ctx.db, subscriptionInvoices, [
					{
						subscriptionId: sub.id,
						periodStart: start,
						periodEnd: period.end,
						tenantId: ctx.tenantId,
						invoiceId: detail.invoice.id,
						createdAt: now,
					},
				]),
				...invoice.statements,
				...(usage?.statements(detail.invoice.id) ?? []),
				...(step.pendingItemIds.length
					? [
							ctx.db
								.update(subscriptionPendingItems)
								.set({ invoiceId: detail.invoice.id })
								.where(inArray(subscriptionPendingItems.id, step.pendingItemIds)),
						]
					: []),
				renewSubscription(ctx.db, {
					tenantId: ctx.tenantId,
					id: sub.id,
					status: next.status,
					start,
					end: period.end,
					couponPeriodsLeft: next.couponPeriodsLeft,
					version: next.version,
					now,
				}),
			],
			changes: [
				...invoice.changes,
				{
					action: step.action,
					target: { type: "subscription", id: sub.id },
					before: presentSubscription(current),
					after: { ...presentSubscription(next), invoice_id: detail.invoice.id },
				},
			],
			// Billed already (an overlapping run, or a retry after a crash): move past the period.
			skip: () =>
				ctx.db
					.update(subscriptions)
					.set({ currentPeriodStart: start, currentPeriodEnd: period.end, nextBillingDate: period.end, updatedAt: now })
					.where(subscriptionWhere(ctx, sub.id)),
			settle: usage ? () => creditOverbilledUsage(ctx, renewing, usage) : undefined,
		});
		// Usage is rated from what earlier periods committed: a period that bills usage commits at once.
		if (usage) await commits.flush();
		current = next;
	}
}

/** A subscription canceled at its period's end ends when that period would renew: its final usage billed. */
async function endSubscription(
	ctx: ServiceContext,
	account: AccountReads,
	current: SubscriptionRow,
	plan: PlanRow,
	at: string,
	commits: PeriodCommits,
) {
	account.state.exact = false;
	await commits.flush();
	const now = ctx.clock.now().toISOString();
	const final = await finalUsage(ctx, account, current, plan, await previousPeriod(ctx, current.id, at), at);
	const ended: SubscriptionRow = {
		...current,
		status: "canceled",
		endedAt: at,
		nextBillingDate: null,
		version: current.version + 1,
		updatedAt: now,
	};
	await commit(ctx, {
		writes: [
			ctx.db
				.update(subscriptions)
				.set({ status: "canceled", endedAt: at, nextBillingDate: null, version: ended.version, updatedAt: now })
				.where(subscriptionWhere(ctx, current.id)),
		],
		journal: final,
		changes: [
			{
				action: "subscription.canceled",
				target: { type: "subscription", id: current.id },
				before: presentSubscription(current),
				after: presentSubscription(ended),
			},
		],
	});
	await final.settle();
}

/** A billed period moves its subscription on: built once, as every period of every account does it. */
const renewSubscription = preparedQuery((db) =>
	db
		.update(subscriptions)
		.set({
			status: bound("status"),
			currentPeriodStart: bound("start"),
			currentPeriodEnd: bound("end"),
			nextBillingDate: bound("end"),
			couponPeriodsLeft: bound("couponPeriodsLeft"),
			version: bound("version"),
			updatedAt: bound("now"),
		})
		.where(and(eq(subscriptions.tenantId, sql.placeholder("tenantId")), eq(subscriptions.id, sql.placeholder("id")))),
);

/** Past due while an invoice of the subscription is unpaid after its due date; unpaid once that lasts. */
async function refreshDelinquency(ctx: ServiceContext, sub: SubscriptionRow, oldestDue: string | null, date: string) {
	if (!DELINQUENCY_STATUSES.includes(sub.status)) return;
	const status =
		oldestDue === null ? "active" : daysBetween(oldestDue, date) > UNPAID_AFTER_DAYS ? "unpaid" : "past_due";
	if (status === sub.status) return;
	const now = ctx.clock.now().toISOString();
	const next = { ...sub, status, version: sub.version + 1, updatedAt: now } as SubscriptionRow;
	await commit(ctx, {
		writes: [
			ctx.db
				.update(subscriptions)
				.set({ status, version: next.version, updatedAt: now })
				.where(subscriptionWhere(ctx, sub.id)),
		],
		changes: [
			{
				action: `subscription.${status}`,
				target: { type: "subscription", id: sub.id },
				before: presentSubscription(sub),
				after: presentSubscription(next),
			},
		],
	});
}

/** What billing an account reads once for all its subscriptions. */
type AccountReads = InvoicedAccount & {
	plans: Map<string, PlanRow>;
	pendingItems: Map<string, (typeof subscriptionPendingItems.$inferSelect)[]>;
	coupons: Map<string, CouponRow>;
	issuing: Issuing;
	state: BilledState;
};

/**
 * The account's billable subscriptions and the oldest due date each has unpaid, as billing leaves them:
 * read before billing and moved along with every period committed, so delinquency is judged without
 * reading them back. Anything that commits other than as built (a batch that fell back, a period billed
 * elsewhere, a cancellation, usage and its late credits) clears `exact`, and then they are read back.
 */
class BilledState {
	readonly subscriptions: Map<string, SubscriptionRow>;
	readonly oldestDue: Map<string, string>;
	exact = true;

	constructor(
		subscriptions: SubscriptionRow[],
		overdue: { subscriptionId: string; dueDate: string }[],
		private readonly today: string,
	) {
		this.subscriptions = new Map(subscriptions.map((sub) => [sub.id, sub]));
		this.oldestDue = new Map(overdue.map((o) => [o.subscriptionId, o.dueDate]));
	}

	renewed(subscription: SubscriptionRow, invoice: InvoiceRow | null) {
		this.subscriptions.set(subscription.id, subscription);
		if (!invoice || !UNPAID_STATUSES.includes(invoice.status) || invoice.dueDate === null) return;
		const oldest = this.oldestDue.get(subscription.id);
		if (invoice.dueDate < this.today && (oldest === undefined || invoice.dueDate < oldest)) {
			this.oldestDue.set(subscription.id, invoice.dueDate);
		}
	}
}

const UNPAID_STATUSES: InvoiceRow["status"][] = ["issued", "partially_paid"];

/** The account's billable subscriptions (all, or the one named): what billing reads, built once. */
const billableOfAccount = () =>
	and(
		eq(subscriptions.tenantId, sql.placeholder("tenantId")),
		eq(subscriptions.customerId, sql.placeholder("customerId")),
		sql`(${sql.placeholder("subscriptionId")} is null or ${subscriptions.id} = ${sql.placeholder("subscriptionId")})`,
		inArray(subscriptions.status, BILLABLE_STATUSES),
	);

const billableColumn = (
	db: Database,
	column: typeof subscriptions.id | typeof subscriptions.planId | typeof subscriptions.couponId,
) => db.select({ value: column }).from(subscriptions).where(billableOfAccount());

const billableSubscriptions = preparedQuery((db) => db.select().from(subscriptions).where(billableOfAccount()));

/** The oldest unpaid due date per billable subscription, as of today: before billing, and again after when read back. */
const oldestUnpaidDue = preparedQuery((db) =>
	db
		.select({ subscriptionId: subscriptionInvoices.subscriptionId, dueDate: sql<string>`min(${invoices.dueDate})` })
		.from(subscriptionInvoices)
		.innerJoin(invoices, eq(invoices.id, subscriptionInvoices.invoiceId))
		.where(
			and(
				inArray(subscriptionInvoices.subscriptionId, billableColumn(db, subscriptions.id)),
				inArray(invoices.status, UNPAID_STATUSES),
				sql`${invoices.dueDate} < ${sql.placeholder("today")}`,
			),
		)
		.groupBy(subscriptionInvoices.subscriptionId),
);

const plansOfBillable = preparedQuery((db) =>
	db
		.select()
		.from(plans)
		.where(
			and(eq(plans.tenantId, sql.placeholder("tenantId")), inArray(plans.id, billableColumn(db, subscriptions.planId))),
		),
);

const pendingItemsOfBillable = preparedQuery((db) =>
	db
		.select()
		.from(subscriptionPendingItems)
		.where(
			and(
				eq(subscriptionPendingItems.tenantId, sql.placeholder("tenantId")),
				inArray(subscriptionPendingItems.subscriptionId, billableColumn(db, subscriptions.id)),
				isNull(subscriptionPendingItems.invoiceId),
			),
		),
);

const couponsOfBillable = preparedQuery((db) =>
	db
		.select()
		.from(coupons)
		.where(
			and(
				eq(coupons.tenantId, sql.placeholder("tenantId")),
				inArray(coupons.id, billableColumn(db, subscriptions.couponId)),
			),
		),
);

/**
 * Inside the account object: every due period of the customer's subscriptions (or of one), then
 * delinquency. Everything billing reads comes in one round trip before and one after, and the periods
 * commit together (`PeriodCommits`).
 */
export async function commitBillDue(ctx: ServiceContext, input: AccountInputs["billDue"]): Promise<BillingOutcome> {
	const values = {
		tenantId: ctx.tenantId,
		customerId: input.customerId,
		subscriptionId: input.subscriptionId ?? null,
		today: input.today,
	};
	const [[customer], taxRow, rateRows, due, overdue, planRows, pendingRows, couponRows, ...issuingRows] =
		await ctx.db.batch([
			customerRowQuery(ctx, input.customerId),
			...taxSetupQueries(ctx),
			billableSubscriptions(ctx.db, values),
			oldestUnpaidDue(ctx.db, values),
			plansOfBillable(ctx.db, values),
			pendingItemsOfBillable(ctx.db, values),
			couponsOfBillable(ctx.db, values),
			...issuingQueries(ctx),
		]);
	if (!customer) throw notFound("customer", input.customerId);
	const outcome: BillingOutcome = { billed: [], errors: [] };
	const failed = new Set<string>();
	const account: AccountReads = {
		customer,
		taxSetup: invoiceTaxSetupFrom([taxRow, rateRows]),
		plans: new Map(planRows.map((p) => [p.id, p])),
		pendingItems: groupBy(pendingRows, (item) => item.subscriptionId),
		coupons: new Map(couponRows.map((c) => [c.id, c])),
		issuing: issuingFrom(issuingRows),
		state: new BilledState(due, overdue, input.today),
	};
	const fail = (subscriptionId: string, error: unknown) => {
		if (!(error instanceof AppError)) throw error;
		failed.add(subscriptionId);
		outcome.errors.push({ subscription_id: subscriptionId, code: error.code, detail: error.message });
	};
	const commits = new PeriodCommits(ctx, outcome, account.state, fail);
	for (const sub of due) {
		if (sub.nextBillingDate === null || sub.nextBillingDate > input.date || !account.plans.has(sub.planId)) continue;
		await billOne(ctx, sub, account, input.date, commits).catch((error) => fail(sub.id, error));
	}
	await commits.flush();
	const billed = account.state.exact
		? account.state
		: new BilledState(
				...(await ctx.db.batch([billableSubscriptions(ctx.db, values), oldestUnpaidDue(ctx.db, values)])),
				input.today,
			);
	for (const sub of billed.subscriptions.values()) {
		if (failed.has(sub.id)) continue;
		await refreshDelinquency(ctx, sub, billed.oldestDue.get(sub.id) ?? null, input.today).catch((error) =>
			fail(sub.id, error),
		);
	}
	return outcome;
}
