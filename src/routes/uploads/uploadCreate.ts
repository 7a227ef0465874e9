import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { uploadCreateBody, uploadSchema } from "../../schemas/imports";
import { createUpload } from "../../services/imports/uploads";
import { ApiRoute } from "../base";

export class UploadCreate extends ApiRoute {
	readonly access = "jobs:write";
	/** Stores nothing: the key is claimed, its answer stored after. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Imports"],
		summary: "Get a signed URL to upload an import file",
		description:
			"Answers an R2 key under your tenant's prefix and a URL that stores a file there with a PUT, without a " +
			"credential, until `expires_at`. Pass the key as an import's `source`. (Or PUT the file to " +
			"/v1/billing/uploads with your API key.)",
		operationId: "createUpload",
		request: { body: { content: contentJson(uploadCreateBody), required: false } },
		responses: { "201": { description: "Where to upload", content: contentJson(uploadSchema) } },
	};

	override async handle(c: AppContext) {
		await this.getValidatedData<typeof this.schema>();
		return c.json(await createUpload({ ctx: tenantContext(c) }), 201);
	}
}
