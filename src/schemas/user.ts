import { z } from "zod";
import type { users } from "../db/schema";
import { userRoleNames } from "../domain/permissions";

export type UserRow = typeof users.$inferSelect;

export const userEmail = z
	.email("must be an email address")
	.max(254)
	.transform((value) => value.toLowerCase());

/** At least 10 characters with a letter and a digit: short or one-class passwords fall to guessing. */
export const newPassword = z
	.string("is required")
	.min(10, "must be at least 10 characters")
	.max(128, "must be at most 128 characters")
	.refine((value) => /\p{L}/u.test(value) && /\p{N}/u.test(value), "must contain a letter and a digit");

export const userRole = z.enum(userRoleNames);

export const userCreateBody = z
	.strictObject({
		email: userEmail,
		password: newPassword,
		fullName: z.string().trim().min(1).max(200),
		role: userRole,
		customerId: z
			.string()
			.min(1)
			.max(64)
			.optional()
			.meta({ description: "For a CUSTOMER: the customer it acts for (otherwise the customer with its email)." }),
	})
	.meta({
		id: "UserRegister",
		example: { email: "ada@example.com", password: "correct-horse-42", fullName: "Ada Lovelace", role: "ACCOUNTANT" },
	});

export type UserCreateInput = z.infer<typeof userCreateBody>;

export const userSchema = z
	.object({
		id: z.string(),
		email: z.string(),
		fullName: z.string(),
		role: userRole,
		status: z.enum(["PENDING", "ACTIVE", "REJECTED"]),
		customerId: z.string().nullable(),
		createdAt: z.string(),
	})
	.meta({ id: "User" });

export const presentUser = (row: UserRow): z.infer<typeof userSchema> => ({
	id: row.id,
	email: row.email,
	fullName: row.fullName,
	role: row.role,
	status: row.status,
	customerId: row.customerId,
	createdAt: row.createdAt,
});
