import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse, timestamp } from "../../schemas/common";
import { advanceTestClock, createTestClock, getTestClock } from "../../services/testClocks/testClocks";
import { ApiRoute } from "../base";

const clockSchema = z
	.object({
		id: z.string(),
		object: z.literal("test_clock"),
		name: z.string(),
		frozen_time: timestamp,
		created_at: timestamp,
		advanced: z
			.object({ customers: z.number().int(), invoices_created: z.number().int(), errors: z.array(z.unknown()) })
			.optional(),
	})
	.meta({ id: "TestClock" });
const clockParams = z.object({ id: z.string().regex(/^clock_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a clock_ id") });

export class TestClockCreate extends ApiRoute {
	readonly access = "subscriptions:write";
	override schema = {
		tags: ["Test clocks"],
		summary: "Create a test clock",
		description:
			"Attach customers with `test_clock_id` when creating them; they are billed on the clock's time, only when it advances.",
		operationId: "createTestClock",
		request: {
			body: {
				content: contentJson(
					z.strictObject({ name: z.string().trim().min(1).max(200), frozen_time: z.iso.datetime({ offset: true }) }),
				),
				required: true,
			},
		},
		responses: { "201": { description: "The clock", content: contentJson(clockSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createTestClock({ ctx: tenantContext(c), input: body }), 201);
	}
}

export class TestClockGet extends ApiRoute {
	readonly access = "subscriptions:read";
	override schema = {
		tags: ["Test clocks"],
		summary: "Retrieve a test clock",
		operationId: "getTestClock",
		request: { params: clockParams },
		responses: {
			"200": { description: "The clock", content: contentJson(clockSchema) },
			"404": problemResponse("No such clock for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getTestClock({ ctx: tenantContext(c), id: params.id }));
	}
}

export class TestClockAdvance extends ApiRoute {
	readonly access = "subscriptions:write";
	/** Advancing bills every customer on the clock, one commit each. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Test clocks"],
		summary: "Advance a test clock, running the billing that falls due",
		operationId: "advanceTestClock",
		request: {
			params: clockParams,
			body: { content: contentJson(z.strictObject({ frozen_time: z.iso.datetime({ offset: true }) })), required: true },
		},
		responses: {
			"200": { description: "The clock and what advancing it billed", content: contentJson(clockSchema) },
			"404": problemResponse("No such clock for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await advanceTestClock({ ctx: tenantContext(c), id: params.id, frozenTime: body.frozen_time }));
	}
}
