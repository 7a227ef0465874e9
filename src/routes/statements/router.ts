import { newRouter } from "../router";
import { StatementGet } from "./statementGet";
import { StatementSend } from "./statementSend";

export const statementsRouter = newRouter();
statementsRouter.get("/:id", StatementGet);
statementsRouter.post("/:id/send", StatementSend);
