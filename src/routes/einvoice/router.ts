import { newRouter } from "../router";
import { AccessPointGet, AccessPointSet } from "./accessPoint";

export const einvoiceRouter = newRouter();
einvoiceRouter.get("/access-point", AccessPointGet);
einvoiceRouter.post("/access-point", AccessPointSet);
