import { type AppContext, tenantContext } from "../../lib/context";
import { renderMetrics } from "../../services/operations/renderMetrics";
import { ApiRoute } from "../base";

export class Metrics extends ApiRoute {
	readonly access = "metrics:read";
	override schema = {
		tags: ["Operations"],
		summary: "Service metrics in Prometheus text format",
		operationId: "getMetrics",
		responses: {
			"200": { description: "Prometheus text exposition format 0.0.4", content: { "text/plain": { schema: {} } } },
		},
	};

	override async handle(c: AppContext) {
		const body = await renderMetrics(tenantContext(c));
		return c.body(body, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
	}
}
