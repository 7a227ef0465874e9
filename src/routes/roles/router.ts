import { newRouter } from "../router";
import { RoleCreate } from "./roleCreate";
import { RoleList } from "./roleList";

export const rolesRouter = newRouter();
rolesRouter.get("/", RoleList);
rolesRouter.post("/", RoleCreate);
