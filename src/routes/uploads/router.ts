import { newRouter } from "../router";
import { UploadCreate } from "./uploadCreate";
import { UploadPut } from "./uploadPut";

export const uploadsRouter = newRouter();
uploadsRouter.post("/", UploadCreate);
uploadsRouter.put("/", UploadPut);
