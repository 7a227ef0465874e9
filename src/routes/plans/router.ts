import { newRouter } from "../router";
import { PlanCreate } from "./planCreate";
import { PlanDelete } from "./planDelete";
import { PlanGet } from "./planGet";
import { PlanList } from "./planList";
import { PlanUpdate } from "./planUpdate";

export const plansRouter = newRouter();
plansRouter.get("/", PlanList);
plansRouter.post("/", PlanCreate);
plansRouter.get("/:id", PlanGet);
plansRouter.patch("/:id", PlanUpdate);
plansRouter.delete("/:id", PlanDelete);
