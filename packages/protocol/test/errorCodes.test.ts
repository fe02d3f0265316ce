import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CODE_DESCRIPTIONS, ErrorCode, isErrorCode } from '../src/index.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('ErrorCode registry', () => {
  it('every code is SCREAMING_SNAKE, its own value, and has a one-line description', () => {
    for (const [key, value] of Object.entries(ErrorCode)) {
      assert.equal(key, value);
      assert.match(key, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      const description = ERROR_CODE_DESCRIPTIONS[value];
      assert.ok(description.length > 10 && !description.includes('\n'), key);
    }
    assert.deepStrictEqual(Object.keys(ERROR_CODE_DESCRIPTIONS).sort(), Object.keys(ErrorCode).sort());
  });

  it('registers every code this package throws or matches on', () => {
    const pattern = /(?:ShardpayError|isShardpayError)\([^']*'([A-Z][A-Z0-9_]+)'/g;
    const used = new Set<string>();
    for (const file of sourceFiles(join(import.meta.dirname, '..', 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(pattern)) used.add(match[1] as string);
    }
    assert.ok(used.has('DECODE_ERROR') && used.has('JSON_INVALID'), 'the scan finds the codes');
    for (const code of used) assert.ok(isErrorCode(code), `${code} is thrown but not registered`);
  });

  it('isErrorCode accepts registered codes only', () => {
    assert.ok(isErrorCode('INSUFFICIENT_FUNDS'));
    assert.equal(isErrorCode('toString'), false);
    assert.equal(isErrorCode('NOT_A_CODE'), false);
    assert.equal(isErrorCode(42), false);
  });
});
