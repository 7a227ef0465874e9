import { newRouter } from "../router";
import { SettingsGet } from "./settingsGet";
import { SettingsUpdate } from "./settingsUpdate";

export const settingsRouter = newRouter();
settingsRouter.get("/", SettingsGet);
settingsRouter.patch("/", SettingsUpdate);
