import { newRouter } from "../router";
import { EventGet } from "./eventGet";
import { EventList } from "./eventList";

export const eventsRouter = newRouter();
eventsRouter.get("/", EventList);
eventsRouter.get("/:id", EventGet);
