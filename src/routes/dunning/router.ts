import { newRouter } from "../router";
import { DunningRuleCreate, DunningRuleDelete, DunningRuleGet, DunningRuleList, DunningRuleUpdate } from "./rules";
import { DunningJobGet, DunningRun } from "./runs";

export const dunningRouter = newRouter();
dunningRouter.get("/rules", DunningRuleList);
dunningRouter.post("/rules", DunningRuleCreate);
dunningRouter.get("/rules/:id", DunningRuleGet);
dunningRouter.patch("/rules/:id", DunningRuleUpdate);
dunningRouter.delete("/rules/:id", DunningRuleDelete);
dunningRouter.post("/run", DunningRun);
dunningRouter.get("/jobs/:id", DunningJobGet);
