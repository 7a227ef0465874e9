import { newRouter } from "../router";
import { RefundCreate } from "./refundCreate";
import { RefundGet } from "./refundGet";
import { RefundList } from "./refundList";

export const refundsRouter = newRouter();
refundsRouter.get("/", RefundList);
refundsRouter.post("/", RefundCreate);
refundsRouter.get("/:id", RefundGet);
