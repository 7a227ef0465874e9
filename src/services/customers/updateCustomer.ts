import { customers } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { committedOnVersion, requireVersion } from "../../lib/etag";
import { type CustomerUpdateInput, presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { requireDunningRule } from "../dunning/loadRule";
import { requireBuyerProfile } from "./buyerProfile";
import { requireLeitwegId } from "./buyerReference";
import { refuseTakenExternalId } from "./createCustomer";
import { loadCustomer } from "./loadCustomer";

/**
 * Partial update under optimistic concurrency: the write names the version it read and moves it up by
 * one; a trigger refuses any other step, so a concurrent writer that got there first fails the batch.
 */
export async function updateCustomer({
	ctx,
	id,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	id: string;
	patch: CustomerUpdateInput;
	expectedVersion?: number;
}) {
	const current = await loadCustomer(ctx, id);
	if (current.status === "deleted") {
		throw new AppError("invalid_state", `Customer ${id} is deleted and cannot be changed.`, {
			extensions: { current_status: current.status },
		});
	}
	requireVersion("customer", expectedVersion, current.version);
	if (patch.dunning_rule_id) await requireDunningRule(ctx, patch.dunning_rule_id);

	const next: typeof customers.$inferSelect = {
		...current,
		name: patch.name ?? current.name,
		email: patch.email === undefined ? current.email : patch.email,
		billingAddress: patch.billing_address === undefined ? current.billingAddress : patch.billing_address,
		taxId: patch.tax_id === undefined ? current.taxId : patch.tax_id,
		electronicAddress: patch.electronic_address === undefined ? current.electronicAddress : patch.electronic_address,
		buyerReference: patch.buyer_reference === undefined ? current.buyerReference : patch.buyer_reference,
		preferredEinvoiceFormat:
			patch.preferred_einvoice_format === undefined ? current.preferredEinvoiceFormat : patch.preferred_einvoice_format,
		taxStatus: patch.tax_status ?? current.taxStatus,
		taxExemptionReason:
			patch.tax_exemption_reason === undefined ? current.taxExemptionReason : patch.tax_exemption_reason,
		taxExemptionReasonCode:
			patch.tax_exemption_reason_code === undefined ? current.taxExemptionReasonCode : patch.tax_exemption_reason_code,
		currency: patch.currency ?? current.currency,
		paymentTerms: patch.payment_terms ?? current.paymentTerms,
		accountCode: patch.account_code === undefined ? current.accountCode : patch.account_code,
		segment: patch.segment === undefined ? current.segment : patch.segment,
		externalId: patch.external_id === undefined ? current.externalId : patch.external_id,
		metadata: patch.metadata ?? current.metadata,
		phone: patch.phone === undefined ? current.phone : patch.phone,
		dunningRuleId: patch.dunning_rule_id === undefined ? current.dunningRuleId : patch.dunning_rule_id,
		servicesHeldAt: patch.services_held_at === undefined ? current.servicesHeldAt : patch.services_held_at,
		version: current.version + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	requireLeitwegId(next);
	requireBuyerProfile(next);
	const { id: _id, tenantId: _tenant, createdAt: _created, ...changes } = next;
	await committedOnVersion("customer", () =>
		refuseTakenExternalId(patch.external_id, () =>
			ctx.db.batch([
				ctx.db
					.update(customers)
					.set(changes)
					.where(idInTenant(customers, ctx.tenantId, id)),
				...changeStatements(ctx, {
					action: "customer.updated",
					target: { type: "customer", id },
					before: presentCustomer(current),
					after: presentCustomer(next),
					answers: { status: 200, version: next.version },
				}),
			]),
		),
	);
	return next;
}
