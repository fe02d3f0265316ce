import assert from 'node:assert/strict';
import { isShardpayError, type ShardpayError } from '../src/index.ts';

/** Runs `fn`, requires a ShardpayError with `code` (and `meta.reason` when given), returns it. */
export function assertThrowsCode(fn: () => unknown, code: string, reason?: string): ShardpayError {
  try {
    fn();
  } catch (error) {
    assert.ok(isShardpayError(error), `expected a ShardpayError, got ${String(error)}`);
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    if (reason !== undefined) {
      assert.equal(error.meta.reason, reason, `expected reason ${reason}, got ${String(error.meta.reason)}`);
    }
    return error;
  }
  assert.fail(`expected ${code}${reason === undefined ? '' : ` (${reason})`}, but nothing was thrown`);
}
