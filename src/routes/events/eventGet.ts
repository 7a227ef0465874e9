import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { eventSchema, presentEvent } from "../../schemas/event";
import { getEvent } from "../../services/events/events";
import { ApiRoute } from "../base";

export class EventGet extends ApiRoute {
	readonly access = "events:read";
	override schema = {
		tags: ["Events"],
		summary: "Retrieve an event",
		operationId: "getEvent",
		request: { params: idParam("evt") },
		responses: {
			"200": { description: "The event", content: contentJson(eventSchema) },
			"404": problemResponse("No such event for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentEvent(await getEvent({ ctx: tenantContext(c), id: params.id })));
	}
}
