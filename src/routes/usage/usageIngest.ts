import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { contentJson, problemResponse } from "../../schemas/common";
import { usageEventInput, usageIngestResult } from "../../schemas/usage";
import { acceptUsageEvents, eventsOfNdjson, MAX_EVENTS_PER_REQUEST } from "../../services/usage/ingestUsage";
import { ApiRoute } from "../base";

export class UsageIngest extends ApiRoute {
	readonly access = "usage:write";
	/** Its change is a message to the usage queue, which cannot store an answer. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Usage"],
		summary: "Record usage events",
		description:
			`One event, a JSON array, or NDJSON (application/x-ndjson), at most ${MAX_EVENTS_PER_REQUEST} events. Each event is ` +
			"validated on its own: bad ones are reported by index, good ones accepted. 202 means every accepted event is durably " +
			"on the usage queue; it is aggregated moments later. An event_id seen before is counted once. Events for a metric " +
			"not defined yet are kept and count once it is.",
		operationId: "recordUsage",
		request: {
			body: {
				content: {
					"application/json": { schema: z.union([usageEventInput, z.array(usageEventInput)]) },
					"application/x-ndjson": {
						schema: z.string().meta({ example: '{"customer_id":"cus_…","metric":"api_calls"}\n' }),
					},
				},
				required: true,
			},
		},
		responses: {
			"202": { description: "Accepted events (and those rejected, by index)", content: contentJson(usageIngestResult) },
			"422": problemResponse("No event could be accepted"),
		},
	};

	// Events are validated one by one (partial acceptance), so the body is read here.
	override async handle(c: AppContext) {
		const raw = c.get("rawBody") ?? "";
		if (raw.trim() === "") throw fieldInvalid("body", "body", "holds no events");
		const ndjson = /ndjson/i.test(c.req.header("content-type") ?? "");
		const events = ndjson ? eventsOfNdjson(raw) : [c.get("jsonBody")].flat();
		// Usage goes to its queue, not to the outbox: there is no event to dispatch after the response.
		c.set("writesNoEvents", true);
		return c.json(await acceptUsageEvents({ ctx: tenantContext(c), events }), 202);
	}
}
