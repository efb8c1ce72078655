import { EdgeError } from '../../protocol/errors.ts';
import type { UserRecord, UserStore } from '../storage/metadata.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export const ADMIN_USER = 'admin';
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function validateUserName(name: string): string {
  if (!USER_NAME.test(name)) {
    throw new EdgeError('BAD_REQUEST', `Invalid user name '${name.slice(0, 64)}': use letters, digits, '.', '_', '@' or '-'.`);
  }
  return name;
}

/**
 * Creates `admin` on first start. The password comes from config or is generated; a generated
 * one is handed to `announce` once and never stored in clear.
 */
export async function ensureAdmin(users: UserStore, configured: string | undefined, announce: (password: string) => void, now: number): Promise<void> {
  if (await users.get(ADMIN_USER)) return;
  const password = configured ?? generatePassword();
  const admin: UserRecord = {
    name: ADMIN_USER,
    email: '',
    passwordHash: await hashPassword(password),
    admin: true,
    groups: [],
    created: now,
  };
  await users.put(admin);
  if (!configured) announce(password);
}
