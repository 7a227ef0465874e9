import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { uploadName, uploadStoredSchema } from "../../schemas/imports";
import { MAX_UPLOAD_BYTES, newUploadName, storeUpload, verifyUploadUrl } from "../../services/imports/uploads";
import { ApiRoute, authorize } from "../base";

const grantQuery = z.object({
	name: uploadName.optional(),
	tenant: z.string().max(64).optional(),
	expires: z.string().max(20).optional(),
	signature: z.string().max(128).optional(),
});

export class UploadPut extends ApiRoute {
	// A signed URL is its own credential; without one, the API key's `jobs:write` is checked below.
	readonly access = "public";
	/** Stores the file in R2 before any answer can be stored. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Imports"],
		summary: "Upload an import file",
		description:
			`Stores the body (at most ${MAX_UPLOAD_BYTES} bytes) under your tenant's uploads: through the signed URL ` +
			"from POST /v1/billing/uploads (its query is the grant; no credential; an expired or altered URL is a 403), " +
			"or with an API key holding `jobs:write` and no query. Answers the R2 key to import from.",
		operationId: "putUpload",
		request: {
			query: grantQuery,
			body: {
				content: {
					"text/csv": { schema: z.string() },
					"application/x-ndjson": { schema: z.string() },
				},
				required: true,
			},
		},
		responses: {
			"201": { description: "The stored upload", content: contentJson(uploadStoredSchema) },
			"403": problemResponse("The upload URL expired or was altered, or the key lacks jobs:write"),
			"413": problemResponse("The file is over the size limit"),
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		let tenantId: string;
		let name: string;
		if (Object.values(query).some((value) => value !== undefined)) {
			const grant = {
				name: query.name ?? "",
				tenant: query.tenant ?? "",
				expires: query.expires ?? "",
				signature: query.signature ?? "",
			};
			tenantId = await verifyUploadUrl(c.env, c.get("clock").now(), grant);
			name = grant.name;
		} else {
			authorize(c, "jobs:write");
			tenantId = tenantContext(c).tenantId;
			name = newUploadName();
		}
		return c.json(await storeUpload(c.env, tenantId, name, c.req.raw), 201);
	}
}
