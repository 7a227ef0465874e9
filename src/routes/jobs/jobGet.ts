import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { loadJob } from "../../services/jobs/jobs";
import { ApiRoute } from "../base";

export class JobGet extends ApiRoute {
	readonly access = "jobs:read";
	override schema = {
		tags: ["Jobs"],
		summary: "A job's status, progress and errors",
		operationId: "getJob",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The job", content: contentJson(jobSchema) },
			"404": problemResponse("No such job for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentJob(await loadJob(tenantContext(c), params.id)));
	}
}
