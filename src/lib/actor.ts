/** Who a change is made by, as the audit log and the events record it. */
export type Actor = { type: "api_key" | "user" | "admin" | "system"; id: string };
