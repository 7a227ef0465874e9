import { newRouter } from "../router";
import { CollectionCaseList } from "./cases";

export const collectionsRouter = newRouter();
collectionsRouter.get("/cases", CollectionCaseList);
