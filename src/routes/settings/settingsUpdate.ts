import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor, withExpectedVersion } from "../../lib/etag";
import { contentJson, problemResponse } from "../../schemas/common";
import { settingsSchema, settingsUpdateBody } from "../../schemas/settings";
import { updateSettings } from "../../services/settings/settings";
import { ApiRoute } from "../base";

export class SettingsUpdate extends ApiRoute {
	readonly access = "settings:write";
	/** Answers the settings as read after its commit (triggers move their version). */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Settings"],
		summary: "Update the tenant's billing settings",
		description:
			"Partial update. Send the version you read as `If-Match` or as `version`; a stale one is refused (412 or 409).",
		operationId: "updateSettings",
		request: {
			headers: z.object({ "if-match": z.string().optional() }),
			body: { content: contentJson(settingsUpdateBody), required: true },
		},
		responses: {
			"200": { description: "Settings", content: contentJson(settingsSchema) },
			"409": problemResponse("Stale version"),
			"412": problemResponse("If-Match does not name the current version"),
		},
	};

	override async handle(c: AppContext) {
		const { headers, body } = await this.getValidatedData<typeof this.schema>();
		const { version, ...patch } = body;
		const settings = await withExpectedVersion(headers["if-match"], version, (expectedVersion) =>
			updateSettings({ ctx: tenantContext(c), patch, expectedVersion }),
		);
		return c.json(settings, 200, { ETag: etagFor(settings.version) });
	}
}
