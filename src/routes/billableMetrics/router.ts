import { newRouter } from "../router";
import { BillableMetricCreate, BillableMetricGet, BillableMetricList, BillableMetricUpdate } from "./billableMetrics";

export const billableMetricsRouter = newRouter();
billableMetricsRouter.get("/", BillableMetricList);
billableMetricsRouter.post("/", BillableMetricCreate);
billableMetricsRouter.get("/:id", BillableMetricGet);
billableMetricsRouter.patch("/:id", BillableMetricUpdate);
