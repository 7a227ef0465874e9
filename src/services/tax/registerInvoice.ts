import { and, eq, ne, sql } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { taxProviders, taxRegistrations } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { summarizeTaxes } from "../../domain/invoiceTotals";
import type { ServiceContext } from "../../lib/context";
import { openSecret } from "../../lib/crypto";
import { AppError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { changeStatements } from "../changeLog";
import { loadInvoiceDetail } from "../invoices/loadInvoice";
import { providerSecretContext } from "./createTaxProvider";
import { type RegistrationOutcome, sendRegistration } from "./taxServiceClient";

type RegistrationRow = typeof taxRegistrations.$inferSelect;

export const INTERNAL_PROVIDER = "internal";

export const presentTaxRegistration = (row: RegistrationRow) => ({
	object: "tax_registration" as const,
	id: row.id,
	invoice_id: row.invoiceId,
	provider: row.provider,
	status: row.status,
	provider_reference: row.providerReference,
	error: row.error,
	attempts: row.attempts,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});

const findRegistration = (ctx: ServiceContext, invoiceId: string, provider: string) =>
	ctx.db
		.select()
		.from(taxRegistrations)
		.where(
			and(
				eq(taxRegistrations.tenantId, ctx.tenantId),
				eq(taxRegistrations.invoiceId, invoiceId),
				eq(taxRegistrations.provider, provider),
			),
		)
		.get();

/**
 * Registers an issued invoice with a tax service: `internal` records it here; a configured provider is
 * called over HTTP. Once registered with a provider, asking again answers the same registration; a
 * failed attempt is recorded with its error and may be retried.
 */
export async function registerInvoice({
	ctx,
	input,
}: {
	ctx: ServiceContext;
	input: { invoice_id: string; provider?: string };
}): Promise<{ created: boolean; registration: ReturnType<typeof presentTaxRegistration> }> {
	const provider = input.provider ?? INTERNAL_PROVIDER;
	const detail = await loadInvoiceDetail(ctx, input.invoice_id);
	const { invoice } = detail;
	if (invoice.status === "draft") {
		throw new AppError("invalid_state", `Invoice ${invoice.id} is a draft: finalize it before registering it.`, {
			extensions: { current_status: invoice.status },
		});
	}
	const existing = await findRegistration(ctx, invoice.id, provider);
	if (existing?.status === "registered") return { created: false, registration: presentTaxRegistration(existing) };

	const id = existing?.id ?? newId("taxRegistration");
	let outcome: RegistrationOutcome;
	if (provider === INTERNAL_PROVIDER) {
		outcome = { ok: true, reference: id };
	} else {
		const row = await ctx.db
			.select()
			.from(taxProviders)
			.where(idInTenant(taxProviders, ctx.tenantId, provider))
			.get();
		if (!row) throw notFound("tax provider", provider);
		if (!ctx.env.SECRETS_KEY) {
			throw new AppError(
				"service_unavailable",
				"The provider's secret cannot be opened: no SECRETS_KEY is configured.",
			);
		}
		const secret = await openSecret(
			ctx.env.SECRETS_KEY,
			row.secretCiphertext,
			providerSecretContext(ctx.tenantId, row.id),
		);
		outcome = await sendRegistration({ endpointUrl: row.endpointUrl, secret }, `${invoice.id}:${row.id}`, {
			invoice: {
				id: invoice.id,
				number: invoice.number as string,
				issue_date: invoice.issueDate,
				currency: invoice.currency,
				customer_id: invoice.customerId,
				subtotal: invoice.subtotal,
				discount_total: invoice.discountTotal,
				tax_total: invoice.taxTotal,
				total: invoice.total,
			},
			tax_lines: summarizeTaxes(detail.lines).map((t) => ({
				jurisdiction: t.jurisdiction,
				rate: t.rate,
				taxable_amount: t.taxableAmount,
				amount: t.amount,
			})),
		});
	}

	const now = ctx.clock.now().toISOString();
	const row: RegistrationRow = {
		id,
		tenantId: ctx.tenantId,
		invoiceId: invoice.id,
		provider,
		status: outcome.ok ? "registered" : "failed",
		providerReference: outcome.ok ? outcome.reference : null,
		error: outcome.ok ? null : outcome.error,
		attempts: (existing?.attempts ?? 0) + 1,
		createdAt: existing?.createdAt ?? now,
		updatedAt: now,
	};
	// A concurrent request may have registered it meanwhile: a registered row is never overwritten.
	await runBatch(ctx.db, [
		ctx.db
			.insert(taxRegistrations)
			.values(row)
			.onConflictDoUpdate({
				target: [taxRegistrations.tenantId, taxRegistrations.invoiceId, taxRegistrations.provider],
				set: {
					status: row.status,
					providerReference: row.providerReference,
					error: row.error,
					attempts: sql`${taxRegistrations.attempts} + 1`,
					updatedAt: now,
				},
				setWhere: ne(taxRegistrations.status, "registered"),
			}),
		...changeStatements(ctx, {
			action: outcome.ok ? "tax_registration.registered" : "tax_registration.failed",
			target: { type: "invoice", id: invoice.id },
			before: existing ? presentTaxRegistration(existing) : null,
			after: presentTaxRegistration(row),
			event: null,
		}),
	]);
	const stored = (await findRegistration(ctx, invoice.id, provider)) as RegistrationRow;
	if (stored.status === "failed") {
		throw new AppError(
			"upstream_failed",
			`Tax provider ${provider} did not register invoice ${invoice.id}: ${stored.error}`,
			{
				extensions: { registration: presentTaxRegistration(stored) },
			},
		);
	}
	return { created: !existing, registration: presentTaxRegistration(stored) };
}
