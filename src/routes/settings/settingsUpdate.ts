import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { settingsSchema, settingsUpdateBody } from "../../schemas/settings";
import { updateSettings } from "../../services/settings/settings";
import { ApiRoute } from "../base";

export class SettingsUpdate extends ApiRoute {
	readonly access = "settings:write";
	override schema = {
		tags: ["Settings"],
		summary: "Update the tenant's billing settings",
		operationId: "updateSettings",
		request: { body: { content: contentJson(settingsUpdateBody), required: true } },
		responses: { "200": { description: "Settings", content: contentJson(settingsSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await updateSettings({ ctx: tenantContext(c), patch: body }));
	}
}
