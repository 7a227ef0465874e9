import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/env";

/**
 * One instance per (tenant, customer): the single serialization point for that account's money
 * (ARCHITECTURE.md invariant 2). Money-moving operations are added as RPC methods by the capabilities
 * that own them; each runs alone and commits as one D1 batch.
 */
export class AccountDO extends DurableObject<Env> {}
