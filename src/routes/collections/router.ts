import { newRouter } from "../router";
import { CollectionCaseGet, CollectionCaseList, CollectionCaseResolve } from "./cases";

export const collectionsRouter = newRouter();
collectionsRouter.get("/cases", CollectionCaseList);
collectionsRouter.get("/cases/:id", CollectionCaseGet);
collectionsRouter.post("/cases/:id/resolve", CollectionCaseResolve);
