import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLmdbKvBackend } from '../src/createLmdbKvBackend.ts';
import { createChainStore, createLmdbChainStore } from '../src/index.ts';
import { heightToKey } from '../src/storeEncoding.ts';
import { assertCommitStored, assertThrowsCode, runChainStoreCompliance } from './chainStoreCompliance.ts';
import { buildFixtureChain, CHAIN_ID, SHARD } from './fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'shardpay-storage-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let harnessCount = 0;

runChainStoreCompliance('lmdb', () => {
  const path = join(scratch, `store-${harnessCount++}`);
  return {
    open: (identity) =>
      createLmdbChainStore({ path, chainId: identity?.chainId ?? CHAIN_ID, shard: identity?.shard ?? SHARD }),
    cleanup: async () => rmSync(path, { recursive: true, force: true }),
  };
});

describe('LMDB chain store', () => {
  it('treats a path with a dot as a directory and reopens it', async () => {
    const path = join(scratch, 'validator.v0.lmdb');
    const [first] = buildFixtureChain({ seed: 21, length: 1 });
    const store = createLmdbChainStore({ path, chainId: CHAIN_ID, shard: SHARD });
    store.commitBlock(first!);
    await store.close();
    const reopened = createLmdbChainStore({ path, chainId: CHAIN_ID, shard: SHARD });
    assertCommitStored(reopened, first!);
    await reopened.close();
  });

  it('reports STORE_OPEN_FAILED when the path is a file', () => {
    const path = join(scratch, 'not-a-directory');
    writeFileSync(path, 'x');
    assertThrowsCode(
      () => createLmdbChainStore({ path, chainId: CHAIN_ID, shard: SHARD }),
      'STORE_OPEN_FAILED',
    );
  });

  it('detects a block stored above the tip when it opens', async () => {
    const path = join(scratch, 'above-tip');
    const chain = buildFixtureChain({ seed: 22, length: 2 });
    const store = createLmdbChainStore({ path, chainId: CHAIN_ID, shard: SHARD });
    store.commitBlock(chain[0]!);
    await store.close();
    const backend = createLmdbKvBackend(path);
    backend.transact((writer) => writer.put('blocks', heightToKey(2n), Uint8Array.of(5)));
    const error = assertThrowsCode(
      () => createChainStore(backend, { chainId: CHAIN_ID, shard: SHARD }),
      'STORE_CORRUPT',
    );
    assert.equal(error.meta.reason, 'block_above_tip');
    await backend.close();
  });
});
