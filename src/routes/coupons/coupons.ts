import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope, problemResponse } from "../../schemas/common";
import { couponCreateBody, couponSchema } from "../../schemas/coupon";
import { archiveCoupon, createCoupon, listCoupons } from "../../services/coupons/coupons";
import { ApiRoute } from "../base";

export class CouponCreate extends ApiRoute {
	readonly access = "plans:write";
	override schema = {
		tags: ["Coupons"],
		summary: "Create a coupon (promotion code)",
		description:
			"Percent or fixed amount off subscription invoices, once, for n invoices, or forever; optionally limited in redemptions and time.",
		operationId: "createCoupon",
		request: { body: { content: contentJson(couponCreateBody), required: true } },
		responses: {
			"201": { description: "The coupon", content: contentJson(couponSchema) },
			"409": problemResponse("A coupon with this code exists"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createCoupon({ ctx: tenantContext(c), input: body }), 201);
	}
}

export class CouponList extends ApiRoute {
	readonly access = "plans:read";
	override schema = {
		tags: ["Coupons"],
		summary: "List coupons",
		operationId: "listCoupons",
		responses: {
			"200": { description: "All coupons", content: contentJson(listEnvelope(couponSchema, "CouponList")) },
		},
	};

	override async handle(c: AppContext) {
		return c.json(await listCoupons({ ctx: tenantContext(c) }));
	}
}

export class CouponArchive extends ApiRoute {
	readonly access = "plans:write";
	override schema = {
		tags: ["Coupons"],
		summary: "Archive a coupon: no new redemptions; subscriptions that have it keep it",
		operationId: "archiveCoupon",
		request: { params: z.object({ id: z.string().regex(/^coupon_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a coupon_ id") }) },
		responses: {
			"200": { description: "The archived coupon", content: contentJson(couponSchema) },
			"404": problemResponse("No such coupon for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await archiveCoupon({ ctx: tenantContext(c), id: params.id }));
	}
}
