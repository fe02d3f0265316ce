import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShardpayError } from '@shardpay/crypto';
import type { GatewayTokens } from '@shardpay/sdk';
import { shardpayHomeDir } from './shardpayHome.ts';

/** A login kept for one gateway URL. */
export interface StoredSession extends GatewayTokens {
  email: string;
  userId: string;
}

type SessionFile = Record<string, StoredSession>;

function sessionsPath(home: string): string {
  return join(home, 'sessions.json');
}

// Synchronous on purpose: the SDK reports refreshed tokens from inside a request, and the new refresh
// token (the old one is now spent) must be on disk before the command can exit.
function readSessions(home: string): SessionFile {
  const path = sessionsPath(home);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as SessionFile;
  } catch {
    // reported below
  }
  throw new ShardpayError('HOME_STATE_INVALID', `${path} is not valid JSON; remove it and log in again`, {
    meta: { path },
  });
}

/** The session kept for `gatewayUrl`, if any. */
export function loadSession(gatewayUrl: string, home = shardpayHomeDir()): StoredSession | undefined {
  const session = readSessions(home)[gatewayUrl];
  return session && typeof session.accessToken === 'string' ? session : undefined;
}

/** Stores (or, with undefined, forgets) the session of `gatewayUrl`; the folder is 0700, the file 0600. */
export function saveSession(
  gatewayUrl: string,
  session: StoredSession | undefined,
  home = shardpayHomeDir(),
): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const sessions = readSessions(home);
  if (session === undefined) delete sessions[gatewayUrl];
  else sessions[gatewayUrl] = session;
  const path = sessionsPath(home);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(sessions, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
