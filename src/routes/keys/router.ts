import { newRouter } from "../router";
import { ApiKeyCreate } from "./apiKeyCreate";
import { ApiKeyList } from "./apiKeyList";
import { ApiKeyRevoke } from "./apiKeyRevoke";

export const keysRouter = newRouter();
keysRouter.get("/", ApiKeyList);
keysRouter.post("/", ApiKeyCreate);
keysRouter.delete("/:id", ApiKeyRevoke);
