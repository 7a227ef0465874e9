import { newRouter } from "../router";
import { Health } from "./health";
import { Metrics } from "./metrics";
import { Sla } from "./sla";

export const operationsRouter = newRouter();
operationsRouter.get("/health", Health);
operationsRouter.get("/metrics", Metrics);
operationsRouter.get("/sla", Sla);
