import { newRouter } from "../router";
import { JobGet } from "./jobGet";
import { JobList } from "./jobList";
import { JobResult } from "./jobResult";

export const jobsRouter = newRouter();
jobsRouter.get("/", JobList);
jobsRouter.get("/:id", JobGet);
jobsRouter.get("/:id/result", JobResult);
