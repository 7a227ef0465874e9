import { newRouter } from "../router";
import { TenantCreate } from "./tenantCreate";
import { UserCreate } from "./userCreate";

export const adminRouter = newRouter();
adminRouter.post("/tenants", TenantCreate);
adminRouter.post("/tenants/:id/users", UserCreate);
