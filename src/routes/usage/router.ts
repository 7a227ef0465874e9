import { newRouter } from "../router";
import { UsageIngest } from "./usageIngest";
import { UsageList, UsagePreviewInvoice, UsageRejectionList, UsageReport } from "./usageRead";
import { UsageAdjust, UsageAggregate, UsageBulkIngest } from "./usageWrite";

export const usageRouter = newRouter();
usageRouter.post("/", UsageIngest);
usageRouter.get("/", UsageList);
usageRouter.post("/ingest/bulk", UsageBulkIngest);
usageRouter.post("/aggregate", UsageAggregate);
usageRouter.get("/preview-invoice", UsagePreviewInvoice);
usageRouter.post("/adjust", UsageAdjust);
usageRouter.post("/report", UsageReport);
usageRouter.get("/rejections", UsageRejectionList);
