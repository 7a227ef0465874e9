import { newRouter } from "../router";
import { AuditGet } from "./auditGet";
import { AuditList } from "./auditList";

export const auditRouter = newRouter();
auditRouter.get("/", AuditList);
auditRouter.get("/:id", AuditGet);
