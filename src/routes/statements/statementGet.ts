import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { statementGetQuery, statementSchema } from "../../schemas/statement";
import { getStatement, statementPdf } from "../../services/statements/statements";
import { ApiRoute } from "../base";
import { pdfContent, pdfResponse } from "../documents/pdfResponse";

export class StatementGet extends ApiRoute {
	readonly access = "customers:read";
	override schema = {
		tags: ["Statements"],
		summary: "Retrieve or download a statement",
		description: "JSON by default; the stored PDF with `Accept: application/pdf` or `?format=pdf`.",
		operationId: "getStatement",
		request: { params: idParam("stmt"), query: statementGetQuery },
		responses: {
			"200": {
				description: "The statement, or its PDF",
				content: { ...contentJson(statementSchema), ...pdfContent.content },
			},
			"404": problemResponse("No such statement for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const wantsPdf =
			query.format === "pdf" || (query.format === undefined && /application\/pdf/.test(c.req.header("accept") ?? ""));
		if (wantsPdf) return pdfResponse(await statementPdf({ ctx, id: params.id }), c.req.header("if-none-match"));
		return c.json(await getStatement({ ctx, id: params.id }));
	}
}
