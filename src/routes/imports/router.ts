import { newRouter } from "../router";
import { ImportCreate } from "./importCreate";
import { ImportGet } from "./importGet";

export const importsRouter = newRouter();
importsRouter.post("/", ImportCreate);
importsRouter.get("/:id", ImportGet);
