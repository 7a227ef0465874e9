import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { jobSchema } from "../../schemas/job";
import { cancelJob } from "../../services/jobs/cancelJob";
import { ApiRoute } from "../base";

export class JobCancel extends ApiRoute {
	readonly access = "jobs:write";
	/** Its commit may cancel nothing (the job finished meanwhile), which only the commit tells. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Jobs"],
		summary: "Cancel a queued or running job",
		description:
			"A queued job never starts; a running one stops at its next chunk. What it did until then stays done and " +
			"is reported in its progress and errors.",
		operationId: "cancelJob",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The canceled job", content: contentJson(jobSchema) },
			"404": problemResponse("No such job for this tenant"),
			"409": problemResponse("The job already finished"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await cancelJob({ ctx: tenantContext(c), id: params.id }));
	}
}
