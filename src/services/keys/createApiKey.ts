import { apiKeys } from "../../db/schema";
import { effectivePermissions, type Permission } from "../../domain/permissions";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { type ApiKeyCreateInput, presentApiKey } from "../../schemas/apiKey";
import { changeStatements } from "../changeLog";
import { rolePermissions } from "../roles/rolePermissions";
import { issueApiKey } from "./issueApiKey";

/** A key never grants more than the key that creates it holds, so `keys:write` cannot escalate. */
export async function createApiKey({
	ctx,
	input,
	creatorPermissions,
}: {
	ctx: ServiceContext;
	input: ApiKeyCreateInput;
	creatorPermissions: ReadonlySet<Permission>;
}) {
	const permissions = await rolePermissions(ctx, input.role);
	if (!permissions) throw fieldInvalid("body", "role", `is not a built-in role or a role of this tenant`);
	const now = ctx.clock.now();
	if (input.expires_at !== undefined && Date.parse(input.expires_at) <= now.getTime()) {
		throw fieldInvalid("body", "expires_at", "must be in the future");
	}
	const granted = effectivePermissions(permissions, input.scopes ?? null);
	const beyond = [...granted].filter((p) => !creatorPermissions.has(p));
	if (beyond.length > 0) {
		throw new AppError("forbidden", `A key cannot grant permissions its creator lacks: ${beyond.join(", ")}.`, {
			extensions: { missing_permissions: beyond },
		});
	}
	const { row, secret } = await issueApiKey({
		tenantId: ctx.tenantId,
		name: input.name,
		role: input.role,
		scopes: input.scopes ?? null,
		expiresAt: input.expires_at === undefined ? null : new Date(input.expires_at).toISOString(),
		createdBy: ctx.actor.id,
		now: now.toISOString(),
	});
	await ctx.db.batch([
		ctx.db.insert(apiKeys).values(row),
		...changeStatements(ctx, {
			action: "api_key.created",
			target: { type: "api_key", id: row.id },
			before: null,
			after: presentApiKey(row),
			event: null,
			answers: { status: 201, body: { ...presentApiKey(row), secret } },
		}),
	]);
	return { ...presentApiKey(row), secret };
}
