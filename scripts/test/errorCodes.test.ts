import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { isErrorCode } from '@shardpay/protocol';

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'test' || entry === 'test-vectors') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (entry.endsWith('.ts')) files.push(full);
  }
  return files;
}

it('every error code thrown by a package is in the ErrorCode registry', () => {
  const root = join(import.meta.dirname, '..', '..', 'packages');
  const thrown = new Map<string, string>();
  const pattern = /(?:ShardpayError|p2pError|Error)\(\s*'([A-Z][A-Z0-9_]+)'/g;
  for (const file of sourceFiles(root)) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) thrown.set(match[1]!, file);
  }
  assert.ok(thrown.size > 50, `found only ${thrown.size} codes: the scan is broken`);
  const missing = [...thrown]
    .filter(([code]) => !isErrorCode(code))
    .map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, []);
});
