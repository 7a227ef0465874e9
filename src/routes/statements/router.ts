import { newRouter } from "../router";
import { StatementGet } from "./statementGet";

export const statementsRouter = newRouter();
statementsRouter.get("/:id", StatementGet);
