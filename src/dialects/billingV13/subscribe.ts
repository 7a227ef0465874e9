// Seed 002's surface (Billing API v1.3.0): POST /v1/billing/subscribe. A thin translation onto the
// canonical subscription service: its field names, its response shape, and its error statuses —
// 400 for invalid parameters, 402 when the payment method cannot be validated, 404 for unknown ids.
// Its example ids work: a plan by its code (`plan_pro_monthly`), a payment method by the gateway's token.
import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { ApiRoute } from "../../routes/base";
import { contentJson, problemResponse } from "../../schemas/common";
import { paymentMethodIdFor } from "../../services/paymentMethods/paymentMethods";
import { planIdFor } from "../../services/plans/plans";
import { createSubscription } from "../../services/subscriptions/createSubscription";

const subscribeBody = z
	.strictObject({
		customer_id: z.string().min(1).max(64),
		plan_id: z.string().min(1).max(64),
		payment_method_id: z.string().min(1).max(64),
		trial_days: z.number().int().min(0).max(365).default(0),
		promo_code: z.string().min(1).max(100).optional(),
	})
	.meta({
		id: "SubscribeV13",
		example: {
			customer_id: "cus_1234567890",
			plan_id: "plan_pro_monthly",
			payment_method_id: "pm_1234567890",
			trial_days: 14,
		},
	});

const subscribeResponse = z
	.object({
		id: z.string(),
		customer_id: z.string(),
		plan_id: z.string(),
		status: z.enum(["trialing", "active", "past_due", "canceled", "unpaid", "paused"]),
		trial_end: z.string().nullable(),
		current_period_start: z.string().nullable(),
		current_period_end: z.string().nullable(),
		created_at: z.string(),
	})
	.meta({ id: "SubscriptionV13" });

const instant = (date: string | null) => (date === null ? null : `${date}T00:00:00Z`);

export class SubscribeV13 extends ApiRoute {
	readonly access = "subscriptions:write";
	/** Answers in the seed's own shape, read after its commits. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Billing API v1.3"],
		summary: "Create a subscription (v1.3)",
		operationId: "subscribeV13",
		request: { body: { content: contentJson(subscribeBody), required: true } },
		responses: {
			"201": { description: "The subscription", content: contentJson(subscribeResponse) },
			"400": problemResponse("Invalid request parameters"),
			"402": problemResponse("Payment method validation failed"),
			"404": problemResponse("Unknown customer or plan"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const sub = await createSubscription({
			ctx,
			input: {
				...body,
				plan_id: await planIdFor(ctx, body.plan_id),
				payment_method_id: await paymentMethodIdFor(ctx, body.customer_id, body.payment_method_id),
				quantity: 1,
				trial_days: body.trial_days,
			},
			missingAs: "not_found",
		});
		return c.json(
			{
				id: sub.id,
				customer_id: sub.customer_id,
				plan_id: sub.plan_id,
				status: sub.status,
				trial_end: instant(sub.trial_end),
				current_period_start: instant(sub.current_period_start),
				current_period_end: instant(sub.current_period_end),
				created_at: sub.created_at,
			},
			201,
		);
	}
}
