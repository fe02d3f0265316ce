import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ShardpayError } from '@shardpay/crypto';

/**
 * SHARDPAY_HOME (default ~/.shardpay): the CLI's own state. Folders are 0700 and files 0600, since
 * they hold encrypted keystores and session tokens.
 *
 *   wallets/<name>.json   one wallet: name, address, shard, chain id, public key, encrypted keystore
 *   sessions.json         login tokens per gateway URL
 */
export function shardpayHomeDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SHARDPAY_HOME || join(homedir(), '.shardpay'));
}

/** Creates `dir` (and parents) as 0700, tightening it if it already exists. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Writes `value` as JSON through a temp file and a rename, so a crash never leaves half a file; 0600. */
export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** The parsed JSON file at `path`, or undefined when it does not exist; HOME_STATE_INVALID if unreadable. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ShardpayError('HOME_STATE_INVALID', `cannot read ${path}: ${(error as Error).message}`, {
      meta: { path },
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ShardpayError('HOME_STATE_INVALID', `${path} is not valid JSON; fix or remove it`, {
      meta: { path },
    });
  }
}

/** Names of the `.json` files in `dir` (without the extension), sorted; none if it does not exist. */
export async function listJsonNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((entry) => entry.endsWith('.json'))
      .map((entry) => entry.slice(0, -'.json'.length))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
