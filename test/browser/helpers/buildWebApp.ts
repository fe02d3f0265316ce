/**
 * Builds the web app once for the browser tests: `npm run build -w @shardpay/web` when `apps/web/dist`
 * is missing or older than anything it is built from (the app's sources and the SDK it bundles), so a
 * test never drives a stale bundle and a second run does not pay for a build it does not need.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const webRoot = join(repoRoot, 'apps', 'web');
export const distDir = join(webRoot, 'dist');

/** What the bundle is made from: a change in any of these makes `dist` stale. */
const sources = [
  join(webRoot, 'src'),
  join(webRoot, 'index.html'),
  join(webRoot, 'public'),
  join(webRoot, 'vite.config.ts'),
  join(webRoot, 'package.json'),
  join(repoRoot, 'packages', 'sdk', 'src'),
];

/** The newest modification time (ms) of a file or of any file under a folder; 0 when absent. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when `dist/index.html` exists and is newer than every source. */
export function isBuildFresh(): boolean {
  const built = join(distDir, 'index.html');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return sources.every((source) => newestMtime(source) <= builtAt);
}

/**
 * Builds the app unless `dist` is fresh (async: the devnet starts meanwhile). Returns the build's
 * output (it prints the bundle report), or null when nothing was built. Throws with the build's
 * output when it fails.
 */
export async function ensureWebAppBuilt(): Promise<string | null> {
  if (isBuildFresh()) return null;
  const child = spawn('npm', ['run', 'build', '-w', '@shardpay/web'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code, signal] = (await new Promise((resolve) => {
    child.once('close', (...result) => resolve(result));
  })) as [number | null, string | null];
  if (code !== 0) throw new Error(`building the web app failed (exit ${code ?? signal}):\n${output}`);
  return output;
}
