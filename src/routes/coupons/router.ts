import { newRouter } from "../router";
import { CouponArchive, CouponCreate, CouponList } from "./coupons";

export const couponsRouter = newRouter();
couponsRouter.get("/", CouponList);
couponsRouter.post("/", CouponCreate);
couponsRouter.delete("/:id", CouponArchive);
