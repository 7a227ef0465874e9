import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import type { LifecycleAction } from "../../schemas/subscription";
import { cancelBody, subscriptionSchema } from "../../schemas/subscription";
import { changeSubscription } from "../../services/subscriptions/lifecycle";
import { ApiRoute } from "../base";

const actionSchema = (operationId: string, summary: string, description?: string) => ({
	tags: ["Subscriptions"],
	summary,
	...(description ? { description } : {}),
	operationId,
	request: { params: idParam("sub") },
	responses: {
		"200": { description: "The subscription", content: contentJson(subscriptionSchema) },
		"404": problemResponse("No such subscription for this tenant"),
		"409": problemResponse("Not possible in its current status"),
	},
});

abstract class SubscriptionAction extends ApiRoute {
	readonly access = "subscriptions:write";
	abstract action(c: AppContext): Promise<LifecycleAction>;

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<ReturnType<typeof actionSchema>>();
		return c.json(await changeSubscription({ ctx: tenantContext(c), id: params.id, action: await this.action(c) }));
	}
}

export class SubscriptionCancel extends SubscriptionAction {
	/**
	 * Cancelling at once commits the final usage and a credit for the unused period after the subscription,
	 * so no single commit is the answer.
	 */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		...actionSchema(
			"cancelSubscription",
			"Cancel a subscription",
			"At the end of the current period (default) or at once, optionally crediting the unused part of the period.",
		),
		request: { params: idParam("sub"), body: { content: contentJson(cancelBody), required: false } },
	};

	async action(): Promise<LifecycleAction> {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return { kind: "cancel", atPeriodEnd: body?.at_period_end ?? true, prorate: body?.prorate ?? false };
	}
}

export class SubscriptionPause extends SubscriptionAction {
	override schema = actionSchema("pauseSubscription", "Pause billing", "No period is billed while paused.");
	async action(): Promise<LifecycleAction> {
		return { kind: "pause" };
	}
}

export class SubscriptionResume extends SubscriptionAction {
	override schema = actionSchema(
		"resumeSubscription",
		"Resume billing",
		"Billing picks up at the start of the next period.",
	);
	async action(): Promise<LifecycleAction> {
		return { kind: "resume" };
	}
}

export class SubscriptionInvoiceNow extends SubscriptionAction {
	/** Billing every period due commits once per invoice. */
	protected override readonly claimsKeyFirst = true;
	override schema = actionSchema(
		"invoiceSubscriptionNow",
		"Invoice now",
		"Bills every period due; with none due, bills the upcoming period early.",
	);
	async action(): Promise<LifecycleAction> {
		return { kind: "invoice_now" };
	}
}
