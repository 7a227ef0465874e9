import { and, eq, inArray } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { ledgerAccounts, ledgerMappings } from "../../db/schema";
import { defaultChart, isKnownAccount, postingRoles } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid } from "../../lib/errors";
import { changeStatements } from "../changeLog";
import { loadChart } from "./chart";

export async function listAccounts({ ctx }: { ctx: ServiceContext }) {
	const custom = await ctx.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.tenantId, ctx.tenantId));
	const data = [
		...defaultChart.map((a) => ({
			object: "ledger_account" as const,
			code: a.code,
			name: a.name,
			type: a.type,
			role: a.role,
			built_in: true,
		})),
		...custom.map((a) => ({
			object: "ledger_account" as const,
			code: a.code,
			name: a.name,
			type: a.type,
			role: null,
			built_in: false,
		})),
	];
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

const taken = (code: string) => new AppError("conflict", `Account ${code} exists already.`);

export async function createAccount({
	ctx,
	input,
}: {
	ctx: ServiceContext;
	input: { code: string; name: string; type: (typeof ledgerAccounts.$inferSelect)["type"] };
}) {
	const chart = await loadChart(ctx);
	if (isKnownAccount(input.code, chart.customCodes)) throw taken(input.code);
	const row = { tenantId: ctx.tenantId, ...input, createdAt: ctx.clock.now().toISOString() };
	const created = { object: "ledger_account" as const, ...input, role: null, built_in: false };
	try {
		await runBatch(ctx.db, [
			ctx.db.insert(ledgerAccounts).values(row),
			...changeStatements(ctx, {
				action: "ledger_account.created",
				target: { type: "ledger_account", id: input.code },
				before: null,
				after: input,
				event: null,
				answers: { status: 201, body: created },
			}),
		]);
	} catch (error) {
		// The same code created meanwhile by another request.
		if (isUniqueViolation(error)) throw taken(input.code);
		throw error;
	}
	return created;
}

export async function listMappings({ ctx }: { ctx: ServiceContext }) {
	const chart = await loadChart(ctx);
	return { object: "ledger_mappings" as const, mappings: chart.mappings };
}

/** Sets or removes mappings; every key must name a posting role and every code a known account. */
export async function updateMappings({
	ctx,
	mappings,
}: {
	ctx: ServiceContext;
	mappings: Record<string, string | null>;
}) {
	const chart = await loadChart(ctx);
	for (const [key, code] of Object.entries(mappings)) {
		const role = key.startsWith("sku:") ? "revenue" : key.startsWith("event:") ? key.split(":")[2] : key.split(":")[0];
		if (!postingRoles.includes(role as (typeof postingRoles)[number])) {
			throw fieldInvalid("body", `mappings.${key}`, `names no posting role (${postingRoles.join(", ")})`);
		}
		if (code !== null && !isKnownAccount(code, chart.customCodes)) {
			throw fieldInvalid("body", `mappings.${key}`, `account ${code} does not exist; create it first`);
		}
	}
	const now = ctx.clock.now().toISOString();
	const removed = Object.entries(mappings)
		.filter(([, code]) => code === null)
		.map(([key]) => key);
	const set = Object.entries(mappings).filter((entry): entry is [string, string] => entry[1] !== null);
	await runBatch(ctx.db, [
		...(removed.length
			? [
					ctx.db
						.delete(ledgerMappings)
						.where(and(eq(ledgerMappings.tenantId, ctx.tenantId), inArray(ledgerMappings.key, removed))),
				]
			: []),
		...set.map(([key, accountCode]) =>
			ctx.db
				.insert(ledgerMappings)
				.values({ tenantId: ctx.tenantId, key, accountCode, updatedAt: now })
				.onConflictDoUpdate({
					target: [ledgerMappings.tenantId, ledgerMappings.key],
					set: { accountCode, updatedAt: now },
				}),
		),
		...changeStatements(ctx, {
			action: "ledger_mappings.updated",
			target: { type: "tenant", id: ctx.tenantId },
			before: chart.mappings,
			after: mappings,
			event: null,
		}),
	]);
	return listMappings({ ctx });
}
