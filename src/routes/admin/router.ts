import { newRouter } from "../router";
import { TenantCreate } from "./tenantCreate";

export const adminRouter = newRouter();
adminRouter.post("/tenants", TenantCreate);
