import { newRouter } from "../router";
import { RecurringCycles, RecurringJobGet, RecurringRun } from "./recurring";

export const recurringRouter = newRouter();
recurringRouter.get("/cycles", RecurringCycles);
recurringRouter.post("/run", RecurringRun);
recurringRouter.get("/jobs/:id", RecurringJobGet);
