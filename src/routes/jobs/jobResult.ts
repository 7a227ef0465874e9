import { type AppContext, tenantContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { idParam, problemResponse } from "../../schemas/common";
import { loadJob } from "../../services/jobs/jobs";
import { ApiRoute } from "../base";

export class JobResult extends ApiRoute {
	readonly access = "jobs:read";
	override schema = {
		tags: ["Jobs"],
		summary: "Download a job's result file",
		operationId: "getJobResult",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The file, streamed from R2", content: { "application/octet-stream": { schema: {} } } },
			"404": problemResponse("No such job, or it has no result file"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const job = await loadJob(ctx, params.id);
		const object = job.resultKey ? await ctx.env.FILES.get(job.resultKey) : null;
		if (!object) throw notFound("job result", params.id);
		return new Response(object.body, {
			headers: {
				"Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
				"Content-Disposition": `attachment; filename="${job.id}-result"`,
			},
		});
	}
}
