import { randomBytes } from 'node:crypto';

/** The typed id prefixes of gateway objects. */
export type IdPrefix = 'usr' | 'ses' | 'wal' | 'wch' | 'pay' | 'evt' | 'req' | 'mer' | 'mk' | 'inv' | 'ref';

/** An id with its type in the prefix, e.g. `usr_3kT9…`; 16 random bytes, base64url. */
export function createId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** True when `value` looks like an id of type `prefix` (shape only; existence is the database's). */
export function isId(value: unknown, prefix: IdPrefix): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}_[A-Za-z0-9_-]{22}$`).test(value);
}
