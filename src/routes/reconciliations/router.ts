import { newRouter } from "../router";
import { ReconciliationGet } from "./reconciliationGet";

export const reconciliationsRouter = newRouter();
reconciliationsRouter.get("/:id", ReconciliationGet);
