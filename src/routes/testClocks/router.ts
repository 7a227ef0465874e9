import { newRouter } from "../router";
import { TestClockAdvance, TestClockCreate, TestClockGet } from "./testClocks";

export const testClocksRouter = newRouter();
testClocksRouter.post("/", TestClockCreate);
testClocksRouter.get("/:id", TestClockGet);
testClocksRouter.post("/:id/advance", TestClockAdvance);
