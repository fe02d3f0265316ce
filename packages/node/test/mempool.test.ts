import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import type { Transaction } from '@shardpay/protocol';
import { createMempool, type MempoolEntry, type MempoolOptions } from '../src/mempool/createMempool.ts';

function sender(n: number): Uint8Array {
  return new Uint8Array(20).fill(n);
}

function entry(
  from: number,
  nonce: bigint,
  options: { size?: number; expiryHeight?: bigint } = {},
): MempoolEntry {
  const senderAddress = sender(from);
  const tx = { nonce, expiryHeight: options.expiryHeight ?? 1000n } as Transaction;
  const id = new Uint8Array(32);
  id[0] = from;
  new DataView(id.buffer).setBigUint64(8, nonce);
  return {
    tx,
    id,
    idHex: bytesToHex(id),
    sender: senderAddress,
    senderHex: bytesToHex(senderAddress),
    size: options.size ?? 100,
  };
}

function setup(overrides: Partial<MempoolOptions> = {}) {
  const nonces = new Map<string, bigint>();
  const pool = createMempool(
    { maxTransactions: 100, maxBytes: 1_000_000, maxPerSender: 10, maxNonceGap: 4n, ...overrides },
    { committedNonce: (address) => nonces.get(bytesToHex(address)) ?? 0n },
  );
  return { pool, nonces };
}

function assertCode(fn: () => void, code: string) {
  assert.throws(fn, (error: unknown) => isShardpayError(error, code));
}

describe('mempool', () => {
  it('refuses used nonces, far-ahead nonces, duplicates and a second tx for one nonce, with codes', () => {
    const { pool, nonces } = setup();
    nonces.set(bytesToHex(sender(1)), 5n);
    assertCode(() => pool.add(entry(1, 4n)), 'BAD_NONCE');
    assertCode(() => pool.add(entry(1, 10n)), 'NONCE_TOO_FAR_AHEAD');
    pool.add(entry(1, 9n));
    assertCode(() => pool.add(entry(1, 9n)), 'TX_ALREADY_KNOWN');
    const other = entry(1, 9n);
    other.idHex = 'ff'.repeat(32);
    assertCode(() => pool.add(other), 'NONCE_IN_USE');
    assert.equal(pool.size(), 1);
  });

  it('selects contiguous nonce runs only, round robin across senders', () => {
    const { pool } = setup();
    for (const nonce of [0n, 1n, 2n]) pool.add(entry(1, nonce));
    pool.add(entry(2, 0n));
    pool.add(entry(2, 2n)); // gap at 1: not ready
    const selected = pool.selectForBlock({ maxTransactions: 10, maxBytes: 10_000 });
    assert.deepEqual(
      selected.map((e) => [e.sender[0], e.tx.nonce]),
      [
        [1, 0n],
        [2, 0n],
        [1, 1n],
        [1, 2n],
      ],
    );
    assert.equal(pool.pendingNonce(sender(1)), 3n);
    assert.equal(pool.pendingNonce(sender(2)), 1n);
  });

  it('respects the block limits on count and bytes', () => {
    const { pool } = setup();
    for (let s = 1; s <= 4; s++) for (const nonce of [0n, 1n]) pool.add(entry(s, nonce, { size: 300 }));
    assert.equal(pool.selectForBlock({ maxTransactions: 3, maxBytes: 10_000 }).length, 3);
    assert.equal(pool.selectForBlock({ maxTransactions: 100, maxBytes: 1000 }).length, 3);
  });

  it('prunes committed and expired transactions after a block', () => {
    const { pool, nonces } = setup();
    pool.add(entry(1, 0n));
    pool.add(entry(1, 1n));
    pool.add(entry(2, 0n, { expiryHeight: 5n }));
    nonces.set(bytesToHex(sender(1)), 1n);
    pool.pruneAfterCommit(5n, [sender(1)]);
    assert.equal(pool.size(), 1);
    assert.equal(pool.selectForBlock({ maxTransactions: 10, maxBytes: 10_000 })[0]?.tx.nonce, 1n);
  });

  it('when full, evicts from the sender holding the most, never starving a small sender', () => {
    const { pool } = setup({ maxTransactions: 6, maxPerSender: 10, maxNonceGap: 10n });
    for (let nonce = 0n; nonce < 6n; nonce++) pool.add(entry(1, nonce));
    pool.add(entry(2, 0n));
    assert.equal(pool.size(), 6);
    assert.equal(pool.pendingNonce(sender(1)), 5n);
    assert.equal(pool.pendingNonce(sender(2)), 1n);
    // The big sender cannot push out others by itself.
    assertCode(() => pool.add(entry(1, 6n)), 'MEMPOOL_FULL');
  });

  it('caps the queue of one sender', () => {
    const { pool } = setup({ maxPerSender: 2 });
    pool.add(entry(1, 0n));
    pool.add(entry(1, 1n));
    assertCode(() => pool.add(entry(1, 2n)), 'SENDER_QUEUE_FULL');
  });

  it('evictFrom drops a refused transaction and its successors', () => {
    const { pool } = setup();
    for (const nonce of [0n, 1n, 2n]) pool.add(entry(1, nonce));
    pool.evictFrom(bytesToHex(sender(1)), 1n);
    assert.equal(pool.size(), 1);
    assert.equal(pool.pendingNonce(sender(1)), 1n);
  });
});
