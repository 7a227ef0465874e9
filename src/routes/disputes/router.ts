import { newRouter } from "../router";
import { ChargebackCreate, DisputeCreate } from "./chargebackCreate";
import { DisputeGet } from "./disputeGet";
import { ChargebackList } from "./disputeList";
import { DisputeResolve } from "./disputeResolve";
import { DisputeUpdate } from "./disputeUpdate";

export const chargebacksRouter = newRouter();
chargebacksRouter.get("/", ChargebackList);
chargebacksRouter.post("/", ChargebackCreate);

export const disputesRouter = newRouter();
disputesRouter.post("/", DisputeCreate);
disputesRouter.get("/:id", DisputeGet);
disputesRouter.patch("/:id", DisputeUpdate);
disputesRouter.post("/:id/resolve", DisputeResolve);
