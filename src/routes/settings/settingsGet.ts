import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor } from "../../lib/etag";
import { contentJson } from "../../schemas/common";
import { settingsSchema } from "../../schemas/settings";
import { getSettings } from "../../services/settings/settings";
import { ApiRoute } from "../base";

export class SettingsGet extends ApiRoute {
	readonly access = "settings:read";
	override schema = {
		tags: ["Settings"],
		summary: "The tenant's billing settings",
		operationId: "getSettings",
		responses: { "200": { description: "Settings", content: contentJson(settingsSchema) } },
	};

	override async handle(c: AppContext) {
		const settings = await getSettings({ ctx: tenantContext(c) });
		return c.json(settings, 200, { ETag: etagFor(settings.version) });
	}
}
