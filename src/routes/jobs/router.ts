import { newRouter } from "../router";
import { JobCancel } from "./jobCancel";
import { JobGet } from "./jobGet";
import { JobList } from "./jobList";
import { JobResult } from "./jobResult";

export const jobsRouter = newRouter();
jobsRouter.get("/", JobList);
jobsRouter.get("/:id", JobGet);
jobsRouter.get("/:id/result", JobResult);
jobsRouter.post("/:id/cancel", JobCancel);
