import { z } from "zod";
import type { AppContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { ApiRoute } from "../base";

const slaSchema = z
	.object({
		availability_target: z.string(),
		latency_targets_ms: z.record(z.string(), z.object({ p50: z.number(), p99: z.number() })),
		support: z.object({ runbooks: z.array(z.object({ topic: z.string(), path: z.string() })) }),
	})
	.meta({ id: "Sla" });

const SLA: z.infer<typeof slaSchema> = {
	availability_target: "99.9% monthly",
	latency_targets_ms: {
		reads: { p50: 20, p99: 150 },
		writes: { p50: 50, p99: 400 },
		usage_ingest_accept: { p50: 20, p99: 200 },
	},
	support: {
		runbooks: [
			{ topic: "Degraded health check", path: "README.md#operations" },
			{ topic: "Webhook backlog growing", path: "README.md#operations" },
			{ topic: "Dead-letter queue has messages", path: "README.md#operations" },
		],
	},
};

export class Sla extends ApiRoute {
	readonly access = "public";
	override schema = {
		tags: ["Operations"],
		summary: "Service-level objectives and runbook links",
		operationId: "getSla",
		responses: { "200": { description: "The published objectives", content: contentJson(slaSchema) } },
	};

	override async handle(c: AppContext) {
		return c.json(SLA);
	}
}
