import { subscriptionPendingItems, subscriptions } from "../../../src/db/schema";
import { dayBefore } from "../../../src/domain/billingPeriods";
import { planChange } from "../../../src/domain/proration";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError, fieldInvalid } from "../../../src/lib/errors";
import { newId } from "../../../src/lib/ids";
import {
	presentSubscription,
	type SubscriptionRow,
	type SubscriptionUpdateInput,
} from "../../../src/schemas/subscription";
import { buildDraft, planTaxing } from "../../../src/services/invoices/buildInvoice";
import { loadInvoicedAccount } from "../../../src/services/invoices/invoicedAccount";
import { loadInvoiceRow } from "../../../src/services/invoices/loadInvoice";
import { usablePaymentMethod } from "../../../src/services/paymentMethods/paymentMethods";
import { loadPlan } from "../../../src/services/plans/plans";
import { tenantToday } from "../../../src/services/settings/settings";
import {
	billedCurrentPeriod,
	loadSubscription,
	subscriptionWhere,
} from "../../../src/services/subscriptions/loadSubscription";
import { commit } from "../commit";
import { commitCreateCreditNote } from "./creditNotes";
import { commitNewInvoice } from "./newInvoice";

/**
 * Inside the account object. The new terms apply from today: the unused part of the current period on
 * the old terms is credited (a credit note against that period's invoice), and the rest of the period on
 * the new terms is charged — now (`always_invoice`) or with the next invoice (`create_prorations`).
 * With `none`, only future periods change.
 */
export async function commitUpdateSubscription(
	ctx: ServiceContext,
	input: SubscriptionUpdateInput & { subscriptionId: string },
) {
	const sub = await loadSubscription(ctx, input.subscriptionId);
	if (sub.status === "canceled")
		throw new AppError("invalid_state", `Subscription ${sub.id} is canceled.`, {
			extensions: { current_status: sub.status },
		});
	const oldPlan = await loadPlan(ctx, sub.planId);
	const newPlan = input.plan_id ? await loadPlan(ctx, input.plan_id).catch(() => null) : oldPlan;
	if (!newPlan) throw fieldInvalid("body", "plan_id", `no plan '${input.plan_id}' exists`);
	if (newPlan.id !== oldPlan.id && newPlan.status !== "active") throw fieldInvalid("body", "plan_id", "is archived");
	if (
		newPlan.currency !== oldPlan.currency ||
		newPlan.interval !== oldPlan.interval ||
		newPlan.intervalCount !== oldPlan.intervalCount
	) {
		throw fieldInvalid("body", "plan_id", "must bill in the same currency and interval as the current plan");
	}
	if (input.payment_method_id) await usablePaymentMethod(ctx, sub.customerId, input.payment_method_id);
	const quantity = input.quantity ?? sub.quantity;
	const today = await tenantToday(ctx);
	const now = ctx.clock.now().toISOString();
	const next: SubscriptionRow = {
		...sub,
		planId: newPlan.id,
		quantity,
		paymentMethodId: input.payment_method_id === undefined ? sub.paymentMethodId : input.payment_method_id,
		metadata: input.metadata ?? sub.metadata,
		version: sub.version + 1,
		updatedAt: now,
	};
	const billed =
		sub.currentPeriodStart && sub.currentPeriodEnd && sub.currentPeriodStart <= today && today < sub.currentPeriodEnd
			? await billedCurrentPeriod(ctx, sub)
			: undefined;
	// What the period was billed at, less what was credited on it since, is what unused time can give back.
	const billedInvoice = billed ? await loadInvoiceRow(ctx, billed.invoiceId) : null;
	const change =
		billed && billedInvoice && input.proration_behavior !== "none"
			? planChange({
					oldAmount: Math.max(0, billedInvoice.total - billedInvoice.amountCredited),
					newAmount: newPlan.amount * quantity,
					period: { start: billed.periodStart, end: billed.periodEnd },
					changeDate: today,
				})
			: null;
	const lastDay = billed ? dayBefore(billed.periodEnd) : "";
	const chargeText = `${newPlan.name} × ${quantity}, ${today} – ${lastDay} (proration)`;
	await commit(ctx, {
		writes: [
			ctx.db
				.update(subscriptions)
				.set({
					planId: next.planId,
					quantity,
					paymentMethodId: next.paymentMethodId,
					metadata: next.metadata,
					version: next.version,
					updatedAt: now,
				})
				.where(subscriptionWhere(ctx, sub.id)),
			...(change && change.charge > 0 && input.proration_behavior === "create_prorations"
				? [
						ctx.db.insert(subscriptionPendingItems).values({
							id: newId("pendingItem"),
							tenantId: ctx.tenantId,
							subscriptionId: sub.id,
							description: chargeText,
							amount: change.charge,
							invoiceId: null,
							createdAt: now,
						}),
					]
				: []),
		],
		changes: [
			{
				action: "subscription.updated",
				target: { type: "subscription", id: sub.id },
				before: presentSubscription(sub),
				after: { ...presentSubscription(next), proration: change, proration_behavior: input.proration_behavior },
			},
		],
	});
	if (change && billed && change.credit < 0) {
		await commitCreateCreditNote(ctx, {
			invoice_id: billed.invoiceId,
			amount: -change.credit,
			reason: `Unused time on ${oldPlan.name} × ${sub.quantity}, ${today} – ${lastDay}`,
			apply_to_invoice: true,
			requestKey: null,
		});
	}
	if (change && change.charge > 0 && input.proration_behavior === "always_invoice") {
		const { customer, taxSetup } = await loadInvoicedAccount(ctx, sub.customerId);
		const detail = buildDraft(
			ctx,
			customer,
			{
				currency: newPlan.currency,
				items: [
					{
						description: chargeText,
						sku: newPlan.code,
						quantity: { units: 1n, scale: 0 },
						unit_price: change.charge,
						discounts: [],
					},
				],
				metadata: { subscription_id: sub.id, proration: "true" },
			},
			{ setup: taxSetup, ...planTaxing(newPlan), supplyDate: lastDay || today },
			{ subscriptionId: sub.id },
		);
		await commitNewInvoice(ctx, { detail, finalize: true });
	}
	return { ...presentSubscription(await loadSubscription(ctx, sub.id)), proration: change };
}
