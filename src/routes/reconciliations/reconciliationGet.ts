import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { presentReconciliation, reconciliationSchema } from "../../schemas/reconciliation";
import { loadReconciliation } from "../../services/reconciliation/reconcilePayments";
import { ApiRoute } from "../base";

export class ReconciliationGet extends ApiRoute {
	readonly access = "payments:read";
	override schema = {
		tags: ["Payments"],
		summary: "A reconciliation report: matched, ambiguous and unmatched lines",
		operationId: "getReconciliation",
		request: { params: idParam("rec") },
		responses: {
			"200": { description: "The report", content: contentJson(reconciliationSchema) },
			"404": problemResponse("No such reconciliation for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentReconciliation(await loadReconciliation(tenantContext(c), params.id)));
	}
}
