import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { dunningAttempts } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { DunningStep } from "../../domain/dunning";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { type DunningAttemptRow, presentDunningAttempt } from "../../schemas/dunning";
import { changeStatements } from "../changeLog";
import { holdServices } from "../customers/holdServices";
import { deliveriesOf } from "../deliveries/emailDeliveries";
import { deliverInvoice } from "../invoices/deliverInvoice";
import { SmsError } from "../sms/twilioSms";
import { sendDunningSms } from "./dunningSms";

type DunnedInvoiceRow = { id: string; customerId: string };

type Outcome = Pick<DunningAttemptRow, "status" | "error" | "deliveryId" | "providerMessageId">;

const failed = (error: string): Outcome => ({ status: "failed", error, deliveryId: null, providerMessageId: null });

/**
 * The reminder email, through the same delivery path as POST /invoices/{id}/remind: one delivery per
 * attempt (its id is the delivery's key), so an attempt taken again finds the email it already sent.
 */
async function emailReminder(ctx: ServiceContext, attempt: DunningAttemptRow): Promise<Outcome> {
	const requestKey = `dunning:${attempt.id}`;
	await deliverInvoice({
		ctx,
		id: attempt.invoiceId,
		kind: "reminder",
		channels: ["email"],
		templateId: attempt.templateId ?? undefined,
		requestKey,
	});
	const delivery = (await deliveriesOf(ctx, attempt.invoiceId)).find(
		(d) => d.kind === "reminder" && d.requestKey === requestKey,
	);
	if (!delivery) return failed("the reminder email was not recorded");
	// A delivery still queued is retried by the jobs queue; the step itself is done.
	if (delivery.status === "failed" || delivery.status === "undeliverable") {
		return { ...failed(delivery.reason ?? `the email was ${delivery.status}`), deliveryId: delivery.id };
	}
	return { status: "succeeded", error: null, deliveryId: delivery.id, providerMessageId: delivery.providerMessageId };
}

async function perform(ctx: ServiceContext, attempt: DunningAttemptRow): Promise<Outcome> {
	try {
		switch (attempt.action) {
			case "email":
				return await emailReminder(ctx, attempt);
			case "sms": {
				const { providerMessageId } = await sendDunningSms(ctx, attempt);
				return { status: "succeeded", error: null, deliveryId: null, providerMessageId };
			}
			case "hold_services":
				await holdServices(ctx, attempt.customerId);
				return { status: "succeeded", error: null, deliveryId: null, providerMessageId: null };
		}
	} catch (error) {
		// A refusal (no email address or phone, no SMS configured, the provider said no) fails the step
		// with its reason; anything else is the run's failure, retried by the queue.
		if (error instanceof SmsError || (error instanceof AppError && error.status < 500)) return failed(error.message);
		throw error;
	}
}

/**
 * Takes one step of a rule for an invoice, once: the attempt is claimed (a unique row per invoice, rule
 * and step) before its action runs, then records its outcome with an audit row and an
 * `invoice.dunning_step` event. A step another run claimed is left to it (null); `resumed` is this
 * job's own claim left unfinished by an earlier delivery of its message.
 */
export async function takeDunningStep(
	ctx: ServiceContext,
	{
		jobId,
		invoice,
		ruleId,
		step,
		date,
		resumed,
	}: {
		jobId: string;
		invoice: DunnedInvoiceRow;
		ruleId: string;
		step: DunningStep;
		date: string;
		resumed?: DunningAttemptRow;
	},
): Promise<DunningAttemptRow | null> {
	let attempt = resumed;
	if (!attempt) {
		const now = ctx.clock.now().toISOString();
		attempt = {
			id: newId("dunningAttempt"),
			tenantId: ctx.tenantId,
			jobId,
			invoiceId: invoice.id,
			customerId: invoice.customerId,
			ruleId,
			daysAfterDue: step.days_after_due,
			action: step.action,
			templateId: step.template_id,
			status: "pending",
			error: null,
			deliveryId: null,
			providerMessageId: null,
			runDate: date,
			createdAt: now,
			updatedAt: now,
		};
		try {
			await ctx.db.insert(dunningAttempts).values(attempt);
		} catch (error) {
			if (isUniqueViolation(error)) return null;
			throw error;
		}
	}
	// A text message cannot be recalled or deduplicated by the provider: one whose outcome went unrecorded
	// is not sent again.
	const outcome =
		resumed?.action === "sms"
			? failed("the run stopped before this text message's outcome was recorded; not sent again")
			: await perform(ctx, attempt);
	const finished: DunningAttemptRow = {
		...attempt,
		...outcome,
		updatedAt: ctx.clock.now().toISOString(),
	};
	await runBatch(ctx.db, [
		ctx.db
			.update(dunningAttempts)
			.set({
				status: finished.status,
				error: finished.error,
				deliveryId: finished.deliveryId,
				providerMessageId: finished.providerMessageId,
				updatedAt: finished.updatedAt,
			})
			.where(and(idInTenant(dunningAttempts, ctx.tenantId, attempt.id), eq(dunningAttempts.status, "pending"))),
		...changeStatements(ctx, {
			action: "invoice.dunning_step",
			target: { type: "invoice", id: invoice.id },
			before: null,
			after: presentDunningAttempt(finished),
		}),
	]);
	return finished;
}
