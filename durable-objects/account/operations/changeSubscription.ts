import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { subscriptionPendingItems, subscriptions } from "../../../src/db/schema";
import { pendingItemLine } from "../../../src/domain/billing/subscriptionBilling";
import { addInterval, dayBefore, periodContaining } from "../../../src/domain/billingPeriods";
import { cancellationCredit } from "../../../src/domain/proration";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError } from "../../../src/lib/errors";
import { presentSubscription, type SubscriptionRow } from "../../../src/schemas/subscription";
import { buildDraft, planTaxing } from "../../../src/services/invoices/buildInvoice";
import { loadInvoicedAccount } from "../../../src/services/invoices/invoicedAccount";
import { loadPlan } from "../../../src/services/plans/plans";
import { tenantToday } from "../../../src/services/settings/settings";
import {
	billedCurrentPeriod,
	loadSubscription,
	subscriptionWhere,
} from "../../../src/services/subscriptions/loadSubscription";
import { pendingItemsOf } from "../../../src/services/subscriptions/periodInvoice";
import { commit } from "../commit";
import type { AccountInputs } from "../contract";
import { commitBillDue, finalUsage } from "./billDue";
import { commitCreateCreditNote } from "./creditNotes";
import { newInvoiceStatements } from "./newInvoice";

const refuse = (sub: SubscriptionRow, what: string) =>
	new AppError("invalid_state", `Subscription ${sub.id} is ${sub.status}: it cannot be ${what}.`, {
		extensions: { current_status: sub.status },
	});

/**
 * Saves the subscription as `after`: the answer of a pause or a resume, whose routes answer their key in
 * this commit (a cancel's route claims its key first, as it may commit again after).
 */
async function save(
	ctx: ServiceContext,
	before: SubscriptionRow,
	after: SubscriptionRow,
	action: string,
	alongside: BatchItem<"sqlite">[] = [],
) {
	const { id: _id, tenantId: _t, createdAt: _c, ...fields } = after;
	await commit(ctx, {
		writes: [ctx.db.update(subscriptions).set(fields).where(subscriptionWhere(ctx, before.id)), ...alongside],
		changes: [
			{
				action,
				target: { type: "subscription", id: before.id },
				before: presentSubscription(before),
				after: presentSubscription(after),
				answers: { status: 200 },
			},
		],
	});
}

export async function commitChangeSubscription(
	ctx: ServiceContext,
	{ subscriptionId, action }: AccountInputs["changeSubscription"],
) {
	const sub = await loadSubscription(ctx, subscriptionId);
	const now = ctx.clock.now().toISOString();
	const today = await tenantToday(ctx);
	const bump = { version: sub.version + 1, updatedAt: now };
	switch (action.kind) {
		case "cancel": {
			if (sub.status === "canceled") throw refuse(sub, "canceled again");
			if (action.atPeriodEnd && sub.status !== "paused") {
				await save(
					ctx,
					sub,
					{ ...sub, cancelAtPeriodEnd: true, canceledAt: now, ...bump },
					"subscription.cancel_scheduled",
				);
				break;
			}
			const final = await finalUsageToday(ctx, sub, today);
			await save(
				ctx,
				sub,
				{
					...sub,
					status: "canceled",
					canceledAt: now,
					endedAt: today,
					nextBillingDate: null,
					cancelAtPeriodEnd: false,
					...bump,
				},
				"subscription.canceled",
				final.statements,
			);
			await final.settle();
			if (action.prorate && sub.currentPeriodStart && sub.currentPeriodEnd && today < sub.currentPeriodEnd) {
				await creditUnusedPeriod(ctx, sub, today);
			}
			break;
		}
		case "pause":
			if (!["active", "trialing", "past_due"].includes(sub.status)) throw refuse(sub, "paused");
			await save(
				ctx,
				sub,
				{ ...sub, status: "paused", pausedAt: now, nextBillingDate: null, ...bump },
				"subscription.paused",
			);
			break;
		case "resume": {
			if (sub.status !== "paused") throw refuse(sub, "resumed");
			// Paused periods are not billed: billing picks up at the start of the next period.
			const plan = await loadPlan(ctx, sub.planId);
			const from =
				today < sub.billingCycleAnchor
					? sub.billingCycleAnchor
					: periodContaining(sub.billingCycleAnchor, plan.interval, plan.intervalCount, today).end;
			await save(
				ctx,
				sub,
				{ ...sub, status: "active", pausedAt: null, nextBillingDate: from, ...bump },
				"subscription.resumed",
			);
			break;
		}
		case "invoice_now": {
			if (!["active", "trialing", "past_due", "unpaid"].includes(sub.status) || sub.nextBillingDate === null)
				throw refuse(sub, "invoiced");
			if (sub.nextBillingDate <= today) {
				const outcome = await commitBillDue(ctx, {
					customerId: sub.customerId,
					date: today,
					today,
					subscriptionId: sub.id,
				});
				if (outcome.errors[0]) throw new AppError(outcome.errors[0].code as "invalid_state", outcome.errors[0].detail);
				break;
			}
			await invoicePendingItems(ctx, sub, today);
			break;
		}
	}
	return presentSubscription(await loadSubscription(ctx, subscriptionId));
}

