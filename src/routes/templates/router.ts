import { newRouter } from "../router";
import { TemplateCreate, TemplateGet, TemplateList, TemplateUpdate } from "./templates";

export const templatesRouter = newRouter();
templatesRouter.get("/", TemplateList);
templatesRouter.post("/", TemplateCreate);
templatesRouter.get("/:id", TemplateGet);
templatesRouter.patch("/:id", TemplateUpdate);
