import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { eventListQuery, eventSchema } from "../../schemas/event";
import { listEvents } from "../../services/events/events";
import { ApiRoute } from "../base";

export class EventList extends ApiRoute {
	readonly access = "events:read";
	override schema = {
		tags: ["Events"],
		summary: "The event log, for clients that poll instead of receiving webhooks",
		operationId: "listEvents",
		request: { query: eventListQuery },
		responses: {
			"200": { description: "A page of events", content: contentJson(listEnvelope(eventSchema, "EventList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listEvents({ ctx: tenantContext(c), query }));
	}
}