/**
 * Invoicing now a subscription whose current period is invoiced already bills what waits for its next
 * invoice — its pending items — today, leaving the period as it is; usage is billed in arrears with the
 * period. With nothing pending there is nothing to invoice (409, saying when the next invoice comes).
 */
async function invoicePendingItems(ctx: ServiceContext, sub: SubscriptionRow, today: string) {
	const pending = await pendingItemsOf(ctx, sub.id);
	if (pending.length === 0) {
		throw new AppError(
			"invalid_state",
			`Nothing of subscription ${sub.id} is due now: its current period is invoiced, and its next invoice (with the period's usage) is issued on ${sub.nextBillingDate}.`,
			{ extensions: { current_status: sub.status, next_billing_date: sub.nextBillingDate } },
		);
	}
	const plan = await loadPlan(ctx, sub.planId);
	const { customer, taxSetup } = await loadInvoicedAccount(ctx, sub.customerId);
	const detail = buildDraft(
		ctx,
		customer,
		{
			currency: plan.currency,
			issue_date: today,
			items: pending.map((item) => pendingItemLine(plan, item)),
			metadata: { subscription_id: sub.id },
		},
		{ setup: taxSetup, ...planTaxing(plan) },
		{ subscriptionId: sub.id },
	);
	const invoice = await newInvoiceStatements(ctx, detail, true);
	await commit(ctx, {
		writes: [
			...invoice.statements,
			ctx.db
				.update(subscriptionPendingItems)
				.set({ invoiceId: detail.invoice.id })
				.where(
					and(
						eq(subscriptionPendingItems.tenantId, ctx.tenantId),
						inArray(
							subscriptionPendingItems.id,
							pending.map((item) => item.id),
						),
					),
				),
		],
		changes: invoice.changes,
	});
}

/** Canceling at once bills the usage of the current period up to today (trial usage is free). */
async function finalUsageToday(ctx: ServiceContext, sub: SubscriptionRow, today: string) {
	const billed = await billedCurrentPeriod(ctx, sub);
	const tomorrow = addInterval(today, "day", 1, 1);
	const period = billed
		? { start: billed.periodStart, end: tomorrow < billed.periodEnd ? tomorrow : billed.periodEnd }
		: null;
	return finalUsage(
		ctx,
		await loadInvoicedAccount(ctx, sub.customerId),
		sub,
		await loadPlan(ctx, sub.planId),
		period,
		today,
	);
}

/** Canceling at once with proration credits the unused part of the current period's invoice. */
async function creditUnusedPeriod(ctx: ServiceContext, sub: SubscriptionRow, today: string) {
	const billed = await billedCurrentPeriod(ctx, sub);
	if (!billed) return;
	const plan = await loadPlan(ctx, sub.planId);
	const period = { start: billed.periodStart, end: billed.periodEnd };
	const credit = -cancellationCredit({
		amount: plan.amount * sub.quantity,
		period,
		cancelDate: today < period.start ? period.start : today,
	});
	if (credit <= 0) return;
	await commitCreateCreditNote(ctx, {
		invoice_id: billed.invoiceId,
		amount: credit,
		reason: `Unused part of the period ${period.start} – ${dayBefore(period.end)} after cancellation`,
		apply_to_invoice: true,
		requestKey: null,
	});
}
