/**
 * Built-in users: names, roles and bcrypt hashes, from a JSON file
 * (PORTSCOPE_USERS_FILE: `[{"user","role","passwordHash"}]`) or the
 * environment (PORTSCOPE_USERS: `name:role:hash,name:role:hash`). Make a hash
 * with `node scripts/hash-password.mjs`. Passwords are never stored or logged.
 */
import bcrypt from "bcryptjs";
import { z } from "zod";
import { ROLES, type Role } from "./roles";

export interface UserRecord {
  user: string;
  role: Role;
  passwordHash: string;
}

const userName = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, "user names are 1-64 letters, digits, '.', '_', '@' or '-'");
const bcryptHash = z.string().regex(/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/, "passwordHash must be a bcrypt hash (node scripts/hash-password.mjs)");

export const userRecordSchema = z.object({ user: userName, role: z.enum(ROLES, { error: 'role must be "viewer", "operator" or "admin"' }), passwordHash: bcryptHash }).strict();
export const userListSchema = z.array(userRecordSchema).min(1, "must list at least one user");

/** `name:role:hash,...` into records (the zod issues name the bad entry). */
export function parseUserList(text: string): unknown[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [user, role, ...rest] = entry.split(":");
      return { user, role, passwordHash: rest.join(":") };
    });
}

export function duplicateUser(list: UserRecord[]): string | null {
  return list.find((u, i) => list.findIndex((v) => v.user === u.user) !== i)?.user ?? null;
}

/** A well-formed hash of nothing, so an unknown user costs as much time as a wrong password. */
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.9bXkIYQ6R0u0oW3u6V1g7iO1mQ1C";

export async function checkPassword(users: readonly UserRecord[], user: string, password: string): Promise<UserRecord | null> {
  const found = users.find((u) => u.user === user);
  const ok = await bcrypt.compare(password.slice(0, 200), found?.passwordHash ?? DUMMY_HASH);
  return found && ok ? found : null;
}

export function hashPassword(password: string, rounds = 10): string {
  return bcrypt.hashSync(password, rounds);
}
