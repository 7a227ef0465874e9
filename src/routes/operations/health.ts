import { z } from "zod";
import type { AppContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { checkHealth } from "../../services/operations/checkHealth";
import { ApiRoute } from "../base";

const check = z.object({
	status: z.enum(["ok", "failed"]),
	latency_ms: z.number(),
	detail: z.string().optional(),
});

const healthSchema = z
	.object({
		status: z.enum(["ok", "degraded"]),
		time: z.string(),
		checks: z.object({ d1: check, r2: check, queue_usage_events: check, queue_webhooks: check, queue_jobs: check }),
	})
	.meta({ id: "Health" });

export class Health extends ApiRoute {
	readonly access = "public";
	override schema = {
		tags: ["Operations"],
		summary: "Health of the service and its subsystems",
		operationId: "getHealth",
		responses: {
			"200": { description: "Every subsystem answers", content: contentJson(healthSchema) },
			"503": {
				description:
					"At least one subsystem failed; or, as a problem document naming the `setting`, the deployment is misconfigured",
				content: contentJson(healthSchema),
			},
		},
	};

	override async handle(c: AppContext) {
		const health = await checkHealth(c.env, c.get("clock").now());
		return c.json(health, health.status === "ok" ? 200 : 503, { "Cache-Control": "no-store" });
	}
}
